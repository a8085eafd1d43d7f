"""Queries of screening. Tasks are scoped by their grid code (a region-code prefix range, so
``ix_arrival_tasks_todo`` and ``ix_arrival_tasks_due`` serve every list); figures group by a
prefix of the grid code in SQL."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    String,
    and_,
    case,
    cast,
    exists,
    func,
    literal,
    select,
    tuple_,
    update,
)
from sqlalchemy.orm import Session

from fangkong.core.scoping import scope_prefix, within
from fangkong.models import Person, Region
from fangkong.models.arrivals import ArrivalReport, ArrivalTask, Trip
from fangkong.models.healthcode import HealthFact
from fangkong.models.testing import TubeMember
from fangkong.policy.types import Grade, Reason

OPEN = "open"
DONE = "done"
SCREENING = "screening"
LANDING = "landing_test"
UNSCREENED = Reason.ARRIVAL_UNSCREENED.value
# Every grade a trip can have: naming them all lets ``ix_trips_grade (grade, arrived_at)``
# serve a day's trips (one range per grade) instead of a scan of the jurisdiction's trips.
TRIP_GRADES = (*(g.value for g in Grade), "none")
# A scope wider than a street (a district, the city) holds too many tasks to range over by
# grid code: such a scope is written as a prefix comparison no index serves, so that the
# planners of both databases walk ``ix_arrival_tasks_due`` (status, due_at) — in due order,
# stopping after a page — or ``ix_trips_grade`` (grade, arrived_at) instead.
WIDE_SCOPE_DIGITS = 9
LIVE = ("open", "done")  # every status but cancelled, as an IN list an index can serve


def scoped(column: Any, scope: str) -> ColumnElement[bool]:
    """``column`` inside ``scope``: an index range for a street or narrower, else a prefix
    test that leaves the choice of index to the other conditions."""
    prefix = scope_prefix(scope)
    if len(prefix) >= WIDE_SCOPE_DIGITS:
        return within(column, scope)
    return func.substr(column, 1, len(prefix)) == prefix


@dataclass(frozen=True)
class TaskFilter:
    kind: str | None = None
    status: str | None = OPEN
    overdue: bool | None = None
    due_before: datetime | None = None
    region: str | None = None


TaskRow = tuple[ArrivalTask, Trip, Person]


def task(session: Session, scope: str, task_id: int, *, lock: bool = False) -> ArrivalTask | None:
    statement = select(ArrivalTask).where(
        ArrivalTask.id == task_id, within(ArrivalTask.grid_code, scope)
    )
    if lock:
        statement = statement.with_for_update()
    found: ArrivalTask | None = session.scalars(statement).one_or_none()
    return found


def trip(session: Session, trip_id: int) -> Trip | None:
    return session.get(Trip, trip_id)


def person(session: Session, person_id: int) -> Person | None:
    return session.get(Person, person_id)


def tasks_statement(scope: str, where: TaskFilter, now: datetime) -> Select[Any]:
    statement: Any = (
        select(ArrivalTask, Trip, Person)
        .join(Trip, Trip.id == ArrivalTask.trip_id)
        .join(Person, Person.id == ArrivalTask.person_id)
        .where(scoped(ArrivalTask.grid_code, scope))
    )
    if where.region:
        statement = statement.where(scoped(ArrivalTask.grid_code, where.region))
    if where.status:
        statement = statement.where(ArrivalTask.status == where.status)
    if where.kind:
        statement = statement.where(ArrivalTask.kind == where.kind)
    if where.overdue is True:
        statement = statement.where(ArrivalTask.due_at < now)
    elif where.overdue is False:
        statement = statement.where(ArrivalTask.due_at >= now)
    if where.due_before is not None:
        statement = statement.where(ArrivalTask.due_at < where.due_before)
    found: Select[Any] = statement
    return found


def tasks_page(
    session: Session, statement: Select[Any], after: tuple[datetime, int] | None, limit: int
) -> Sequence[Any]:
    """One page in (due_at, id) order, from after the cursor's (due_at, id)."""
    if after is not None:
        statement = statement.where(
            tuple_(ArrivalTask.due_at, ArrivalTask.id)
            > tuple_(literal(after[0], ArrivalTask.due_at.type), literal(after[1]))
        )
    statement = statement.order_by(ArrivalTask.due_at, ArrivalTask.id).limit(limit + 1)
    return session.execute(statement).all()


