"""Queries of screening. Tasks are scoped by their grid code (a region-code prefix range, so
``ix_arrival_tasks_todo`` and ``ix_arrival_tasks_due`` serve every list); figures count per
grid in one pass over a covering index (migration 0015) and the reports roll the grids up."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Float,
    FunctionElement,
    Select,
    String,
    and_,
    bindparam,
    case,
    cast,
    exists,
    func,
    literal,
    select,
    text,
    tuple_,
    update,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql import operators
from sqlalchemy.sql.expression import UnaryExpression

from fangkong.core.iterables import batched
from fangkong.core.scoping import scope_prefix, within
from fangkong.db import among
from fangkong.models import Person, Region
from fangkong.models.arrivals import ArrivalReport, ArrivalTask, Trip
from fangkong.models.healthcode import HealthFact
from fangkong.models.testing import TubeMember
from fangkong.policy.types import Grade, Reason

OPEN = "open"
DONE = "done"
LOOKUP_CHUNK = 5_000  # people per IN list
SCREENING = "screening"
LANDING = "landing_test"
UNSCREENED = Reason.ARRIVAL_UNSCREENED.value
# Every grade a trip can have: naming them all lets ``ix_trips_grade (grade, arrived_at,
# grid_code, id)`` serve a day's trips (one range per grade) from the index alone.
TRIP_GRADES = (*(g.value for g in Grade), "none")
# A scope wider than a street (a district, the city) holds too many tasks to range over by
# grid code: such a scope is written as a prefix comparison no index serves, so that the
# planners of both databases walk ``ix_arrival_tasks_due`` (status, due_at) — in due order,
# stopping after a page — or ``ix_trips_grade`` (grade, arrived_at, ...) instead.
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


def open_landing_of(session: Session, person_ids: Sequence[int]) -> list[tuple[int, int, datetime]]:
    """(task id, person id, the trip's arrival) of these people's open landing tests."""
    found: list[tuple[int, int, datetime]] = []
    for chunk in batched(person_ids, LOOKUP_CHUNK):
        statement = (
            select(ArrivalTask.id, ArrivalTask.person_id, Trip.arrived_at)
            .join(Trip, Trip.id == ArrivalTask.trip_id)
            .where(
                ArrivalTask.person_id.in_(chunk),
                ArrivalTask.kind == LANDING,
                ArrivalTask.status == OPEN,
            )
        )
        found.extend((row[0], row[1], row[2]) for row in session.execute(statement))
    return found


def mark_landing_done(session: Session, rows: Sequence[tuple[int, int, datetime]]) -> None:
    """(task id, tube id, sampled at): each landing test done by that tube, in one statement."""
    if not rows:
        return
    statement = (
        update(ArrivalTask)
        .where(ArrivalTask.id == bindparam("task_id"))
        .values(status=DONE, done_at=bindparam("at"), done_ref=bindparam("ref"))
        .execution_options(synchronize_session=False)
    )
    session.connection().execute(statement, [
        {"task_id": task_id, "at": at, "ref": f"tube:{tube_id}"} for task_id, tube_id, at in rows
    ])  # fmt: skip


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
# Each figure is one pass over an index that holds every column it reads (migration 0015). The
# tasks' figures count per grid and the reports roll the grids up to the level asked for (a
# parent's count is the sum of its children's). The open tasks' status is written inline
# (``const``) so that both planners match it to the partial index ``ix_arrival_tasks_open``
# (... WHERE status = 'open'). The two planners need the scope and a day's join written
# differently (``in_scope``, ``_day_tasks``).


def _postgresql(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def plan_with_values(session: Session) -> None:
    """On PostgreSQL, plan the rest of this transaction's statements with their values. The
    driver prepares a statement it has run five times, and the server then plans it once for
    any values: blind to the day and the scope, it sorts a city's rows or joins them row by
    row (the figures took twice as long after ten calls)."""
    if _postgresql(session):
        session.execute(text("SET LOCAL plan_cache_mode = force_custom_plan"))


def const(value: str) -> ColumnElement[str]:
    """A constant written into the SQL text (not a bound parameter): a partial index's
    condition is matched against the text of the query's."""
    return literal(value, literal_execute=True)


def is_open() -> ColumnElement[bool]:
    return ArrivalTask.status == const(OPEN)


def in_scope(session: Session, column: Any, scope: str) -> ColumnElement[bool]:
    """``column`` inside ``scope``, for the figures. PostgreSQL gets the range (``within``):
    its planner estimates a range from the column's statistics, where it takes a prefix test
    for a few hundred rows and then sorts a city's rows (on disk) instead of counting them by
    hash, or joins them row by row. SQLite gets ``scoped``: its planner then walks the grids
    one by one (a skip-scan) instead of every row of the scope in the index."""
    if _postgresql(session):
        return within(column, scope)
    return scoped(column, scope)


def not_sought(session: Session, column: Any, *, everywhere: bool = False) -> Any:
    """``column`` for a test made on each index entry read rather than by seeking: SQLite
    gets ``+column``. Looking up each trip's tasks in ``ix_arrival_tasks_trip`` it would
    otherwise seek once per combination of the IN lists on (kind, status) after the trip id,
    four seeks a trip where one reads the trip's few entries (a city's day of tasks counted
    in less than half the time). ``everywhere``: PostgreSQL too, as ``column || ''`` (a text
    column), which no index serves either."""
    if _postgresql(session):
        return column.concat("") if everywhere else column
    return UnaryExpression(column, operator=operators.custom_op("+"), type_=column.type)


def open_placements(session: Session, trip_ids: Sequence[int]) -> Sequence[ArrivalTask]:
    """The open ``placement`` tasks of these trips, from the trips' entries in
    ``ix_arrival_tasks_trip``, kind and status tested on each. Written as plain conditions,
    PostgreSQL's planner, with the statistics of a table that was empty before one large
    import, walks all of ``ix_arrival_tasks_open`` for the kind instead (58 ms a call for 500
    trips among 180,000 tasks, against 2 ms)."""
    statement = select(ArrivalTask).where(
        among(session, ArrivalTask.trip_id, trip_ids),
        not_sought(session, ArrivalTask.kind, everywhere=True) == "placement",
        not_sought(session, ArrivalTask.status, everywhere=True) == OPEN,
    )
    return session.scalars(statement.order_by(ArrivalTask.id)).all()


def prefix(column: Any, digits: int) -> ColumnElement[str]:
    return func.substr(column, 1, digits)


class seconds_between(FunctionElement[float]):  # noqa: N801 - an SQL function
    """``later - earlier`` in seconds (two UTC timestamps), written per dialect."""

    type = Float()
    name = "seconds_between"
    inherit_cache = True


@compiles(seconds_between)
def _seconds_postgresql(element: seconds_between, compiler: Any, **kw: Any) -> str:
    later, earlier = (compiler.process(c, **kw) for c in element.clauses)
    return f"EXTRACT(EPOCH FROM ({later} - {earlier}))"


@compiles(seconds_between, "sqlite")
def _seconds_sqlite(element: seconds_between, compiler: Any, **kw: Any) -> str:
    later, earlier = (compiler.process(c, **kw) for c in element.clauses)
    return f"((julianday({later}) - julianday({earlier})) * 86400.0)"


def overdue_grids(session: Session, scope: str, now: datetime, region: str | None) -> Sequence[Any]:
    """Per grid: open overdue screenings, the earliest deadline, escalations."""
    statement = (
        select(
            ArrivalTask.grid_code.label("key"),
            func.count().label("n"),
            func.min(ArrivalTask.due_at).label("first_due"),
            func.sum(case((ArrivalTask.escalation == "street", 1), else_=0)).label("street"),
            func.sum(case((ArrivalTask.escalation == "district", 1), else_=0)).label("district"),
        )
        .where(
            is_open(),
            ArrivalTask.kind == SCREENING,
            ArrivalTask.due_at < now,
            in_scope(session, ArrivalTask.grid_code, scope),
        )
        .group_by(ArrivalTask.grid_code)
    )
    if region:
        statement = statement.where(in_scope(session, ArrivalTask.grid_code, region))
    return session.execute(statement).all()


def accountability_grids(
    session: Session, scope: str, *, start: datetime, end: datetime, now: datetime
) -> Sequence[Any]:
    """Per grid, in one pass: screenings due in [start, end), screened in time, late, still
    open past due, the earliest open deadline and the seconds of the latest late answer."""
    done = ArrivalTask.status == DONE
    in_time = and_(done, ArrivalTask.done_at <= ArrivalTask.due_at)
    late = and_(done, ArrivalTask.done_at > ArrivalTask.due_at)
    overdue = and_(ArrivalTask.status == OPEN, ArrivalTask.due_at < now)
    lateness = seconds_between(ArrivalTask.done_at, ArrivalTask.due_at)
    statement = (
        select(
            ArrivalTask.grid_code.label("key"),
            func.count().label("due"),
            func.sum(case((in_time, 1), else_=0)).label("in_time"),
            func.sum(case((late, 1), else_=0)).label("late"),
            func.sum(case((overdue, 1), else_=0)).label("overdue"),
            func.min(case((overdue, ArrivalTask.due_at), else_=None)).label("first_due"),
            func.max(case((late, lateness), else_=None)).label("late_seconds"),
        )
        .where(
            ArrivalTask.kind == SCREENING,
            ArrivalTask.status.in_(LIVE),
            ArrivalTask.due_at >= start,
            ArrivalTask.due_at < end,
            in_scope(session, ArrivalTask.grid_code, scope),
        )
        .group_by(ArrivalTask.grid_code)
    )
    return session.execute(statement).all()


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


def _trips_between(
    session: Session, start: datetime, end: datetime, scope: str, *, by_grade: bool = True
) -> ColumnElement[bool]:
    """Trips arrived in [start, end) inside ``scope``: by ``ix_trips_grid`` for a street or
    narrower, by ``ix_trips_grade`` (every grade named; it holds the grid code and the id) for
    a wider scope unless not ``by_grade``."""
    between = and_(
        Trip.arrived_at >= start, Trip.arrived_at < end, in_scope(session, Trip.grid_code, scope)
    )
    if len(scope_prefix(scope)) >= WIDE_SCOPE_DIGITS or not by_grade:
        return between
    return and_(Trip.grade.in_(TRIP_GRADES), between)


def _tasks_of_trips(
    session: Session, start: datetime, end: datetime, scope: str
) -> list[ColumnElement[bool]]:
    """The conditions of a join of the tasks to the trips arrived in [start, end) inside
    ``scope``. On PostgreSQL also the range of those trips' ids (looked up first, so that the
    planner knows it), which the join implies: it would otherwise hash every task of every day,
    where with it it reads the tasks of the day's ids from ``ix_arrival_tasks_trip`` (ids
    follow arrivals closely). SQLite looks each trip's tasks up in that index anyway."""
    between = _trips_between(session, start, end, scope)
    if not _postgresql(session):
        return [between]
    # ``id + 0``: the lowest and highest of the day's ids from ``ix_trips_grade``, not a walk
    # of the primary key from either end past every other day's trips
    shifted = Trip.id + 0
    lowest, highest = session.execute(
        select(func.min(shifted), func.max(shifted)).where(between)
    ).one()
    if lowest is None:
        return [between]
    return [between, ArrivalTask.trip_id.between(int(lowest), int(highest))]


def trips_by_grade(
    session: Session, scope: str, start: datetime, end: datetime
) -> Sequence[tuple[str, int]]:
    statement = (
        select(Trip.grade, func.count())
        .where(_trips_between(session, start, end, scope))
        .group_by(Trip.grade)
        .order_by(Trip.grade)
    )
    return [(str(g), int(n)) for g, n in session.execute(statement).all()]


def _day_tasks(
    session: Session,
    columns: Sequence[Any],
    day: tuple[datetime, datetime, str],
    kinds: Sequence[str],
    statuses: Sequence[str],
) -> Select[Any]:
    """``columns`` of the tasks of ``kinds`` and ``statuses`` whose trips arrived in
    [start, end) inside the scope (``day``). A district or the city reads one range of
    ``ix_arrival_tasks_arrived`` per kind and status (each task carries its trip's arrival):
    the day's tasks done are counted without reading the open ones. A street or narrower
    reaches its few tasks from its trips (``ix_trips_grid``), the kind and status tested on
    each entry (``not_sought``) so that neither planner walks the tasks of every day."""
    start, end, scope = day
    kind, status = ArrivalTask.kind, ArrivalTask.status
    statement: Select[Any] = select(*columns).where(in_scope(session, ArrivalTask.grid_code, scope))
    if len(scope_prefix(scope)) < WIDE_SCOPE_DIGITS:
        return statement.where(
            kind.in_(kinds), status.in_(statuses),
            ArrivalTask.arrived_at >= start, ArrivalTask.arrived_at < end,
        )  # fmt: skip
    return statement.join(Trip, Trip.id == ArrivalTask.trip_id).where(
        not_sought(session, kind).in_(kinds),
        not_sought(session, status).in_(statuses),
        *_tasks_of_trips(session, start, end, scope),
    )


TaskCounts = tuple[int, int, int]  # all, done, done by the due time


def task_counts(
    session: Session, scope: str, start: datetime, end: datetime
) -> dict[str, TaskCounts]:
    """Landing tests and screenings of the trips arrived in [start, end), per kind: all, done,
    done by the due time. Counted per kind and status, in the index's order (no sort)."""
    timely = case((ArrivalTask.done_at <= ArrivalTask.due_at, 1), else_=0)
    columns = (ArrivalTask.kind, ArrivalTask.status, func.count(), func.sum(timely))
    statement = _day_tasks(session, columns, (start, end, scope), (LANDING, SCREENING), LIVE)
    found = {LANDING: [0, 0, 0], SCREENING: [0, 0, 0]}
    rows = session.execute(statement.group_by(ArrivalTask.kind, ArrivalTask.status)).all()
    for kind, status, n, in_time in rows:
        counts = found[str(kind)]
        counts[0] += int(n)
        if status == DONE:
            counts[1] += int(n)
            counts[2] += int(in_time or 0)
    return {kind: (c[0], c[1], c[2]) for kind, c in found.items()}


def done_counts(session: Session, scope: str, start: datetime, end: datetime) -> dict[str, int]:
    """Landing tests and screenings done of the trips arrived in [start, end), per kind."""
    columns = (ArrivalTask.kind, func.count())
    statement = _day_tasks(session, columns, (start, end, scope), (LANDING, SCREENING), (DONE,))
    found = {str(k): int(n) for k, n in session.execute(statement.group_by(ArrivalTask.kind))}
    return {kind: found.get(kind, 0) for kind in (LANDING, SCREENING)}


def trips_per_grid(session: Session, scope: str, start: datetime, end: datetime) -> Sequence[Any]:
    """Per grid: trips arrived in [start, end). SQLite walks ``ix_trips_grid`` (grid_code,
    arrived_at) grid by grid, which holds all it needs unless the grades are named."""
    by_grade = _postgresql(session)
    statement = (
        select(Trip.grid_code.label("key"), func.count().label("n"))
        .where(_trips_between(session, start, end, scope, by_grade=by_grade))
        .group_by(Trip.grid_code)
    )
    return session.execute(statement).all()


def open_grids(session: Session, scope: str, now: datetime) -> Sequence[Any]:
    """Per grid, from ``ix_arrival_tasks_open`` in its order (no sort): open tasks, overdue
    screenings among them, escalated ones."""
    screening_overdue = and_(ArrivalTask.kind == SCREENING, ArrivalTask.due_at < now)
    statement = (
        select(
            ArrivalTask.grid_code.label("key"),
            func.count().label("open"),
            func.sum(case((screening_overdue, 1), else_=0)).label("overdue"),
            func.sum(case((ArrivalTask.escalation != "none", 1), else_=0)).label("escalated"),
        )
        .where(is_open(), in_scope(session, ArrivalTask.grid_code, scope))
        .group_by(ArrivalTask.grid_code)
    )
    return session.execute(statement).all()


def overview_landing(
    session: Session, scope: str, digits: int, start: datetime, end: datetime
) -> Sequence[Any]:
    """Per ``digits``-long prefix: the landing tests of the trips arrived in [start, end), and
    those done."""
    key = prefix(ArrivalTask.grid_code, digits).label("key")
    columns = (key, func.count().label("total"),
               func.sum(case((ArrivalTask.status == DONE, 1), else_=0)).label("done"))  # fmt: skip
    statement = _day_tasks(session, columns, (start, end, scope), (LANDING,), LIVE)
    return session.execute(statement.group_by(key)).all()


def region_names(session: Session, codes: Sequence[str]) -> dict[str, str]:
    if not codes:
        return {}
    statement = select(Region.code, Region.name).where(Region.code.in_(list(codes)))
    return {str(c): str(n) for c, n in session.execute(statement).all()}


def region_exists(session: Session, code: str) -> bool:
    return session.get(Region, code) is not None
