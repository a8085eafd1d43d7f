"""Verbs of the citizen side of testing: the pool-size plan, antigen self-reports (抗原自测),
a citizen's own results and tasks, and the testing home page's figures.

A positive antigen reddens the code at once (``FactRaised(case.pending_confirmation)``, POLICY
"positive antigen awaiting confirmation") and owes a single-tube NAT (an ``antigen_confirm``
task the results domain closes). Photos are sniffed from their bytes; an officer opening one
writes an audit row. Services flush, never commit.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, time, timedelta
from typing import Any

from sqlalchemy.orm import Session

from fangkong.audit import service as audit
from fangkong.config import Settings
from fangkong.core import clock, events
from fangkong.core.masking import mask_person_name
from fangkong.core.pagination import PageParams
from fangkong.core.principal import Principal
from fangkong.healthcode import service as healthcode
from fangkong.healthcode.events import FactEnded, FactRaised
from fangkong.healthcode.schemas import CodeCard
from fangkong.models.testing import AntigenReport, TestTask
from fangkong.policy.types import Reason
from fangkong.testing import planner
from fangkong.testing.citizen import errors, repository
from fangkong.testing.citizen.repository import ReportFilter
from fangkong.testing.citizen.schemas import (
    AntigenReportRow,
    HomeFiguresOut,
    MyResultOut,
    MyTaskOut,
    MyTestingOut,
)

__all__ = [
    "ReportFilter",
    "end_cleared_antigens",
    "home_figures",
    "list_reports",
    "my_testing",
    "plan_pools",
    "report_antigen",
]
MAX_PHOTO_BYTES = 5 * 1024 * 1024
CLOCK_SKEW = timedelta(minutes=5)  # a phone's clock a little ahead is not "the future"
SIGNATURES = ((b"\xff\xd8\xff", "image/jpeg"), (b"\x89PNG\r\n\x1a\n", "image/png"))
RESULTS = ("positive", "negative")
TUBE_STATUSES = ("open", "sealed", "received", "resulted")


# --- the planner ---------------------------------------------------------------------------


def plan_pools(
    session: Session,
    *,
    prevalence: float,
    people: int,
    sizes: Sequence[int] | None = None,
    tests_per_hour: float = planner.DEFAULT_TESTS_PER_HOUR,
) -> planner.Plan:
    """Dorfman's plan over ``sizes``, by default the active edition's allowed pool sizes."""
    if sizes is None:
        sizes = healthcode.current_edition(session).testing.pooling.allowed_sizes
    return planner.plan(prevalence, people, sizes, tests_per_hour)


def plan_from_text(
    session: Session, prevalence: str, people: str, sizes: str, tests_per_hour: str = ""
) -> planner.Plan:
    """The plan from a form's or a command line's text; an empty ``sizes``: the edition's."""
    p, n = planner.parse_prevalence(prevalence), planner.parse_people(people)
    rate = planner.parse_throughput(tests_per_hour) if tests_per_hour.strip() else None
    planner.validate(p, n, [2], rate or planner.DEFAULT_TESTS_PER_HOUR)
    chosen = planner.parse_sizes(sizes) if sizes.strip() else None
    return plan_pools(
        session,
        prevalence=p,
        people=n,
        sizes=chosen,
        tests_per_hour=rate or planner.DEFAULT_TESTS_PER_HOUR,
    )


# --- antigen self-reports ------------------------------------------------------------------


def photo_type(data: bytes) -> str:
    """The image type the bytes are (JPEG, PNG, WebP), whatever the file was called."""
    if len(data) > MAX_PHOTO_BYTES:
        raise errors.AntigenPhotoTooLarge()
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    for magic, media_type in SIGNATURES:
        if data.startswith(magic):
            return media_type
    raise errors.AntigenPhotoType()


def _checked(result: str, tested_at: datetime, photo: bytes | None) -> str:
    if result not in RESULTS:
        raise errors.AntigenResultInvalid()
    if tested_at.tzinfo is None or tested_at > clock.now() + CLOCK_SKEW:
        raise errors.AntigenTimeInvalid()
    if not photo:
        raise errors.AntigenPhotoRequired()
    return photo_type(photo)


def citizen_actor(person_id: int) -> Principal:
    return Principal(id=None, username=f"citizen:{person_id}", role="citizen", region_code="")


def report_antigen(
    session: Session, *, person_id: int, result: str, tested_at: datetime, photo: bytes | None
) -> AntigenReport:
    """File the signed-in citizen's report; a positive one raises the pending-case fact and
    owes a confirming NAT."""
    media_type = _checked(result, tested_at, photo)
    grid = repository.person_grid(session, person_id)
    report = AntigenReport(
        person_id=person_id,
        result=result,
        tested_at=tested_at,
        reported_at=clock.now(),
        photo=photo,
        photo_type=media_type,
        region_code=grid,
    )
    repository.add(session, report)
    _audit(session, citizen_actor(person_id), "testing.antigen_reported", report)
    if result == "positive":
        _owe_confirmation(session, report)
    return report


