"""Queries of local zones. Every read a caller sees starts from ``zones(actor)``, the
jurisdiction-scoped statement; the final-screening check reads the testing tables here, and
the cases and quarantine tables to know who was taken out of a zone."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    delete,
    exists,
    func,
    insert,
    literal,
    select,
    update,
)
from sqlalchemy.orm import Session, aliased

from fangkong.core.pagination import PageParams, fetch_page
from fangkong.core.principal import Principal
from fangkong.core.scoping import within
from fangkong.models import Household, Person, Region
from fangkong.models.cases import Case
from fangkong.models.person import PersonStatus
from fangkong.models.quarantine import Placement
from fangkong.models.testing import Tube, TubeMember
from fangkong.models.zones import Zone, ZoneArea, ZoneCase, ZoneEvent, ZoneResident


@dataclass(frozen=True)
class ZoneFilter:
    kind: str | None = None
    status: str | None = None
    region: str | None = None  # a region-code prefix
    pending: bool | None = None


def _prefixed(column: object, prefix: str) -> object:
    upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    return (column >= prefix) & (column < upper)  # type: ignore[operator]


def zones(actor: Principal) -> Select[Zone]:
    return select(Zone).where(within(Zone.region_code, actor.region_code))


def get_zone(session: Session, actor: Principal, zone_id: int) -> Zone | None:
    return session.scalars(zones(actor).where(Zone.id == zone_id)).one_or_none()


def zone_page(
    session: Session, actor: Principal, where: ZoneFilter, params: PageParams
) -> tuple[Sequence[Zone], str | None]:
    statement = zones(actor)
    if where.kind:
        statement = statement.where(Zone.kind == where.kind)
    if where.status:
        statement = statement.where(Zone.status == where.status)
    if where.region:
        statement = statement.where(_prefixed(Zone.region_code, where.region))  # type: ignore[arg-type]
    if where.pending is True:
        statement = statement.where(Zone.pending.is_not(None))
    elif where.pending is False:
        statement = statement.where(Zone.pending.is_(None))
    return fetch_page(session, statement, Zone.id, params, descending=True)


def active_zones(session: Session, actor: Principal) -> Sequence[Zone]:
    statement = zones(actor).where(Zone.status == "active").order_by(Zone.id)
    return session.scalars(statement).all()


def region_exists(session: Session, code: str) -> bool:
    return session.get(Region, code) is not None


# --- residents --------------------------------------------------------------------------


def _live() -> ColumnElement[bool]:
    return Person.status == PersonStatus.ACTIVE


def matching_households(
    session: Session, actor: Principal, address: str
) -> Sequence[tuple[int, str]]:
    """(id, grid) of the households in the jurisdiction whose address starts with ``address``."""
    escaped = address.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    statement = select(Household.id, Household.grid_code).where(
        within(Household.grid_code, actor.region_code),
        Household.address.like(f"{escaped}%", escape="\\"),
    )
    return [(row[0], row[1]) for row in session.execute(statement)]


def add_residents_in_region(session: Session, zone_id: int, code: str) -> None:
    """One INSERT … SELECT: the active people of the region's grids."""
    source = select(literal(zone_id), Person.id).where(_prefixed(Person.grid_code, code), _live())  # type: ignore[arg-type]
    session.execute(insert(ZoneResident).from_select(["zone_id", "person_id"], source))


def add_residents_of_households(session: Session, zone_id: int, household_ids: list[int]) -> None:
    for start in range(0, len(household_ids), 1000):
        chunk = household_ids[start : start + 1000]
        source = select(literal(zone_id), Person.id).where(Person.household_id.in_(chunk), _live())
        session.execute(insert(ZoneResident).from_select(["zone_id", "person_id"], source))


def resident_ids(session: Session, zone_id: int) -> list[int]:
    statement = select(ZoneResident.person_id).where(ZoneResident.zone_id == zone_id)
    return list(session.scalars(statement))


def count_residents(session: Session, zone_id: int) -> int:
    statement = select(func.count()).where(ZoneResident.zone_id == zone_id)
    return int(session.scalar(statement.select_from(ZoneResident)) or 0)


