"""Rooms for centralized placements: one at a time, or hundreds in one action.

A room never holds two unrelated people (related = the same ``household_id``; a person with no
household shares with nobody), never more people than its beds, and a closed or cleaning room
takes nobody. Bulk assignment groups the pending placements by household and gives each group
the first rooms of the site that take it whole (a group larger than any room fills empty rooms
one after another, still one household per room), and reports who could not be placed and why.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import groupby

from sqlalchemy.orm import Session

from fangkong.arrivals.screening import service as screening
from fangkong.core import clock
from fangkong.core.errors import DomainError
from fangkong.core.principal import Principal
from fangkong.models.quarantine import Placement, Room
from fangkong.quarantine.placements import errors, repository
from fangkong.quarantine.placements.schemas import BulkAssign, BulkResult, Unplaced
from fangkong.quarantine.placements.service.common import (
    get_placement,
    recount,
    snapshot,
    write_audit,
)
from fangkong.quarantine.sites.errors import SiteNotFound


def _check_placeable(placement: Placement) -> None:
    if placement.status not in ("pending", "active"):
        raise errors.NotOpen()
    if placement.measure != "centralized":
        raise errors.NotCentralized()


def _check_room(session: Session, room: Room, placement: Placement) -> None:
    if room.status != "available":
        raise errors.RoomClosed()
    others = [p for p in repository.occupants(session, room.id) if p.id != placement.id]
    if len(others) >= room.beds:
        raise errors.RoomFull()
    if others and (
        placement.household_id is None
        or any(p.household_id != placement.household_id for p in others)
    ):
        raise errors.RoomShared()


def _put(session: Session, actor: Principal, placement: Placement, room: Room) -> None:
    before = snapshot(placement)
    if placement.status == "pending":  # the period under control starts in the room
        placement.starts_at = max(placement.day0_at, clock.now())
    placement.site_id, placement.room_id, placement.status = room.site_id, room.id, "active"
    session.flush()
    write_audit(session, actor, "placement.room", placement, before)
    if placement.trip_id is not None:
        screening.placement_done(
            session, trip_id=placement.trip_id, placement_ref=f"placement:{placement.id}"
        )


def assign_room(
    session: Session, *, actor: Principal, placement_id: int, room_id: int
) -> Placement:
    placement = get_placement(session, actor=actor, placement_id=placement_id)
    room = repository.room_in_scope(session, actor, room_id)
    if room is None:
        raise errors.RoomNotFound()
    _check_placeable(placement)
    _check_room(session, room, placement)
    _put(session, actor, placement, room)
    recount(session, [placement.region_code])
    return placement


@dataclass(frozen=True)
class FreeRoom:
    room_id: int
    number: str
    site_name: str
    free: int


def free_rooms(session: Session, *, actor: Principal) -> list[FreeRoom]:
    """Rooms with a free bed in the active sites of the jurisdiction (the room picker)."""
    return [
        FreeRoom(room.id, room.number, site.name, free)
        for room, site, free in repository.free_rooms(session, actor)
    ]


# --- in bulk ------------------------------------------------------------------------------


class _Rooms:
    """The site's available rooms with their free beds and household, updated as we place."""

    def __init__(self, rows: Sequence[tuple[Room, int, int | None]]) -> None:
        self.rooms = [row[0] for row in rows]
        self.free = {room.id: room.beds - used for room, used, _ in rows}
        self.household = {room.id: (hh if used else None) for room, used, hh in rows}

    def take(self, household: int | None, size: int) -> list[Room]:
        whole = self._whole(household, size)
        if whole is not None:
            return [whole] * size
        if household is None:
            return []
        return self._spread(size)

    def _whole(self, household: int | None, size: int) -> Room | None:
        for room in self.rooms:
            shared = household is not None and self.household[room.id] == household
            empty = self.free[room.id] == room.beds
            if (empty or shared) and self.free[room.id] >= size:
                return room
        return None

    def _spread(self, size: int) -> list[Room]:
        empty = [r for r in self.rooms if self.free[r.id] == r.beds and r.beds > 0]
        chosen: list[Room] = []
        for room in empty:
            chosen.extend([room] * min(room.beds, size - len(chosen)))
            if len(chosen) == size:
                return chosen
        return []

    def book(self, room: Room, household: int | None) -> None:
        self.free[room.id] -= 1
        self.household[room.id] = household


def _site_in_scope(session: Session, actor: Principal, site_id: int) -> None:
    site = repository.site(session, site_id)
    if site is None or not actor.covers(site.region_code):
        raise SiteNotFound()


def assign_bulk(session: Session, *, actor: Principal, data: BulkAssign) -> BulkResult:
    _site_in_scope(session, actor, data.site_id)
    found = {p.id: p for p in repository.pending_in(session, actor, data.placement_ids)}
    result = BulkResult()
    for placement_id in dict.fromkeys(data.placement_ids):
        code = _refusal(found.get(placement_id))
        if code:
            result.unplaced.append(Unplaced(placement_id=placement_id, code=code))
    ready = [p for p in found.values() if not _refusal(p)]
    rooms = _Rooms(repository.open_rooms(session, data.site_id))
    for household, group in _households(ready):
        chosen = rooms.take(household, len(group))
        if not chosen:
            result.unplaced.extend(
                Unplaced(placement_id=p.id, code=errors.RoomFull.code) for p in group
            )
            continue
        for placement, room in zip(group, chosen, strict=True):
            rooms.book(room, household)
            _put(session, actor, placement, room)
            result.assigned[placement.id] = room.id
    recount(session, [p.region_code for p in ready])
    return result


def _refusal(placement: Placement | None) -> str | None:
    if placement is None:
        return errors.PlacementNotFound.code
    try:
        _check_placeable(placement)
    except DomainError as exc:
        return exc.code
    return "quarantine.already_in_room" if placement.room_id is not None else None


def _households(placements: list[Placement]) -> list[tuple[int | None, list[Placement]]]:
    """Households together (largest first, so they find whole rooms); the unrelated alone."""
    keyed = sorted(placements, key=lambda p: (p.household_id is None, p.household_id or 0, p.id))
    groups: list[tuple[int | None, list[Placement]]] = []
    for household, members in groupby(keyed, key=lambda p: p.household_id):
        people = list(members)
        if household is None:
            groups.extend((None, [p]) for p in people)
        else:
            groups.append((household, people))
    return sorted(groups, key=lambda g: -len(g[1]))
