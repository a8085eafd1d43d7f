"""Queries of isolation sites and rooms. Every read starts from ``sites(actor)``: the sites
lying in the actor's jurisdiction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import Session

from fangkong.core.pagination import PageParams, fetch_page
from fangkong.core.principal import Principal
from fangkong.core.scoping import within
from fangkong.models import Person, Region
from fangkong.models.quarantine import IsolationSite, Placement, Room

OPEN = ("pending", "active")


@dataclass(frozen=True)
class SiteFilter:
    kind: str | None = None
    active: bool | None = None
    region: str | None = None


def sites(actor: Principal) -> Select[IsolationSite]:
    return select(IsolationSite).where(within(IsolationSite.region_code, actor.region_code))


def get(session: Session, actor: Principal, site_id: int) -> IsolationSite | None:
    return session.scalars(sites(actor).where(IsolationSite.id == site_id)).one_or_none()


def page(
    session: Session, actor: Principal, where: SiteFilter, params: PageParams
) -> tuple[Sequence[IsolationSite], str | None]:
    statement = sites(actor)
    if where.kind is not None:
        statement = statement.where(IsolationSite.kind == where.kind)
    if where.active is not None:
        statement = statement.where(IsolationSite.active == where.active)
    if where.region:
        statement = statement.where(within(IsolationSite.region_code, where.region))
    return fetch_page(session, statement, IsolationSite.id, params)


def by_name(session: Session, region_code: str, name: str) -> IsolationSite | None:
    statement = select(IsolationSite).where(
        IsolationSite.region_code == region_code, IsolationSite.name == name
    )
    return session.scalars(statement).one_or_none()


def region_exists(session: Session, code: str) -> bool:
    return session.get(Region, code) is not None


# --- rooms and occupancy ----------------------------------------------------------------------


def rooms(session: Session, site_id: int) -> Sequence[Room]:
    statement = select(Room).where(Room.site_id == site_id)
    return session.scalars(statement.order_by(Room.floor, Room.number)).all()


def room(session: Session, site_id: int, room_id: int) -> Room | None:
    statement = select(Room).where(Room.site_id == site_id, Room.id == room_id)
    return session.scalars(statement).one_or_none()


def room_numbers(session: Session, site_id: int) -> set[str]:
    return set(session.scalars(select(Room.number).where(Room.site_id == site_id)))


def occupants(session: Session, site_id: int) -> Sequence[tuple[Placement, Person]]:
    statement = (
        select(Placement, Person)
        .join(Person, Person.id == Placement.person_id)
        .where(
            Placement.site_id == site_id, Placement.status.in_(OPEN), Placement.room_id.is_not(None)
        )
        .order_by(Placement.id)
    )
    return [(row[0], row[1]) for row in session.execute(statement)]


def room_counts(session: Session, site_ids: Sequence[int]) -> dict[int, tuple[int, int, int]]:
    """Per site: (rooms, beds in rooms that take people, beds in closed or cleaning rooms)."""
    usable = case((Room.status == "available", Room.beds), else_=0)
    closed = case((Room.status != "available", Room.beds), else_=0)
    statement = (
        select(
            Room.site_id,
            func.count(),
            func.coalesce(func.sum(usable), 0),
            func.coalesce(func.sum(closed), 0),
        )
        .where(Room.site_id.in_(site_ids))
        .group_by(Room.site_id)
    )
    return {r[0]: (int(r[1]), int(r[2]), int(r[3])) for r in session.execute(statement)}


def occupied_counts(session: Session, site_ids: Sequence[int]) -> dict[int, int]:
    statement = (
        select(Room.site_id, func.count())
        .select_from(Placement)
        .join(Room, Room.id == Placement.room_id)
        .where(
            Placement.site_id.in_(site_ids), Placement.status.in_(OPEN), Room.status == "available"
        )
        .group_by(Room.site_id)
    )
    return {r[0]: int(r[1]) for r in session.execute(statement)}


def waiting_in(session: Session, region_code: str) -> int:
    statement = (
        select(func.count())
        .select_from(Placement)
        .where(
            Placement.status == "pending",
            Placement.measure == "centralized",
            within(Placement.region_code, region_code[:6]),
        )
    )
    return int(session.scalar(statement) or 0)


def room_occupied(session: Session, room_id: int) -> bool:
    statement = (
        select(func.count())
        .select_from(Placement)
        .where(Placement.room_id == room_id, Placement.status.in_(OPEN))
    )
    return bool(session.scalar(statement))