def resident_page(
    session: Session, zone_id: int, params: PageParams
) -> tuple[Sequence[Person], str | None]:
    statement = select(Person).join(ZoneResident, ZoneResident.person_id == Person.id)
    statement = statement.where(ZoneResident.zone_id == zone_id)
    return fetch_page(session, statement, Person.id, params)


def person_in_scope(session: Session, actor: Principal, person_id: int) -> Person | None:
    statement = select(Person).where(
        Person.id == person_id, within(Person.grid_code, actor.region_code), _live()
    )
    return session.scalars(statement).one_or_none()


def active_zones_of(session: Session, person_id: int) -> Sequence[Zone]:
    statement = (
        select(Zone)
        .join(ZoneResident, ZoneResident.zone_id == Zone.id)
        .where(ZoneResident.person_id == person_id, Zone.status == "active")
    )
    return session.scalars(statement).all()


# --- cases and history --------------------------------------------------------------------


def get_case(session: Session, zone_id: int, person_id: int) -> ZoneCase | None:
    return session.get(ZoneCase, (zone_id, person_id))


def cases(session: Session, zone_id: int) -> Sequence[tuple[ZoneCase, Person]]:
    statement = (
        select(ZoneCase, Person)
        .join(Person, Person.id == ZoneCase.person_id)
        .where(ZoneCase.zone_id == zone_id)
        .order_by(ZoneCase.infected_at.desc())
    )
    return [(row[0], row[1]) for row in session.execute(statement)]


def history(session: Session, zone_id: int) -> Sequence[ZoneEvent]:
    statement = select(ZoneEvent).where(ZoneEvent.zone_id == zone_id)
    return session.scalars(statement.order_by(ZoneEvent.at, ZoneEvent.id)).all()


def areas(session: Session, zone_id: int) -> Sequence[ZoneArea]:
    statement = select(ZoneArea).where(ZoneArea.zone_id == zone_id).order_by(ZoneArea.id)
    return session.scalars(statement).all()


# --- the final screening ------------------------------------------------------------------


def screening_gaps(
    session: Session, zone_id: int, start: datetime, end: datetime, campaign_id: int | None
) -> tuple[int, int]:
    """(residents with no negative sample in ``[start, end)``, residents with a sample there
    that is not negative: pending or positive). Both zero: the final screening is all negative.
    A resident taken out of the zone (``_moved_out``) is not owed a sample there; a sample
    they gave that was not negative still fails the screening. A positive pooled or household
    tube (an initial screen) is settled for a member by that member's negative single-tube
    retest after it and before ``end``: it then counts as the member's negative sample."""
    window = [
        TubeMember.person_id == ZoneResident.person_id,
        TubeMember.sampled_at >= start,
        TubeMember.sampled_at < end,
    ]
    if campaign_id is not None:
        window.append(TubeMember.campaign_id == campaign_id)
    settled = _settled_by_retest(end)
    negative = exists(
        select(TubeMember.tube_id)
        .join(Tube, Tube.id == TubeMember.tube_id)
        .where(*window, (Tube.result == "negative") | settled)
    )
    other = exists(
        select(TubeMember.tube_id)
        .join(Tube, Tube.id == TubeMember.tube_id)
        .where(*window, (Tube.result.is_(None)) | (Tube.result != "negative"), ~settled)
    )
    mine = select(func.count()).select_from(ZoneResident).where(ZoneResident.zone_id == zone_id)
    unsampled = session.scalar(mine.where(~negative, ~_moved_out())) or 0
    failed = session.scalar(mine.where(other)) or 0
    return int(unsampled), int(failed)