# --- landing tests ----------------------------------------------------------------------------


def close_landing_for(
    session: Session, person_ids: Sequence[int], tube_id: int, sampled_at: datetime
) -> int:
    """Close the open landing tests of these people whose trip arrived at or before sampling."""
    arrived = (
        select(Trip.arrived_at)
        .where(Trip.id == ArrivalTask.trip_id)
        .correlate(ArrivalTask)
        .scalar_subquery()
    )
    statement = (
        update(ArrivalTask)
        .where(
            ArrivalTask.person_id.in_(person_ids),
            ArrivalTask.kind == LANDING,
            ArrivalTask.status == OPEN,
            arrived <= sampled_at,
        )
        .values(status=DONE, done_at=sampled_at, done_ref=f"tube:{tube_id}")
        .execution_options(synchronize_session=False)
    )
    return int(session.execute(statement).rowcount or 0)  # type: ignore[attr-defined]


def sweep_landing(session: Session) -> int:
    """One UPDATE: open landing tests whose person has a tube member sampled after arrival;
    done at the first such sampling, naming its tube."""
    arrived = (
        select(Trip.arrived_at)
        .where(Trip.id == ArrivalTask.trip_id)
        .correlate(ArrivalTask)
        .scalar_subquery()
    )
    since = and_(TubeMember.person_id == ArrivalTask.person_id, TubeMember.sampled_at >= arrived)
    first = select(TubeMember).where(since).correlate(ArrivalTask)
    sampled_at = (
        first.with_only_columns(TubeMember.sampled_at)
        .order_by(TubeMember.sampled_at, TubeMember.tube_id)
        .limit(1)
        .scalar_subquery()
    )
    tube = (
        first.with_only_columns(TubeMember.tube_id)
        .order_by(TubeMember.sampled_at, TubeMember.tube_id)
        .limit(1)
        .scalar_subquery()
    )
    statement = (
        update(ArrivalTask)
        .where(ArrivalTask.kind == LANDING, ArrivalTask.status == OPEN, first.exists())
        .values(status=DONE, done_at=sampled_at, done_ref=literal("tube:") + cast(tube, String))
        .execution_options(synchronize_session=False)
    )
    return int(session.execute(statement).rowcount or 0)  # type: ignore[attr-defined]


# --- escalation ----------------------------------------------------------------------------------


def escalate(session: Session, *, level: str, below: tuple[str, ...], due_by: datetime,
             now: datetime) -> int:  # fmt: skip
    statement = (
        update(ArrivalTask)
        .where(
            ArrivalTask.status == OPEN,
            ArrivalTask.kind == SCREENING,
            ArrivalTask.due_at <= due_by,
            ArrivalTask.escalation.in_(below),
        )
        .values(escalation=level, escalated_at=now)
        .execution_options(synchronize_session=False)
    )
    return int(session.execute(statement).rowcount or 0)  # type: ignore[attr-defined]


def _fact_ref() -> ColumnElement[Any]:
    return literal("trip:") + cast(ArrivalTask.trip_id, String)


def overdue_without_fact(session: Session, now: datetime) -> Sequence[tuple[int, int]]:
    """(person_id, trip_id) of open overdue screenings with no open unscreened fact yet."""
    fact = exists().where(
        HealthFact.person_id == ArrivalTask.person_id,
        HealthFact.reason == UNSCREENED,
        HealthFact.ref == _fact_ref(),
        HealthFact.ended_at.is_(None),
    )
    statement = select(ArrivalTask.person_id, ArrivalTask.trip_id).where(
        ArrivalTask.status == OPEN, ArrivalTask.kind == SCREENING, ArrivalTask.due_at < now, ~fact
    )
    return [(int(p), int(t)) for p, t in session.execute(statement).all()]


