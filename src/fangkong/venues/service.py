"""Verbs of the venue domain: register, change, list, deactivate, rotate the place code,
close for a while and reopen (暂停营业), operators; and the lookups other domains call
(place code → venue, operated venues, the venues closed).

Every verb takes the acting ``Principal`` and works inside its jurisdiction; a venue
operator reaches only the venues it operates. Services flush, never commit; every change
writes an audit row.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from fangkong.config import Settings
from fangkong.core import clock
from fangkong.core.pagination import PageParams
from fangkong.core.principal import Principal
from fangkong.core.scoping import covers
from fangkong.models import User
from fangkong.models.venue import Venue, VenueClosure, VenueOperator
from fangkong.policy.types import VenueType
from fangkong.venues import bulk, errors, placecode, repository, validation
from fangkong.venues.audit_trail import closure_snapshot, record, snapshot
from fangkong.venues.repository import OPERATOR_ROLE, VenueFilter
from fangkong.venues.schemas import ClosureIn, ReopenIn, VenueCreate, VenueRef, VenueUpdate

__all__ = [
    "VenueFilter",
    "add_operator",
    "close_venue",
    "closed_venue_ids",
    "closure_in_force",
    "closures",
    "create_venue",
    "create_venues",
    "deactivate_venue",
    "get_venue",
    "list_venues",
    "operated_venue_ids",
    "operator_candidates",
    "operators",
    "place_code",
    "remove_operator",
    "reopen_venue",
    "resolve_place_code",
    "rotate_place_code",
    "update_venue",
    "venue_ref",
]


def ref_of(venue: Venue) -> VenueRef:
    return VenueRef(
        id=venue.id,
        name=venue.name,
        type=VenueType(venue.type),
        region_code=venue.region_code,
        address=venue.address,
    )


# --- reading ----------------------------------------------------------------------------


def get_venue(session: Session, *, actor: Principal, venue_id: int) -> Venue:
    venue = repository.get_readable(session, actor, venue_id)
    if venue is None:
        raise errors.VenueNotFound()
    return venue


def list_venues(
    session: Session, *, actor: Principal, page: PageParams, where: VenueFilter
) -> tuple[Sequence[Venue], str | None]:
    return repository.page(session, actor, where, page)


def place_code(settings: Settings, venue: Venue) -> tuple[str, str]:
    """The venue's current token and the URL its QR carries."""
    token = placecode.token_for(settings, venue.id, venue.place_code_version)
    return token, placecode.url_for(settings, token)


def venue_ref(session: Session, venue_id: int) -> VenueRef | None:
    """Unscoped, for internal use (the scans domain resolving a venue it already trusts)."""
    venue = repository.get(session, venue_id)
    return ref_of(venue) if venue is not None else None


def operated_venue_ids(session: Session, user_id: int) -> set[int]:
    return repository.operated_venue_ids(session, user_id)


def resolve_place_code(session: Session, settings: Settings, token: str) -> VenueRef:
    """The venue a place code names; forged, rotated-away or inactive → ``PlaceCodeInvalid``."""
    venue_id, version = parse_place_code(settings, token)
    row = session.execute(PLACE_CODE_ROW, {"venue_id": venue_id}).first()
    return place_code_ref(tuple(row) if row is not None else None, version)


# The statements the entry check runs itself, off the ORM (scans.hotpath).
PLACE_CODE_ROW = repository.PLACE_CODE_ROW
OPERATED = repository.OPERATED


def parse_place_code(settings: Settings, token: str) -> tuple[int, int]:
    """``(venue_id, version)`` of a genuine token, else ``PlaceCodeInvalid`` (no database)."""
    parsed = placecode.parse(settings, token)
    if parsed is None:
        raise errors.PlaceCodeInvalid()
    return parsed


