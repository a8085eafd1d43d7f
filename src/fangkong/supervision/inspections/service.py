"""Verbs of inspections (督导检查): record an inspection of a property-managed community on
the six aspects, each a pass or a problem with a rectification deadline; then verify each
problem (rectified or not). Overdue rectifications are open problems past their deadline.

An unknown community and a deadline in the past are bad input, and nothing is written.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from fangkong.core import clock
from fangkong.core.pagination import PageParams
from fangkong.core.principal import Principal
from fangkong.models.supervision import Finding, Inspection
from fangkong.supervision import errors
from fangkong.supervision.audit_trail import record, snapshot
from fangkong.supervision.companies import service as companies
from fangkong.supervision.inspections import repository
from fangkong.supervision.inspections.repository import InspectionFilter, ProblemFilter
from fangkong.supervision.inspections.schemas import (
    AspectResult,
    FindingOut,
    InspectionCreate,
    InspectionOut,
    VerificationIn,
)
from fangkong.supervision.labels import Aspect, FindingStatus, Result

__all__ = ["InspectionFilter", "ProblemFilter"]
FINDING_FIELDS = ("aspect", "status", "deadline_on", "verification_note")


def _check_results(results: list[AspectResult], today: date) -> None:
    if sorted(r.aspect for r in results) != sorted(Aspect):
        raise errors.IncompleteAspects()
    for result in results:
        if result.result is Result.PROBLEM and result.deadline_on is None:
            raise errors.DeadlineMissing()
        if result.deadline_on is not None and result.deadline_on < today:
            raise errors.DeadlineInPast()


def _finding(inspection: Inspection, result: AspectResult) -> Finding:
    problem = result.result is Result.PROBLEM
    return Finding(
        inspection_id=inspection.id,
        aspect=result.aspect.value,
        status=(FindingStatus.OPEN if problem else FindingStatus.OK).value,
        note=result.note,
        deadline_on=result.deadline_on if problem else None,
        region_code=inspection.region_code,
        verification_note="",
    )


def record_inspection(session: Session, *, actor: Principal, data: InspectionCreate) -> Inspection:
    """Check everything first, then write the inspection and its six findings."""
    today = clock.local_today()
    community = companies.community_for_inspection(
        session, actor=actor, community_id=data.community_id
    )
    inspected_on = data.inspected_on or today
    if inspected_on > today:
        raise errors.InspectionInFuture()
    _check_results(data.results, today)
    inspection = Inspection(
        community_id=community.id,
        company_id=community.company_id,
        inspector_id=actor.id,
        region_code=community.region_code,
        inspected_on=inspected_on,
        problems=sum(r.result is Result.PROBLEM for r in data.results),
        note=data.note,
    )
    session.add(inspection)
    session.flush()
    session.add_all(_finding(inspection, result) for result in data.results)
    session.flush()
    after = {"community_id": community.id, "inspected_on": inspected_on,
             "problems": inspection.problems}  # fmt: skip
    record(session, actor, "inspection.create", inspection, after=after)
    return inspection


def get_inspection(session: Session, *, actor: Principal, inspection_id: int) -> Inspection:
    found = repository.inspection(session, actor, inspection_id)
    if found is None:
        raise errors.InspectionNotFound()
    return found


def inspection_out(session: Session, inspection: Inspection) -> InspectionOut:
    out = InspectionOut.model_validate(inspection)
    found = repository.findings_of(session, inspection.id)
    photos = [p.id for p in repository.photos_of(session, inspection.id)]
    return out.model_copy(update={"findings": [_finding_out(f) for f in found], "photos": photos})


def _finding_out(finding: Finding) -> FindingOut:
    return FindingOut.model_validate(finding)


def list_inspections(
    session: Session, *, actor: Principal, page: PageParams, where: InspectionFilter
) -> tuple[Sequence[Inspection], str | None]:
    return repository.inspection_page(session, actor, where, page)


def list_problems(
    session: Session, *, actor: Principal, page: PageParams, status: FindingStatus | None,
    overdue: bool = False,
) -> tuple[Sequence[Finding], str | None]:  # fmt: skip
    """Problems found (never the passes); ``overdue``: open ones past their deadline."""
    if overdue:
        status = FindingStatus.OPEN
    due_before = clock.local_today() if overdue else None
    value = status.value if status else None
    return repository.finding_page(session, actor, value, due_before, page)


def verify(session: Session, *, actor: Principal, finding_id: int, data: VerificationIn) -> Finding:
    """An inspector's verification (整改回头看) of one open problem."""
    finding = repository.finding(session, actor, finding_id)
    if finding is None or finding.status == FindingStatus.OK:
        raise errors.FindingNotFound()
    if finding.status != FindingStatus.OPEN:
        raise errors.AlreadyVerified()
    before = snapshot(finding, FINDING_FIELDS)
    rectified = FindingStatus.RECTIFIED if data.rectified else FindingStatus.NOT_RECTIFIED
    finding.status = rectified.value
    finding.verified_at = clock.now()
    finding.verified_by = actor.id
    finding.verification_note = data.note
    session.flush()
    after = snapshot(finding, FINDING_FIELDS)
    record(session, actor, "finding.verify", finding, before=before, after=after)
    return finding


def count_for_export(session: Session, *, actor: Principal, where: ProblemFilter) -> int:
    return repository.count_problem_rows(session, actor, where, clock.local_today())


def export_rows(
    session: Session, *, actor: Principal, where: ProblemFilter, after: list[Any] | None,
    limit: int,
) -> tuple[list[tuple[Any, ...]], list[Any] | None]:  # fmt: skip
    """One chunk of problems for an export, by id: community, company, aspect, deadline, state
    (no personal data)."""
    start = int(after[0]) if after else None
    today = clock.local_today()
    rows = repository.problem_rows(session, actor, where, today, after=start, limit=limit)
    return rows, ([rows[-1][0]] if len(rows) == limit else None)