def has_open_fact(session: Session, person_id: int, trip_id: int) -> bool:
    statement = select(HealthFact.id).where(
        HealthFact.person_id == person_id,
        HealthFact.reason == UNSCREENED,
        HealthFact.ref == f"trip:{trip_id}",
        HealthFact.ended_at.is_(None),
    )
    return session.scalars(statement.limit(1)).first() is not None


def other_open_screening(session: Session, trip_id: int, task_id: int) -> bool:
    statement = select(ArrivalTask.id).where(
        ArrivalTask.trip_id == trip_id,
        ArrivalTask.kind == SCREENING,
        ArrivalTask.status == OPEN,
        ArrivalTask.id != task_id,
    )
    return session.scalars(statement.limit(1)).first() is not None


# --- grouped figures -----------------------------------------------------------------------------


def prefix(column: Any, digits: int) -> ColumnElement[str]:
    return func.substr(column, 1, digits)


def overdue_groups(
    session: Session, scope: str, digits: int, now: datetime, region: str | None
) -> Sequence[Any]:
    """Per region prefix: open overdue screenings, the earliest deadline, escalations."""
    key = prefix(ArrivalTask.grid_code, digits).label("key")
    statement = (
        select(
            key,
            func.count().label("n"),
            func.min(ArrivalTask.due_at).label("first_due"),
            func.sum(case((ArrivalTask.escalation == "street", 1), else_=0)).label("street"),
            func.sum(case((ArrivalTask.escalation == "district", 1), else_=0)).label("district"),
        )
        .where(
            ArrivalTask.status == OPEN,
            ArrivalTask.kind == SCREENING,
            ArrivalTask.due_at < now,
            scoped(ArrivalTask.grid_code, scope),
        )
        .group_by(key)
        .order_by(key)
    )
    if region:
        statement = statement.where(scoped(ArrivalTask.grid_code, region))
    return session.execute(statement).all()


def accountability_groups(
    session: Session, scope: str, digits: int, *, start: datetime, end: datetime, now: datetime
) -> Sequence[Any]:
    """Per region prefix: screenings due in [start, end), screened in time, late, still open
    past due, the earliest open deadline and the latest late answer's lateness inputs."""
    key = prefix(ArrivalTask.grid_code, digits).label("key")
    done = ArrivalTask.status == DONE
    in_time = and_(done, ArrivalTask.done_at <= ArrivalTask.due_at)
    late = and_(done, ArrivalTask.done_at > ArrivalTask.due_at)
    overdue = and_(ArrivalTask.status == OPEN, ArrivalTask.due_at < now)
    statement = (
        select(
            key,
            func.count().label("due"),
            func.sum(case((in_time, 1), else_=0)).label("in_time"),
            func.sum(case((late, 1), else_=0)).label("late"),
            func.sum(case((overdue, 1), else_=0)).label("overdue"),
            func.min(case((overdue, ArrivalTask.due_at), else_=None)).label("first_due"),
        )
        .where(
            ArrivalTask.kind == SCREENING,
            ArrivalTask.status.in_(LIVE),
            ArrivalTask.due_at >= start,
            ArrivalTask.due_at < end,
            scoped(ArrivalTask.grid_code, scope),
        )
        .group_by(key)
        .order_by(key)
    )
    return session.execute(statement).all()


def late_tasks(
    session: Session, scope: str, start: datetime, end: datetime
) -> Sequence[tuple[str, datetime, datetime]]:
    """(grid, due_at, done_at) of screenings due in the day and answered late."""
    statement = select(ArrivalTask.grid_code, ArrivalTask.due_at, ArrivalTask.done_at).where(
        ArrivalTask.kind == SCREENING,
        ArrivalTask.status == DONE,
        ArrivalTask.done_at > ArrivalTask.due_at,
        ArrivalTask.due_at >= start,
        ArrivalTask.due_at < end,
        scoped(ArrivalTask.grid_code, scope),
    )
    return [(str(g), d, a) for g, d, a in session.execute(statement).all() if a is not None]


def reports_by_channel(
    session: Session, scope: str, start: datetime, end: datetime
) -> Sequence[tuple[str, int]]:
    statement = (
        select(ArrivalReport.channel, func.count())
        .where(
            ArrivalReport.arrived_at >= start,
            ArrivalReport.arrived_at < end,
            within(ArrivalReport.region_code, scope),
        )
        .group_by(ArrivalReport.channel)
        .order_by(ArrivalReport.channel)
    )
    return [(str(c), int(n)) for c, n in session.execute(statement).all()]


