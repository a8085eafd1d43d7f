"""Queries of intake, each scoped to the principal's jurisdiction (region-code prefix)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from fangkong.core.iterables import batched
from fangkong.core.principal import Principal
from fangkong.core.scoping import within
from fangkong.models import Person, User
from fangkong.models.arrivals import ArrivalReport, ArrivalTask, Checkpoint, CheckpointStaff, Trip

CHUNK = 500


def reports_of_person(session: Session, person_id: int) -> Sequence[ArrivalReport]:
    statement = (select(ArrivalReport).where(ArrivalReport.person_id == person_id)
                 .order_by(ArrivalReport.arrived_at.desc()).limit(200))  # fmt: skip
    return session.scalars(statement).all()


def staffed_checkpoint(session: Session, actor: Principal, checkpoint_id: int) -> Checkpoint | None:
    """The active checkpoint if the actor is on its staff."""
    statement = select(Checkpoint).join(
        CheckpointStaff, CheckpointStaff.checkpoint_id == Checkpoint.id
    ).where(Checkpoint.id == checkpoint_id, Checkpoint.active.is_(True),
            CheckpointStaff.user_id == (actor.id or 0))  # fmt: skip
    return session.scalars(statement).first()


def staffed_checkpoints(session: Session, actor: Principal) -> Sequence[Checkpoint]:
    statement = select(Checkpoint).join(
        CheckpointStaff, CheckpointStaff.checkpoint_id == Checkpoint.id
    ).where(Checkpoint.active.is_(True), CheckpointStaff.user_id == (actor.id or 0)
            ).order_by(Checkpoint.name)  # fmt: skip
    return session.scalars(statement).all()


def checkpoints(session: Session, actor: Principal) -> Sequence[Checkpoint]:
    statement = select(Checkpoint).where(within(Checkpoint.region_code, actor.region_code))
    return session.scalars(statement.order_by(Checkpoint.region_code, Checkpoint.name)).all()


def checkpoint(session: Session, actor: Principal, checkpoint_id: int) -> Checkpoint | None:
    found = session.get(Checkpoint, checkpoint_id)
    return found if found is not None and actor.covers(found.region_code) else None


def checkpoint_by_name(session: Session, region_code: str, name: str) -> Checkpoint | None:
    statement = select(Checkpoint).where(
        Checkpoint.region_code == region_code, Checkpoint.name == name
    )
    return session.scalars(statement).first()


def staff_of(session: Session, checkpoint_ids: Sequence[int]) -> dict[int, list[User]]:
    found: dict[int, list[User]] = {i: [] for i in checkpoint_ids}
    if not checkpoint_ids:
        return found
    statement = (
        select(CheckpointStaff.checkpoint_id, User)
        .join(User, User.id == CheckpointStaff.user_id)
        .where(CheckpointStaff.checkpoint_id.in_(checkpoint_ids))
        .order_by(User.username)
    )
    for checkpoint_id, user in session.execute(statement):
        found[checkpoint_id].append(user)
    return found


def unmatched_report(session: Session, actor: Principal, report_id: int) -> ArrivalReport | None:
    report = session.get(ArrivalReport, report_id)
    if report is None or report.person_id is not None or not actor.covers(report.region_code):
        return None
    return report


def trip(session: Session, actor: Principal, trip_id: int) -> Trip | None:
    found = session.get(Trip, trip_id)
    return found if found is not None and actor.covers(found.grid_code) else None


def names_of(session: Session, person_ids: Sequence[int]) -> dict[int, str]:
    ids = sorted(set(person_ids))
    found: dict[int, str] = {}
    for i in range(0, len(ids), CHUNK):
        statement = select(Person.id, Person.name).where(Person.id.in_(ids[i : i + CHUNK]))
        found.update(session.execute(statement).all())
    return found


def reports_of_trip(session: Session, trip_id: int) -> Sequence[ArrivalReport]:
    statement = select(ArrivalReport).where(ArrivalReport.trip_id == trip_id)
    return session.scalars(statement.order_by(ArrivalReport.arrived_at, ArrivalReport.id)).all()


def tasks_of_trip(session: Session, trip_id: int) -> Sequence[ArrivalTask]:
    statement = select(ArrivalTask).where(ArrivalTask.trip_id == trip_id)
    return session.scalars(statement.order_by(ArrivalTask.created_at, ArrivalTask.id)).all()


@dataclass(frozen=True)
class ReportFilter:
    channel: str | None = None
    matched: bool | None = None
    region: str | None = None
    arrived_from: datetime | None = None
    arrived_to: datetime | None = None
    batch_ref: str | None = None


def reports_query(actor: Principal, where: ReportFilter) -> Select[ArrivalReport]:
    statement = select(ArrivalReport).where(within(ArrivalReport.region_code, actor.region_code))
    if where.channel:
        statement = statement.where(ArrivalReport.channel == where.channel)
    if where.matched is not None:
        column = ArrivalReport.person_id
        statement = statement.where(column.is_not(None) if where.matched else column.is_(None))
    if where.region:
        statement = statement.where(within(ArrivalReport.region_code, where.region))
    if where.arrived_from:
        statement = statement.where(ArrivalReport.arrived_at >= where.arrived_from)
    if where.arrived_to:
        statement = statement.where(ArrivalReport.arrived_at < where.arrived_to)
    if where.batch_ref:
        statement = statement.where(ArrivalReport.batch_ref == where.batch_ref)
    return statement


def trips_query(actor: Principal, where: Any) -> Select[Trip]:
    """``where`` is a ``service.TripFilter``."""
    statement = select(Trip).where(within(Trip.grid_code, actor.region_code))
    for column, value in ((Trip.grade, where.grade), (Trip.measure, where.measure),
                          (Trip.status, where.status)):  # fmt: skip
        if value:
            statement = statement.where(column == value)
    if where.channel:
        statement = statement.where(
            Trip.id.in_(select(ArrivalReport.trip_id).where(ArrivalReport.channel == where.channel))
        )
    if where.arrived_from:
        statement = statement.where(Trip.arrived_at >= where.arrived_from)
    if where.arrived_to:
        statement = statement.where(Trip.arrived_at < where.arrived_to)
    if where.region:
        statement = statement.where(within(Trip.grid_code, where.region))
    if where.name:
        names = select(Person.id).where(Person.name.startswith(where.name, autoescape=True))
        statement = statement.where(Trip.person_id.in_(names))
    return statement


def open_trips_touching(
    session: Session, counties: Sequence[str], start: datetime, end: datetime | None
) -> list[Trip]:
    """Open or screened trips from these counties whose travel days meet ``[start, end)``."""
    from fangkong.arrivals.intake.trips import Place, travel_origin  # noqa: PLC0415

    if not counties:
        return []
    statement = select(Trip).where(
        Trip.origin_code.in_(sorted(set(counties))), Trip.status.in_(("open", "screened")),
        Trip.arrived_at >= start,
    )  # fmt: skip
    found = session.scalars(statement).all()
    return [t for t in found if end is None or travel_origin(Place.of(t)).start < end]


def trips_of_person(session: Session, person_id: int, limit: int = 50) -> Sequence[Trip]:
    statement = (select(Trip).where(Trip.person_id == person_id)
                 .order_by(Trip.arrived_at.desc()).limit(limit))  # fmt: skip
    return session.scalars(statement).all()


# Columns of the trip export: the id (the keyset) and masked numbers only.
EXPORT_COLUMNS = (
    Trip.id, Person.name, Person.id_number_masked, Person.phone_masked, Trip.origin_province,
    Trip.origin_city, Trip.origin_district, Trip.origin_area, Trip.departed_on, Trip.arrived_at,
    Trip.grade, Trip.affected_county, Trip.measure, Trip.measure_ends_at, Trip.grid_code,
    Trip.status,
)  # fmt: skip


def count_trips(session: Session, actor: Principal, where: Any) -> int:
    """``where`` is a ``service.TripFilter``."""
    statement = trips_query(actor, where)
    counted = statement.with_only_columns(func.count(), maintain_column_froms=True)
    return int(session.scalar(counted) or 0)


def trip_rows(
    session: Session, actor: Principal, where: Any, after: int | None, limit: int
) -> Sequence[Any]:
    """Up to ``limit`` rows of ``EXPORT_COLUMNS`` after the trip id ``after`` (newest first)."""
    statement = trips_query(actor, where).with_only_columns(*EXPORT_COLUMNS)
    statement = statement.join(Person, Person.id == Trip.person_id)
    if after is not None:
        statement = statement.where(Trip.id < after)
    return session.execute(statement.order_by(Trip.id.desc()).limit(limit)).all()


def people_by_id(session: Session, person_ids: Sequence[int]) -> dict[int, Person]:
    """People by id (the identity map's copies where loaded), in chunks of IN lists."""
    found: dict[int, Person] = {}
    for chunk in batched(sorted(set(person_ids)), CHUNK):
        statement = select(Person).where(Person.id.in_(chunk))
        found.update((person.id, person) for person in session.scalars(statement))
    return found
