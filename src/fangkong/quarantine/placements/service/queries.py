"""Reading placements: the list (masked names, day N of M, the fever flag), a placement's
detail (tests, check-ins, room), the release queue, the certificate and the timeline."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from fangkong.core import clock
from fangkong.core.masking import mask_person_name
from fangkong.core.pagination import PageParams
from fangkong.core.principal import Principal
from fangkong.models.quarantine import Placement
from fangkong.quarantine.placements import repository, schedule
from fangkong.quarantine.placements.repository import PlacementFilter
from fangkong.quarantine.placements.schemas import (
    CheckInOut,
    PlacementDetail,
    PlacementOut,
    TestOut,
)
from fangkong.quarantine.placements.service.common import get_placement
from fangkong.quarantine.placements.service.daily import fever_from


def list_placements(
    session: Session, *, actor: Principal, page: PageParams, where: PlacementFilter
) -> tuple[list[PlacementOut], str | None]:
    rows, cursor = repository.page(session, actor, where, page, clock.now())
    return outs(session, rows), cursor


def outs(session: Session, rows: Sequence[Placement]) -> list[PlacementOut]:
    people = repository.people(session, [p.person_id for p in rows])
    fevers = repository.fevered(session, [p.id for p in rows], fever_from(session))
    now = clock.now()
    items = []
    for placement in rows:
        out = PlacementOut.model_validate(placement)
        person = people.get(placement.person_id)
        out.name = mask_person_name(person.name) if person else ""
        out.day_no = max(0, min(placement.days, schedule.day_of(placement.day0_at, now)))
        out.fever = placement.id in fevers
        items.append(out)
    return items


def detail(session: Session, *, actor: Principal, placement_id: int) -> PlacementDetail:
    placement = get_placement(session, actor=actor, placement_id=placement_id)
    [base] = outs(session, [placement])
    out = PlacementDetail.model_validate(base.model_dump())
    person = repository.person(session, placement.person_id)
    out.id_number = person.id_number_masked if person else ""
    if placement.room_id is not None:
        room = repository.room(session, placement.room_id)
        out.room_number = room.number if room else None
    if placement.site_id is not None:
        site = repository.site(session, placement.site_id)
        out.site_name = site.name if site else None
    out.tests = [TestOut.model_validate(t) for t in repository.tests_of(session, placement.id)]
    threshold = fever_from(session)
    out.check_ins = [
        CheckInOut.model_validate(c).model_copy(
            update={"fever": c.temperature is not None and c.temperature >= threshold}
        )
        for c in repository.check_ins(session, placement.id)
    ]
    return out


def release_queue(session: Session, *, actor: Principal) -> list[PlacementOut]:
    return outs(session, repository.due_for_release(session, actor, clock.now()))


@dataclass(frozen=True)
class Certificate:
    """解除隔离告知书: what the printed page shows."""

    certificate_no: str
    name: str
    id_number: str  # masked
    measure: str
    day0_at: datetime
    ends_at: datetime
    released_at: datetime
    site_name: str | None


def certificate(session: Session, *, actor: Principal, placement_id: int) -> Certificate | None:
    placement = get_placement(session, actor=actor, placement_id=placement_id)
    person = repository.person(session, placement.person_id)
    if placement.certificate_no is None or placement.released_at is None or person is None:
        return None
    site = repository.site(session, placement.site_id) if placement.site_id else None
    return Certificate(
        certificate_no=placement.certificate_no,
        name=person.name,
        id_number=person.id_number_masked,
        measure=placement.measure,
        day0_at=placement.day0_at,
        ends_at=placement.ends_at,
        released_at=placement.released_at,
        site_name=site.name if site else None,
    )


def placements_of_person(session: Session, person_id: int) -> Sequence[Placement]:
    return repository.of_person(session, person_id)


def active_of_person(session: Session, person_id: int) -> Placement | None:
    active = [p for p in repository.open_of_person(session, person_id) if p.status == "active"]
    return active[0] if active else None


def count_for_export(session: Session, *, actor: Principal, where: PlacementFilter) -> int:
    return repository.count_rows(session, actor, where, clock.now())


def export_rows(
    session: Session, *, actor: Principal, where: PlacementFilter, after: list[Any] | None,
    limit: int,
) -> tuple[list[tuple[Any, ...]], list[Any] | None]:  # fmt: skip
    """One keyset chunk of the placement list for an export (``repository.EXPORT_COLUMNS``),
    names masked as in the list; and the key of the next chunk (None at the end)."""
    first = after[0] if after else None
    rows = repository.export_rows(session, actor, where, clock.now(), after=first, limit=limit)
    key = [rows[-1][0]] if len(rows) == limit else None
    return [(r[0], mask_person_name(r[1]), *r[2:]) for r in rows], key