def _trips_between(start: datetime, end: datetime, scope: str) -> ColumnElement[bool]:
    """Trips arrived in [start, end) inside ``scope``: by ``ix_trips_grid`` for a street or
    narrower, by ``ix_trips_grade`` (every grade named) for a wider scope."""
    between = and_(Trip.arrived_at >= start, Trip.arrived_at < end, scoped(Trip.grid_code, scope))
    if len(scope_prefix(scope)) >= WIDE_SCOPE_DIGITS:
        return between
    return and_(Trip.grade.in_(TRIP_GRADES), between)


def trips_by_grade(
    session: Session, scope: str, start: datetime, end: datetime
) -> Sequence[tuple[str, int]]:
    statement = (
        select(Trip.grade, func.count())
        .where(_trips_between(start, end, scope))
        .group_by(Trip.grade)
        .order_by(Trip.grade)
    )
    return [(str(g), int(n)) for g, n in session.execute(statement).all()]


def task_counts(
    session: Session, scope: str, kind: str, start: datetime, end: datetime
) -> tuple[int, int, int]:
    """Tasks of ``kind`` of the trips arrived in [start, end): all, done, done by the due time."""
    done = ArrivalTask.status == DONE
    statement = (
        select(
            func.count(),
            func.sum(case((done, 1), else_=0)),
            func.sum(case((and_(done, ArrivalTask.done_at <= ArrivalTask.due_at), 1), else_=0)),
        )
        .join(Trip, Trip.id == ArrivalTask.trip_id)
        .where(
            ArrivalTask.kind == kind,
            ArrivalTask.status.in_(LIVE),
            _trips_between(start, end, scope),
            scoped(ArrivalTask.grid_code, scope),
        )
    )
    total, finished, timely = session.execute(statement).one()
    return int(total or 0), int(finished or 0), int(timely or 0)


def overview_trips(
    session: Session, scope: str, digits: int, start: datetime, end: datetime
) -> dict[str, int]:
    key = prefix(Trip.grid_code, digits).label("key")
    statement = select(key, func.count()).where(_trips_between(start, end, scope)).group_by(key)
    return {str(k): int(n) for k, n in session.execute(statement).all()}


def overview_open(session: Session, scope: str, digits: int, now: datetime) -> Sequence[Any]:
    key = prefix(ArrivalTask.grid_code, digits).label("key")
    screening_overdue = and_(ArrivalTask.kind == SCREENING, ArrivalTask.due_at < now)
    statement = (
        select(
            key,
            func.count().label("open"),
            func.sum(case((screening_overdue, 1), else_=0)).label("overdue"),
            func.sum(case((ArrivalTask.escalation != "none", 1), else_=0)).label("escalated"),
        )
        .where(ArrivalTask.status == OPEN, scoped(ArrivalTask.grid_code, scope))
        .group_by(key)
    )
    return session.execute(statement).all()


def overview_landing(
    session: Session, scope: str, digits: int, start: datetime, end: datetime
) -> Sequence[Any]:
    key = prefix(ArrivalTask.grid_code, digits).label("key")
    statement = (
        select(
            key,
            func.count().label("total"),
            func.sum(case((ArrivalTask.status == DONE, 1), else_=0)).label("done"),
        )
        .join(Trip, Trip.id == ArrivalTask.trip_id)
        .where(
            ArrivalTask.kind == LANDING,
            ArrivalTask.status.in_(LIVE),
            _trips_between(start, end, scope),
            scoped(ArrivalTask.grid_code, scope),
        )
        .group_by(key)
    )
    return session.execute(statement).all()


def region_names(session: Session, codes: Sequence[str]) -> dict[str, str]:
    if not codes:
        return {}
    statement = select(Region.code, Region.name).where(Region.code.in_(list(codes)))
    return {str(c): str(n) for c, n in session.execute(statement).all()}


def region_exists(session: Session, code: str) -> bool:
    return session.get(Region, code) is not None
