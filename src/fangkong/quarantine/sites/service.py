"""Verbs of isolation sites (隔离点) and rooms: create, edit and deactivate a site in the
user's jurisdiction; add rooms one by one or in bulk ("801-830, 2 beds"); close a room for
cleaning; occupancy (beds, occupied, free, waiting) and the room grid (who is where, masked).

Services flush and never commit; every change writes an audit row."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import Session

from fangkong.audit import service as audit
from fangkong.core.masking import mask_person_name
from fangkong.core.pagination import PageParams
from fangkong.core.principal import Principal
from fangkong.models.quarantine import IsolationSite, Room
from fangkong.quarantine.sites import errors, repository
from fangkong.quarantine.sites.repository import SiteFilter
from fangkong.quarantine.sites.schemas import (
    Occupancy,
    Occupant,
    RoomOut,
    RoomsCreate,
    RoomUpdate,
    SiteCreate,
    SiteDetail,
    SiteOut,
    SiteUpdate,
)

__all__ = ["SiteFilter"]
MAX_ROOMS = 500
TOKEN = re.compile(r"^(?:(\d{1,6})-(\d{1,6})|([0-9A-Za-z]{1,16}))$")
SITE_FIELDS = ("name", "kind", "region_code", "address", "phone", "active")


def _audit(
    session: Session,
    actor: Principal,
    action: str,
    site: IsolationSite,
    before: dict[str, Any] | None,
    *,
    after: dict[str, Any] | None = None,
) -> None:
    audit.record(
        session,
        actor=actor,
        action=action,
        object_type="isolation_site",
        object_id=site.id,
        region_code=site.region_code,
        before=before,
        after=after if after is not None else {f: getattr(site, f) for f in SITE_FIELDS},
    )


def get_site(session: Session, *, actor: Principal, site_id: int) -> IsolationSite:
    site = repository.get(session, actor, site_id)
    if site is None:
        raise errors.SiteNotFound()
    return site


def create_site(session: Session, *, actor: Principal, data: SiteCreate) -> IsolationSite:
    if not actor.covers(data.region_code):
        raise errors.RegionOutOfScope()
    if not repository.region_exists(session, data.region_code):
        raise errors.UnknownRegion()
    if repository.by_name(session, data.region_code, data.name) is not None:
        raise errors.SiteExists()
    site = IsolationSite(**data.model_dump(mode="json"), active=True, created_by=actor.id)
    session.add(site)
    session.flush()
    _audit(session, actor, "isolation_site.create", site, None)
    return site


def update_site(
    session: Session, *, actor: Principal, site_id: int, data: SiteUpdate
) -> IsolationSite:
    site = get_site(session, actor=actor, site_id=site_id)
    changes = {
        k: v for k, v in data.model_dump(mode="json", exclude_unset=True).items() if v is not None
    }
    name = changes.get("name")
    if name and name != site.name and repository.by_name(session, site.region_code, name):
        raise errors.SiteExists()
    before = {f: getattr(site, f) for f in SITE_FIELDS}
    for field, value in changes.items():
        setattr(site, field, value)
    session.flush()
    if before != {f: getattr(site, f) for f in SITE_FIELDS}:
        _audit(session, actor, "isolation_site.update", site, before)
    return site


# --- rooms --------------------------------------------------------------------------------


def parse_numbers(text: str) -> list[str]:
    """ "801-830, 901" → ["801", …, "830", "901"]; a range keeps the width of its first end."""
    numbers: list[str] = []
    tokens = re.split(r"[,，;、\s]+", re.sub(r"\s*[-–~～]\s*", "-", text.strip()))
    for token in (t for t in tokens if t):
        match = TOKEN.match(token)
        if match is None:
            raise errors.BadRoomNumbers()
        first, last, single = match.groups()
        if single is not None:
            numbers.append(single)
            continue
        if int(last) < int(first) or int(last) - int(first) >= MAX_ROOMS:
            raise errors.BadRoomNumbers()
        numbers.extend(str(n).zfill(len(first)) for n in range(int(first), int(last) + 1))
    if not numbers or len(numbers) > MAX_ROOMS or len(set(numbers)) != len(numbers):
        raise errors.BadRoomNumbers()
    return numbers


def _floor(number: str) -> int | None:
    return int(number[:-2]) if number.isdigit() and len(number) >= 3 else None


def add_rooms(session: Session, *, actor: Principal, site_id: int, data: RoomsCreate) -> list[Room]:
    site = get_site(session, actor=actor, site_id=site_id)
    numbers = parse_numbers(data.numbers)
    taken = sorted(set(numbers) & repository.room_numbers(session, site.id))
    if taken:
        raise errors.RoomExists(", ".join(taken[:20]))
    rooms = [
        Room(
            site_id=site.id,
            number=n,
            beds=data.beds,
            floor=data.floor if data.floor is not None else _floor(n),
            status="available",
        )
        for n in numbers
    ]
    session.add_all(rooms)
    session.flush()
    _audit(
        session,
        actor,
        "isolation_site.rooms",
        site,
        None,
        after={"added": numbers, "beds": data.beds},
    )
    return rooms


def update_room(
    session: Session, *, actor: Principal, site_id: int, room_id: int, data: RoomUpdate
) -> Room:
    site = get_site(session, actor=actor, site_id=site_id)
    room = repository.room(session, site.id, room_id)
    if room is None:
        raise errors.RoomNotFound()
    before = {"number": room.number, "status": room.status, "beds": room.beds}
    closing = data.status is not None and data.status.value != "available"
    if closing and repository.room_occupied(session, room.id):
        raise errors.RoomOccupied()
    if data.status is not None:
        room.status = data.status.value
    if data.beds is not None:
        room.beds = data.beds
    session.flush()
    _audit(
        session,
        actor,
        "isolation_site.room",
        site,
        before,
        after={"number": room.number, "status": room.status, "beds": room.beds},
    )
    return room


# --- reading ------------------------------------------------------------------------------


def list_sites(
    session: Session, *, actor: Principal, page: PageParams, where: SiteFilter
) -> tuple[list[SiteOut], str | None]:
    rows, cursor = repository.page(session, actor, where, page)
    return outs(session, rows), cursor


def outs(session: Session, rows: Sequence[IsolationSite]) -> list[SiteOut]:
    ids = [s.id for s in rows]
    counts = repository.room_counts(session, ids)
    occupied = repository.occupied_counts(session, ids)
    items = []
    for site in rows:
        rooms, beds, closed = counts.get(site.id, (0, 0, 0))
        used = occupied.get(site.id, 0)
        out = SiteOut.model_validate(site)
        out.rooms = rooms
        out.occupancy = Occupancy(
            beds=beds,
            occupied=used,
            free=max(0, beds - used),
            closed_beds=closed,
            pending=repository.waiting_in(session, site.region_code),
        )
        items.append(out)
    return items


def detail(session: Session, *, actor: Principal, site_id: int) -> SiteDetail:
    site = get_site(session, actor=actor, site_id=site_id)
    [base] = outs(session, [site])
    out = SiteDetail.model_validate(base.model_dump())
    people: dict[int, list[Occupant]] = {}
    for placement, person in repository.occupants(session, site.id):
        people.setdefault(placement.room_id or 0, []).append(
            Occupant(
                placement_id=placement.id,
                name=mask_person_name(person.name),
                household_id=placement.household_id,
            )
        )
    out.room_list = [
        RoomOut.model_validate(r).model_copy(update={"occupants": people.get(r.id, [])})
        for r in repository.rooms(session, site.id)
    ]
    return out