def place_code_ref(row: tuple[Any, ...] | None, version: int) -> VenueRef:
    """The venue of a ``PLACE_CODE_ROW`` row, unless closed or of another code version."""
    if row is None:
        raise errors.PlaceCodeInvalid()
    venue_id, name, type_, region_code, address, active, current, since, until = row
    if current != version or not active:
        raise errors.PlaceCodeInvalid()
    return VenueRef(id=venue_id, name=name, type=VenueType(type_), region_code=region_code,
                    address=address, closed_since=since, closed_until=until)  # fmt: skip


# --- changing ---------------------------------------------------------------------------


def _unique(session: Session, region_code: str, name: str, venue_id: int | None) -> None:
    found = repository.by_region_and_name(session, region_code, name)
    if found is not None and found.id != venue_id:
        raise errors.DuplicateName()


def _flush(session: Session) -> None:
    """Flush; a concurrent insert of the same (region, name) is the same conflict."""
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError as exc:
        raise errors.DuplicateName() from exc


def create_venue(session: Session, *, actor: Principal, data: VenueCreate) -> Venue:
    region_code = validation.region(session, actor, data.region_code)
    _unique(session, region_code, data.name, None)
    venue = Venue(
        name=data.name,
        type=data.type.value,
        region_code=region_code,
        address=data.address,
        active=True,
        place_code_version=1,
    )
    session.add(venue)
    _flush(session)
    record(session, actor, "venue.create", venue, after=snapshot(venue))
    return venue


def create_venues(session: Session, *, actor: Principal, data: Sequence[VenueCreate]) -> list[int]:
    """Many venues at once, with ``create_venue``'s checks and audit (all or none: a name
    taken in its region, here or in the database, refuses the whole list); their ids in
    order. One query per few hundred names and one insert, not a flush per venue."""
    rows = [bulk.new_row(item.name, item.type.value, validation.region(session, actor,
                         item.region_code), item.address) for item in data]  # fmt: skip
    keys = {(row["region_code"], row["name"]) for row in rows}
    if len(keys) < len(rows) or repository.by_region_and_names(session, keys):
        raise errors.DuplicateName()
    return bulk.store_new(session, actor, rows, "venue.create")


def update_venue(session: Session, *, actor: Principal, venue_id: int, data: VenueUpdate) -> Venue:
    venue = get_venue(session, actor=actor, venue_id=venue_id)
    changes = data.model_dump(exclude_unset=True)
    if "region_code" in changes:
        changes["region_code"] = validation.region(session, actor, changes["region_code"])
    if "type" in changes:
        changes["type"] = VenueType(changes["type"]).value
    region_code = changes.get("region_code", venue.region_code)
    _unique(session, region_code, changes.get("name", venue.name), venue.id)
    before = snapshot(venue)
    for field, value in changes.items():
        setattr(venue, field, value)
    _flush(session)
    if snapshot(venue) != before:
        record(session, actor, "venue.update", venue, before=before, after=snapshot(venue))
    return venue


def deactivate_venue(session: Session, *, actor: Principal, venue_id: int) -> Venue:
    venue = get_venue(session, actor=actor, venue_id=venue_id)
    if venue.active:
        before = snapshot(venue)
        venue.active = False
        session.flush()
        record(session, actor, "venue.deactivate", venue, before=before, after=snapshot(venue))
    return venue


def rotate_place_code(session: Session, *, actor: Principal, venue_id: int) -> Venue:
    """A new place code: the version goes up, so posters printed before stop working."""
    venue = get_venue(session, actor=actor, venue_id=venue_id)
    if not venue.active:
        raise errors.VenueInactive()
    before = snapshot(venue)
    venue.place_code_version += 1
    session.flush()
    record(session, actor, "venue.place_code_rotate", venue, before=before, after=snapshot(venue))
    return venue


# --- closures (暂停营业) -------------------------------------------------------------------


