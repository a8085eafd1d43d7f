"""Trajectories' part of a person's timeline: each passenger record naming the person (flight,
train, coach or ship; number, stations, carriage and seat)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.orm import Session

from fangkong.auth.permissions import Perm
from fangkong.core.errors import N_
from fangkong.core.principal import Principal
from fangkong.people.timeline import Entry, Msg, source
from fangkong.tracing.trajectories import service
from fangkong.tracing.trajectories.labels import MODES


@source
def travel(session: Session, actor: Principal, person_id: int) -> Iterable[Entry]:
    if not actor.can(Perm.TRACING_READ):
        return []
    return [
        Entry(
            at=service.travel_start(record),
            domain="tracing",
            text=N_("Travelled by %(mode)s %(number)s, %(route)s, seat %(seat)s"),
            params={
                "mode": Msg(MODES.get(record.mode, record.mode)),
                "number": record.number,
                "route": f"{record.from_station}→{record.to_station}",
                "seat": " ".join(p for p in (record.carriage, record.seat) if p) or "—",
            },
            link=f"/tracing/travel?number={record.number}&travel_on={record.travel_on}",
        )
        for record in service.travel_of_person(session, person_id)
    ]
