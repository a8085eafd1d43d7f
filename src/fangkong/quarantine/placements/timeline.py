"""Quarantine's part of a person's timeline: placed, room assigned, released, transferred."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.orm import Session

from fangkong.auth.permissions import Perm
from fangkong.core.errors import N_
from fangkong.core.principal import Principal
from fangkong.models.quarantine import Placement
from fangkong.people.timeline import Entry, Msg, source
from fangkong.quarantine.placements import service
from fangkong.quarantine.placements.labels import MEASURE_LABELS


def _entries(placement: Placement) -> Iterable[Entry]:
    link = f"/quarantine/placements/{placement.id}"
    measure = {"measure": Msg(MEASURE_LABELS.get(placement.measure, placement.measure))}
    yield Entry(
        at=placement.created_at,
        domain="quarantine",
        text=N_("Placed under %(measure)s"),
        params=measure,
        link=link,
        tone="warn",
    )
    if placement.room_id is not None and placement.starts_at:
        yield Entry(
            at=placement.starts_at,
            domain="quarantine",
            text=N_("Given a room at a site"),
            params={},
            link=link,
            tone="",
        )
    if placement.released_at is not None:
        yield Entry(
            at=placement.released_at,
            domain="quarantine",
            text=N_("Released from %(measure)s"),
            params=measure,
            link=link,
            tone="ok",
        )
    if placement.transferred_at is not None:
        yield Entry(
            at=placement.transferred_at,
            domain="quarantine",
            text=N_("Transferred to hospital"),
            params={},
            link=link,
            tone="alert",
        )


@source
def placements(session: Session, actor: Principal, person_id: int) -> Iterable[Entry]:
    if not actor.can(Perm.QUARANTINE_READ):
        return []
    return [e for p in service.placements_of_person(session, person_id) for e in _entries(p)]