def close_venue(
    session: Session, *, actor: Principal, venue_id: int, data: ClosureIn
) -> VenueClosure:
    """Close the venue from now until ``data.until`` (none: until reopened); its check-ins
    are refused meanwhile. One closure at a time."""
    venue = get_venue(session, actor=actor, venue_id=venue_id)
    if not venue.active:
        raise errors.VenueInactive()
    now = clock.now()
    until = data.until
    if until is not None and (until.tzinfo is None or until <= now):
        raise errors.ClosureEndsInPast()
    if repository.open_closure(session, venue.id, now) is not None:
        raise errors.AlreadyClosed()
    closure = VenueClosure(venue_id=venue.id, reason=data.reason, starts_at=now, ends_at=until,
                           closed_by=actor.id)  # fmt: skip
    session.add(closure)
    venue.updated_at = now  # the entry check's venue mark: cached venues are read again
    session.flush()
    record(session, actor, "venue.close", venue, after=closure_snapshot(closure))
    return closure


def reopen_venue(
    session: Session, *, actor: Principal, venue_id: int, data: ReopenIn
) -> VenueClosure:
    """End the venue's closure in force now."""
    venue = get_venue(session, actor=actor, venue_id=venue_id)
    now = clock.now()
    closure = repository.open_closure(session, venue.id, now)
    if closure is None:
        raise errors.NotClosed()
    before = closure_snapshot(closure)
    closure.ends_at, closure.reopened_by, closure.reopen_note = now, actor.id, data.note
    venue.updated_at = now
    session.flush()
    record(session, actor, "venue.reopen", venue, before=before, after=closure_snapshot(closure))
    return closure


def closures(
    session: Session, *, actor: Principal, venue_id: int, limit: int = 50
) -> Sequence[VenueClosure]:
    """The venue's closures, latest first."""
    venue = get_venue(session, actor=actor, venue_id=venue_id)
    return repository.closures(session, venue.id, limit)


def closure_in_force(session: Session, *, actor: Principal, venue_id: int) -> VenueClosure | None:
    venue = get_venue(session, actor=actor, venue_id=venue_id)
    return repository.open_closure(session, venue.id, clock.now())


def closed_venue_ids(
    session: Session, *, actor: Principal, at: datetime | None = None
) -> list[int]:
    """The venues in the actor's reach closed at ``at`` (default now)."""
    return repository.closed_venue_ids(session, actor, at or clock.now())


# --- operators --------------------------------------------------------------------------


def operators(session: Session, *, actor: Principal, venue_id: int) -> Sequence[User]:
    venue = get_venue(session, actor=actor, venue_id=venue_id)
    return repository.operators(session, venue.id)


def operator_candidates(session: Session, *, actor: Principal, venue: Venue) -> Sequence[User]:
    taken = {user.id for user in repository.operators(session, venue.id)}
    found = repository.operator_candidates(session, actor, venue)
    return [user for user in found if user.id not in taken]


def _operator(session: Session, actor: Principal, venue: Venue, user_id: int) -> User:
    user = repository.user(session, user_id)
    if user is None or not actor.covers(user.region_code):
        raise errors.OperatorNotFound()
    if user.role != OPERATOR_ROLE:
        raise errors.NotAnOperator()
    if not covers(venue.region_code[:6], user.region_code):
        raise errors.OperatorOutOfScope()
    return user


def add_operator(session: Session, *, actor: Principal, venue_id: int, user_id: int) -> User:
    venue = get_venue(session, actor=actor, venue_id=venue_id)
    user = _operator(session, actor, venue, user_id)
    if repository.operator_link(session, venue.id, user.id) is None:
        session.add(VenueOperator(venue_id=venue.id, user_id=user.id))
        session.flush()
        after = {"operator_id": user.id, "operator": user.username}
        record(session, actor, "venue.operator_add", venue, after=after)
    return user


def remove_operator(session: Session, *, actor: Principal, venue_id: int, user_id: int) -> None:
    venue = get_venue(session, actor=actor, venue_id=venue_id)
    user = repository.user(session, user_id)
    if user is None or repository.operator_link(session, venue.id, user_id) is None:
        raise errors.OperatorNotFound()
    repository.remove_operator(session, venue.id, user_id)
    before = {"operator_id": user.id, "operator": user.username}
    record(session, actor, "venue.operator_remove", venue, before=before)
