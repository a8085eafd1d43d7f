"""``/api/v1/arrivals/tasks`` (the grid worker's to-do list and screening), ``/overdue``,
``/accountability``, ``/figures`` and ``/overview``: screening deadlines and their figures."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from fangkong.arrivals.dependencies import ArrivalsRead, ArrivalsScreen
from fangkong.arrivals.screening import reports, service
from fangkong.arrivals.screening.dependencies import (
    DateQuery,
    DueBeforeQuery,
    KindQuery,
    Paging,
    RegionQuery,
    StatusQuery,
)
from fangkong.arrivals.screening.schemas import (
    AccountabilityOut,
    FiguresOut,
    Level,
    OverdueOut,
    OverviewOut,
    PhoneOut,
    ScreenIn,
    TaskOut,
    TaskStatus,
)
from fangkong.auth.permissions import Perm
from fangkong.core.errors import PermissionDenied
from fangkong.core.pagination import Page
from fangkong.core.web import DbSession, IdPath, SettingsDep
from fangkong.people.protect import Protector

router = APIRouter(tags=["arrivals"])
BASE = "/api/v1/arrivals"
TASKS = f"{BASE}/tasks"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get(TASKS, response_model=Page[TaskOut])
def list_tasks(
    session: DbSession,
    actor: ArrivalsRead,
    paging: Paging,
    kind: KindQuery = None,
    status: StatusQuery = TaskStatus.OPEN,
    overdue: bool | None = None,
    due_before: DueBeforeQuery = None,
    region: RegionQuery = None,
) -> Page[TaskOut]:
    """Tasks of the caller's grids (or jurisdiction) by due time; names and phones masked."""
    where = service.TaskFilter(kind=kind.value if kind else None,
                               status=status.value if status else None, overdue=overdue,
                               due_before=due_before, region=region)  # fmt: skip
    items, cursor = service.list_tasks(session, actor=actor, where=where, page=paging)
    return Page(items=items, next_cursor=cursor)


@router.post(f"{TASKS}/{{task_id}}/screen", response_model=TaskOut)
def screen(session: DbSession, actor: ArrivalsScreen, task_id: IdPath, data: ScreenIn) -> TaskOut:
    """Record the grid worker's screening (排查) of an arrival."""
    service.screen(session, actor=actor, task_id=task_id, data=data)
    return service.one_task(session, actor=actor, task_id=task_id)


@router.post(f"{TASKS}/{{task_id}}/phone", response_model=PhoneOut)
def reveal_phone(
    session: DbSession, settings: SettingsDep, actor: ArrivalsScreen, task_id: IdPath
) -> PhoneOut:
    """The person's phone, for roles that may reveal personal data; the access is logged."""
    if not actor.can(Perm.PEOPLE_REVEAL):
        raise PermissionDenied()
    protector = Protector(settings.data_key_bytes)
    phone = service.reveal_phone(session, actor=actor, protector=protector, task_id=task_id)
    return PhoneOut(task_id=task_id, phone=phone)


@router.get(f"{BASE}/overdue", response_model=OverdueOut)
def overdue(
    session: DbSession,
    actor: ArrivalsRead,
    level: Annotated[Level, Query()] = Level.STREET,
    region: RegionQuery = None,
) -> OverdueOut:
    """Overdue screenings per region at ``level``: counts, worst hours, escalations."""
    return reports.overdue(session, actor=actor, level=level, region=region)


@router.get(f"{BASE}/accountability", response_model=AccountabilityOut)
def accountability(
    session: DbSession, actor: ArrivalsRead, date: DateQuery = None, region: RegionQuery = None
) -> AccountabilityOut:
    """The day's accountability report (问责通报) per district and street."""
    return reports.accountability(session, actor=actor, day=date, region=region)


@router.get(f"{BASE}/accountability.xlsx", response_class=Response)
def accountability_xlsx(
    session: DbSession, actor: ArrivalsRead, date: DateQuery = None, region: RegionQuery = None
) -> Response:
    report = reports.accountability(session, actor=actor, day=date, region=region)
    body = reports.accountability_xlsx(report, reports.HEADERS)
    name = f"accountability-{report.date.isoformat()}.xlsx"
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    return Response(body, media_type=XLSX, headers=headers)


@router.get(f"{BASE}/figures", response_model=FiguresOut)
def figures(
    session: DbSession, actor: ArrivalsRead, date: DateQuery = None, region: RegionQuery = None
) -> FiguresOut:
    """The day's arrivals by channel and origin grade, landing tests and screenings."""
    return reports.figures(session, actor=actor, day=date, region=region)


@router.get(f"{BASE}/overview", response_model=OverviewOut)
def overview(session: DbSession, actor: ArrivalsRead, region: RegionQuery = None) -> OverviewOut:
    """Per district or street of the caller's jurisdiction: today's arrivals, open and
    overdue tasks, the landing-test rate, escalations."""
    return reports.overview(session, actor=actor, region=region)
