"""Arrivals' part of a person's timeline: each trip with its origin, grade and measure."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.orm import Session

from fangkong.arrivals.intake import service
from fangkong.arrivals.intake.labels import GRADES, MEASURES
from fangkong.auth.permissions import Perm
from fangkong.core.errors import N_
from fangkong.core.principal import Principal
from fangkong.people.timeline import Entry, Msg, source

TONES = {"high": "alert", "medium": "warn", "low": "warn"}


@source
def trips(session: Session, actor: Principal, person_id: int) -> Iterable[Entry]:
    if not actor.can(Perm.ARRIVALS_READ):
        return []
    return [
        Entry(
            at=trip.arrived_at,
            domain="arrivals",
            text=N_("Arrived from %(origin)s (%(grade)s): %(measure)s"),
            params={
                "origin": "".join(
                    dict.fromkeys((trip.origin_province, trip.origin_city, trip.origin_district))
                ),
                "grade": Msg(GRADES.get(trip.grade, trip.grade)),
                "measure": Msg(MEASURES.get(trip.measure, trip.measure)),
            },
            link=f"/arrivals/trips/{trip.id}",
            tone=TONES.get(trip.grade, ""),
        )
        for trip in service.trips_of_person(session, person_id)
    ]