def _settled_by_retest(end: datetime) -> ColumnElement[bool]:
    """The enclosing ``Tube`` is a positive pooled or household tube and the enclosing
    ``TubeMember``'s person has a negative single tube sampled after it, before ``end``."""
    retest, retest_tube = aliased(TubeMember), aliased(Tube)
    negative_retest = (
        select(retest.tube_id)
        .join(retest_tube, retest_tube.id == retest.tube_id)
        .where(
            retest.person_id == TubeMember.person_id,
            retest.sampled_at > TubeMember.sampled_at,
            retest.sampled_at < end,
            retest_tube.kind == "single",
            retest_tube.result == "negative",
        )
    )
    return and_(Tube.kind != "single", Tube.result == "positive", exists(negative_retest))


def _moved_out() -> ColumnElement[bool]:
    """A resident taken out of the zone now: a case not yet discharged (an initial positive
    is taken for confirmation; a case to hospital or isolation) or a person in centralized
    quarantine (隔离点: an active placement; a pending one still waits at home)."""
    case = select(Case.id).where(
        Case.person_id == ZoneResident.person_id, Case.status.in_(("pending", "active"))
    )
    placed = select(Placement.id).where(
        Placement.person_id == ZoneResident.person_id,
        Placement.status == "active",
        Placement.measure == "centralized",
    )
    return exists(case) | exists(placed)


def present_residents(session: Session, zone_id: int) -> Sequence[tuple[int, int | None]]:
    """(person id, household id) of the residents in the zone now, by person id."""
    statement = (
        select(Person.id, Person.household_id)
        .join(ZoneResident, ZoneResident.person_id == Person.id)
        .where(ZoneResident.zone_id == zone_id, ~_moved_out())
        .order_by(Person.id)
    )
    return [(int(p), h) for p, h in session.execute(statement)]


# --- announcements ----------------------------------------------------------------------


def ended_in(
    session: Session, actor: Principal, start: datetime, end: datetime
) -> Sequence[ZoneEvent]:
    statement = (
        select(ZoneEvent)
        .join(Zone, Zone.id == ZoneEvent.zone_id)
        .where(
            within(Zone.region_code, actor.region_code),
            ZoneEvent.action.in_(("downgraded", "lifted")),
            ZoneEvent.at >= start,
            ZoneEvent.at < end,
        )
    )
    return session.scalars(statement).all()


def standing_at(session: Session, actor: Principal, at: datetime) -> Sequence[Zone]:
    """Zones declared before ``at`` and not lifted by then (their kind at ``at`` comes from
    their history)."""
    statement = zones(actor).where(
        Zone.declared_at < at, (Zone.lifted_at.is_(None)) | (Zone.lifted_at >= at)
    )
    return session.scalars(statement).all()


def kind_changes_before(session: Session, zone_ids: list[int], at: datetime) -> Sequence[ZoneEvent]:
    statement = select(ZoneEvent).where(
        ZoneEvent.zone_id.in_(zone_ids),
        ZoneEvent.action.in_(("declared", "downgraded")),
        ZoneEvent.at < at,
    )
    return session.scalars(statement.order_by(ZoneEvent.at, ZoneEvent.id)).all()


# --- merged people ------------------------------------------------------------------------


def repoint(session: Session, merged_id: int, kept_id: int) -> list[int]:
    """Move the merged person's zone rows to the kept one; the zone ids now listing kept."""
    kept_zones = select(ZoneResident.zone_id).where(ZoneResident.person_id == kept_id)
    moved = list(
        session.scalars(
            select(ZoneResident.zone_id).where(
                ZoneResident.person_id == merged_id, ZoneResident.zone_id.not_in(kept_zones)
            )
        )
    )
    session.execute(
        update(ZoneResident)
        .where(ZoneResident.person_id == merged_id, ZoneResident.zone_id.in_(moved))
        .values(person_id=kept_id)
    )
    session.execute(delete(ZoneResident).where(ZoneResident.person_id == merged_id))
    kept_cases = select(ZoneCase.zone_id).where(ZoneCase.person_id == kept_id)
    session.execute(
        update(ZoneCase)
        .where(and_(ZoneCase.person_id == merged_id, ZoneCase.zone_id.not_in(kept_cases)))
        .values(person_id=kept_id)
    )
    session.execute(delete(ZoneCase).where(ZoneCase.person_id == merged_id))
    return moved