def _owe_confirmation(session: Session, report: AntigenReport) -> None:
    ref = f"antigen:{report.id}"
    task = TestTask(person_id=report.person_id, kind="antigen_confirm", source_ref=ref)
    repository.add(session, task)
    audit.record(
        session,
        actor=citizen_actor(report.person_id),
        action="testing.task_opened",
        object_type="test_task",
        object_id=task.id,
        region_code=report.region_code,
        after={"kind": task.kind, "source_ref": ref, "person_id": report.person_id},
    )
    fact = FactRaised(report.person_id, Reason.CASE_PENDING, source="testing", ref=ref)
    events.publish(session, fact)


def end_cleared_antigens(session: Session, *, person_ids: Iterable[int]) -> int:
    """End the pending-case fact of each positive antigen whose confirming NAT came back
    negative (its ``antigen_confirm`` task done with ``negative``). A negative test does not
    end ``case.pending_confirmation`` by itself (``healthcode.engine.ENDED_BY_NEGATIVE``), so
    the results domain calls this after it settles the tasks of negative single tubes."""
    cleared = repository.cleared_confirmations(session, person_ids)
    for person_id, ref in cleared:
        events.publish(session, FactEnded(person_id, Reason.CASE_PENDING, ref))
    return len(cleared)


def _audit(session: Session, actor: Principal, action: str, report: AntigenReport) -> None:
    audit.record(
        session,
        actor=actor,
        action=action,
        object_type="antigen_report",
        object_id=report.id,
        region_code=report.region_code,
        after={"person_id": report.person_id, "result": report.result},
    )


def get_report(session: Session, *, actor: Principal, report_id: int) -> AntigenReport:
    report = repository.get_readable(session, actor, report_id)
    if report is None:
        raise errors.AntigenReportNotFound()
    return report


def list_reports(
    session: Session, *, actor: Principal, page: PageParams, where: ReportFilter
) -> tuple[list[AntigenReportRow], str | None]:
    reports, cursor = repository.page(session, actor, where, page)
    return report_rows(session, reports), cursor


def report_rows(session: Session, reports: Sequence[AntigenReport]) -> list[AntigenReportRow]:
    names = repository.names_of(session, (r.person_id for r in reports))
    tasks = repository.confirm_status(session, (f"antigen:{r.id}" for r in reports))
    return [
        AntigenReportRow(
            id=r.id,
            person_id=r.person_id,
            name=mask_person_name(names.get(r.person_id, "")),
            result=r.result,
            tested_at=r.tested_at,
            reported_at=r.reported_at,
            region_code=r.region_code,
            has_photo=r.photo_type is not None,
            confirm_status=tasks.get(f"antigen:{r.id}"),
        )
        for r in reports
    ]


def open_photo(session: Session, *, actor: Principal, report_id: int) -> tuple[bytes, str]:
    """The photo's bytes and type; opening it is audited (it shows a named person's health)."""
    report = get_report(session, actor=actor, report_id=report_id)
    data, media_type = repository.photo_of(session, report.id)
    if not data or not media_type:
        raise errors.AntigenPhotoMissing()
    _audit(session, actor, "testing.antigen_photo_viewed", report)
    return data, media_type


# --- the citizen's own ---------------------------------------------------------------------


def my_reports(session: Session, person_id: int) -> Sequence[AntigenReport]:
    return repository.reports_of(session, person_id)


def _result_out(row: tuple[Any, ...]) -> MyResultOut:
    """A tube as its member sees it: the result only once the tube is resulted."""
    tube_id, sampled_at, kind, purpose, status, result, tested_at, lab = row
    done = status == "resulted"
    return MyResultOut(
        tube_id=tube_id,
        sampled_at=sampled_at,
        kind=kind,
        purpose=purpose,
        status=status,
        result=result if done else None,
        tested_at=tested_at if done else None,
        lab=lab,
    )


def my_testing(session: Session, person_id: int) -> MyTestingOut:
    results = [_result_out(row) for row in repository.results_of(session, person_id)]
    tasks = [
        MyTaskOut(id=t.id, kind=t.kind, created_at=t.created_at)
        for t in repository.open_tasks_of(session, person_id)
    ]
    return MyTestingOut(results=results, open_tasks=tasks)


def my_code(session: Session, settings: Settings, person_id: int) -> CodeCard:
    return healthcode.code_card(session, settings, person_id)


# --- the home page -------------------------------------------------------------------------


def local_day_start() -> datetime:
    today = clock.local_today()
    return datetime.combine(today, time(0), tzinfo=clock.LOCAL_TZ)


def home_figures(session: Session, *, actor: Principal) -> HomeFiguresOut:
    since = local_day_start()
    tasks = repository.open_tasks_by_kind(session, actor)
    return HomeFiguresOut(
        tubes_today=repository.tubes_by_status(session, actor, since),
        open_retest_tasks=tasks.get("pool_retest", 0),
        open_confirm_tasks=tasks.get("antigen_confirm", 0),
        antigen_positive_today=repository.positive_reports_since(session, actor, since),
    )
