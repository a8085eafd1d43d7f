"""Queries of the venue domain; every read a caller sees is scoped to the actor's jurisdiction
(and, for a venue operator, to the venues it operates)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, bindparam, delete, or_, select, tuple_
from sqlalchemy.orm import Session

from fangkong.core.iterables import batched
from fangkong.core.pagination import PageParams, fetch_page
from fangkong.core.principal import Principal
from fangkong.core.scoping import within
from fangkong.db import insert_with_ids
from fangkong.models import Region, User
from fangkong.models.venue import Venue, VenueClosure, VenueOperator

OPERATOR_ROLE = "venue_operator"
KEYS_PER_QUERY = 400


@dataclass(frozen=True)
class VenueFilter:
    type: str | None = None
    region: str | None = None  # a region-code prefix
    q: str | None = None  # part of the name
    active: bool | None = None


def _escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def scoped(actor: Principal) -> Select[Venue]:
    statement = select(Venue).where(within(Venue.region_code, actor.region_code))
    if actor.role == OPERATOR_ROLE:
        mine = select(VenueOperator.venue_id).where(VenueOperator.user_id == (actor.id or 0))
        statement = statement.where(Venue.id.in_(mine))
    return statement


def get_readable(session: Session, actor: Principal, venue_id: int) -> Venue | None:
    return session.scalars(scoped(actor).where(Venue.id == venue_id)).one_or_none()


def page(
    session: Session, actor: Principal, where: VenueFilter, params: PageParams
) -> tuple[Sequence[Venue], str | None]:
    statement = scoped(actor)
    if where.type:
        statement = statement.where(Venue.type == where.type)
    if where.region:
        prefix = where.region
        upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
        statement = statement.where(Venue.region_code >= prefix, Venue.region_code < upper)
    if where.q:
        statement = statement.where(Venue.name.like(f"%{_escaped(where.q)}%", escape="\\"))
    if where.active is not None:
        statement = statement.where(Venue.active.is_(where.active))
    return fetch_page(session, statement, Venue.id, params)


def get(session: Session, venue_id: int) -> Venue | None:
    return session.get(Venue, venue_id)


def by_region_and_name(session: Session, region_code: str, name: str) -> Venue | None:
    statement = select(Venue).where(Venue.region_code == region_code, Venue.name == name)
    return session.scalars(statement).one_or_none()


def by_region_and_names(
    session: Session, keys: Collection[tuple[str, str]]
) -> dict[tuple[str, str], Venue]:
    """The venues of these (region code, name) pairs that exist, a few hundred per query."""
    found: dict[tuple[str, str], Venue] = {}
    for chunk in batched(sorted(keys), KEYS_PER_QUERY):
        statement = select(Venue).where(tuple_(Venue.region_code, Venue.name).in_(chunk))
        found.update(((v.region_code, v.name), v) for v in session.scalars(statement))
    return found


def insert_venues(session: Session, rows: list[dict[str, object]]) -> list[int]:
    """New venues in one bulk insert (no ORM objects); their ids in the rows' order."""
    session.flush()
    return insert_with_ids(session.connection(), Venue.metadata.tables["venues"], rows)


def region_exists(session: Session, code: str) -> bool:
    return session.get(Region, code) is not None


def user(session: Session, user_id: int) -> User | None:
    return session.get(User, user_id)


def operators(session: Session, venue_id: int) -> Sequence[User]:
    statement = (
        select(User)
        .join(VenueOperator, VenueOperator.user_id == User.id)
        .where(VenueOperator.venue_id == venue_id)
        .order_by(User.username)
    )
    return session.scalars(statement).all()


def operator_link(session: Session, venue_id: int, user_id: int) -> VenueOperator | None:
    return session.get(VenueOperator, (venue_id, user_id))


def remove_operator(session: Session, venue_id: int, user_id: int) -> None:
    session.execute(
        delete(VenueOperator).where(
            VenueOperator.venue_id == venue_id, VenueOperator.user_id == user_id
        )
    )


def operated_venue_ids(session: Session, user_id: int) -> set[int]:
    return set(session.scalars(OPERATED, {"user_id": user_id}).all())


def operator_candidates(session: Session, actor: Principal, venue: Venue) -> Sequence[User]:
    """Active venue operators in the venue's district that the actor's jurisdiction holds."""
    statement = (
        select(User)
        .where(User.role == OPERATOR_ROLE, User.is_active.is_(True))
        .where(within(User.region_code, actor.region_code))
        .where(within(User.region_code, venue.region_code[:6]))
        .order_by(User.username)
        .limit(200)
    )
    return session.scalars(statement).all()


# Hot path (scans.hotpath runs them with the raw driver): a place code's venue as a row
# (``service.place_code_ref`` reads it), and the venues an operator operates.


def _latest_closure(column: Any) -> Any:
    """``column`` of the venue's latest closure (closures of a venue never overlap and start
    when they are made), correlated to ``venues``."""
    latest = (
        select(column)
        .where(VenueClosure.venue_id == Venue.id)
        .order_by(VenueClosure.starts_at.desc(), VenueClosure.id.desc())
        .limit(1)
    )
    return latest.correlate(Venue).scalar_subquery()


PLACE_CODE_ROW = select(
    Venue.id, Venue.name, Venue.type, Venue.region_code, Venue.address, Venue.active,
    Venue.place_code_version,
    _latest_closure(VenueClosure.starts_at), _latest_closure(VenueClosure.ends_at),
).where(Venue.id == bindparam("venue_id"))  # fmt: skip
OPERATED = select(VenueOperator.venue_id).where(VenueOperator.user_id == bindparam("user_id"))


# --- closures ---------------------------------------------------------------------------


def open_closure(session: Session, venue_id: int, at: datetime) -> VenueClosure | None:
    """The venue's closure in force at ``at`` (started, not ended)."""
    statement = select(VenueClosure).where(
        VenueClosure.venue_id == venue_id,
        VenueClosure.starts_at <= at,
        or_(VenueClosure.ends_at.is_(None), VenueClosure.ends_at > at),
    )
    return session.scalars(statement.order_by(VenueClosure.starts_at.desc()).limit(1)).first()


def closures(session: Session, venue_id: int, limit: int) -> Sequence[VenueClosure]:
    statement = select(VenueClosure).where(VenueClosure.venue_id == venue_id)
    return session.scalars(statement.order_by(VenueClosure.starts_at.desc()).limit(limit)).all()


def closed_venue_ids(session: Session, actor: Principal, at: datetime) -> list[int]:
    """Ids of the venues in the actor's reach closed at ``at``, in order."""
    reach = scoped(actor).with_only_columns(Venue.id)
    statement = select(VenueClosure.venue_id).where(
        VenueClosure.venue_id.in_(reach),
        VenueClosure.starts_at <= at,
        or_(VenueClosure.ends_at.is_(None), VenueClosure.ends_at > at),
    )
    return sorted(set(session.scalars(statement)))
