"""Result uploads (检测结果上传): a CSV/XLSX file, a JSON batch or the CLI, all through one
path that is the same for ten lines and for a million.

1. Python checks each line alone (``rows``) and streams the good ones into a staging table.
2. SQL gives every staged line its outcome against the tubes, stores the accepted results with
   one UPDATE, flags conflicts, and keeps every accepted or conflicting line (``staging``).
3. Reactions: the members of negative tubes go to the health code's bulk negative path
   (``healthcode.service.record_negatives``: one upsert, per-person work only for those with a
   fact a negative ends); positive tubes (rare) take the per-person event path
   (``reactions``); a single tube's result closes its person's open tasks.

Nothing is committed here: a failure leaves nothing. Lines refused are counted, the first
``rows.MAX_LISTED`` listed with their line number and reason.

A tube a lab never received is accepted when it is sealed, and recorded as received by this lab
(labs often test what a courier brought before anyone scanned it in); a tube another lab
received is refused.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from fangkong.audit import service as audit
from fangkong.core import clock, tabular
from fangkong.core.heap import fewer_collections
from fangkong.core.iterables import batched
from fangkong.core.principal import Principal
from fangkong.healthcode import service as healthcode
from fangkong.models.testing import Lab
from fangkong.policy.schema import Edition
from fangkong.testing.citizen import service as citizen
from fangkong.testing.results import access, errors, reactions, repository
from fangkong.testing.results.rows import MAX_LISTED, LineChecker, Refusals
from fangkong.testing.results.schemas import RejectedLine, ResultBatch, UploadReport
from fangkong.testing.results.staging import Outcome, ResultStaging

BATCH = 20_000
MAX_UPLOAD_BYTES = 64 * 1024 * 1024
COLUMN_HEADERS = {"barcode": "条码", "result": "检测结果", "ct_orf1ab": "ORF1ab Ct值",
                  "ct_n": "N Ct值", "tested_at": "检测时间"}  # fmt: skip
ALIASES = {header: key for key, header in COLUMN_HEADERS.items()} | {
    key: key for key in COLUMN_HEADERS
}
ALIASES |= {"orf1ab ct值": "ct_orf1ab", "n ct值": "ct_n", "结果": "result", "采样管条码": "barcode"}
REQUIRED = frozenset({"barcode", "tested_at"})
EXAMPLE = ("100000000014", "阴性", "", "", "2026-12-01 10:30")
Lines = Iterable[tuple[int, dict[str, Any]]]


def template_csv() -> bytes:
    return tabular.template_csv(COLUMN_HEADERS.values(), EXAMPLE)


def template_xlsx() -> bytes:
    return tabular.template_xlsx(COLUMN_HEADERS.values(), EXAMPLE, title="检测结果")


def upload_file(
    session: Session, *, actor: Principal, lab_id: int | None, filename: str, data: bytes
) -> UploadReport:
    lab = _lab(session, actor, lab_id)
    lines = tabular.read_upload(filename, data, ALIASES, REQUIRED, strict=True)
    return upload_lines(session, actor=actor, lab=lab, lines=lines)


def upload_path(session: Session, *, actor: Principal, lab_id: int, path: Path) -> UploadReport:
    lab = _lab(session, actor, lab_id)
    lines = tabular.read_file(path, ALIASES, REQUIRED, strict=True)
    return upload_lines(session, actor=actor, lab=lab, lines=lines)


def upload_batch(session: Session, *, actor: Principal, batch: ResultBatch) -> UploadReport:
    lab = _lab(session, actor, batch.lab_id)
    lines = ((n, line.model_dump()) for n, line in enumerate(batch.results, start=1))
    return upload_lines(session, actor=actor, lab=lab, lines=lines)


def _lab(session: Session, actor: Principal, lab_id: int | None) -> Lab:
    return access.acting_lab(session, actor=actor, lab_id=lab_id)


def upload_lines(session: Session, *, actor: Principal, lab: Lab, lines: Lines) -> UploadReport:
    """Stage, resolve and write a lab's results and react to them (tasks, codes, cases), with
    rarer garbage collections meanwhile (``core.heap``): an upload's positives set off the
    cases' and contacts' bulk work."""
    with fewer_collections():
        return _upload_lines(session, actor=actor, lab=lab, lines=lines)


def _upload_lines(session: Session, *, actor: Principal, lab: Lab, lines: Lines) -> UploadReport:
    now = clock.now()
    edition = healthcode.current_edition(session)
    checker = LineChecker(threshold=edition.testing.positive_ct_threshold, now=now)
    refused = Refusals()
    session.flush()  # the staging SQL runs on the connection, past the ORM
    stage = ResultStaging(session)
    staged = 0
    for chunk in batched(checker.check(lines, refused), BATCH):
        stage.add(chunk)
        staged += len(chunk)
    if staged + refused.count == 0:
        raise errors.EmptyUpload()
    outcome = stage.resolve(lab_id=lab.id, listed=MAX_LISTED)
    report = _report(lab, outcome, refused)
    stage.write(lab_id=lab.id, upload_ref=report.upload_ref, now=now)
    session.expire_all()  # tubes the session holds were changed in SQL
    _react(session, stage, report, outcome.positive_tubes, edition)
    stage.close()
    _audit(session, actor, lab, report)
    return report


def _report(lab: Lab, outcome: Outcome, refused: Refusals) -> UploadReport:
    report = UploadReport(upload_ref=uuid.uuid4().hex, lab_id=lab.id, rejected=refused.count)
    for (kind, _tube_kind, result), count in outcome.counts.items():
        if kind == "accept":
            report.accepted += count
            report.negative_tubes += count if result == "negative" else 0
            report.positive_tubes += count if result == "positive" else 0
        elif kind in ("same", "conflict"):
            field = "unchanged" if kind == "same" else "conflicts"
            setattr(report, field, getattr(report, field) + count)
        else:
            report.rejected += count
    listed = sorted([*refused.lines, *outcome.refused], key=lambda line: line[0])
    report.rejected_lines = [
        RejectedLine(line=line, barcode=barcode, code=code, message=errors.REASONS[code])
        for line, barcode, code in listed[:MAX_LISTED]
    ]
    return report


def _react(
    session: Session,
    stage: ResultStaging,
    report: UploadReport,
    positive_tubes: list[tuple[int, str]],
    edition: Edition,
) -> None:
    if report.negative_tubes:
        members = stage.negative_members()
        healthcode.record_negatives(session, members=members, source="testing", edition=edition)
    tubes = [repository.tube(session, tube_id) for tube_id, _kind in positive_tubes]
    report.retest_tasks += reactions.positives(session, [t for t in tubes if t is not None])
    stage.close_tasks(clock.now())
    # A positive antigen stays red until its confirming NAT is negative: that NAT's task is
    # settled above, and the antigen's pending-case fact ends here.
    citizen.end_cleared_antigens(session, person_ids=stage.single_negatives())
    session.flush()


def _audit(session: Session, actor: Principal, lab: Lab, report: UploadReport) -> None:
    after = report.model_dump(exclude={"rejected_lines", "upload_ref"})
    audit.record(session, actor=actor, action="testing.results_upload",
                 object_type="result_upload", object_id=report.upload_ref,
                 region_code=lab.region_code, after=after)  # fmt: skip
    session.flush()
