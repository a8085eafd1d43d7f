"""自动研判: who the edition's rules name as contacts of a case inside its trace-back window.

Each rule returns ``Candidate`` rows (a person, the reason, the exposure span and its
evidence); ``service.generate`` deduplicates and stores them. A scan is an instant, taken as
the stay: two people are at the same place when their scans at one venue lie within
± ``same_place_window_minutes``. A trip is the same mode, number and day, then the edition's
seat rule (``contacts.same_transport``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from typing import Any

from sqlalchemy.orm import Session

from fangkong.core import clock
from fangkong.models.tracing import TravelRecord
from fangkong.policy.schema import Edition, TransportRule
from fangkong.tracing.contacts import exposures


@dataclass(frozen=True)
class Candidate:
    person_id: int
    reason: str
    start: datetime
    end: datetime
    evidence: dict[str, Any] = field(default_factory=dict)


def household(session: Session, person_id: int, start: datetime, end: datetime) -> list[Candidate]:
    return [
        Candidate(row.id, "household", start, end, {"household_id": row.household_id})
        for row in exposures.household_members(session, person_id)
    ]


def venue(
    session: Session, person_id: int, start: datetime, end: datetime, margin: timedelta
) -> list[Candidate]:
    found = []
    for stay in exposures.stays(session, person_id, start, end):
        around = (stay.scanned_at - margin, stay.scanned_at + margin)
        for other in exposures.at_venue(session, stay.venue_id, *around):
            if other.person_id != person_id:
                found.append(_venue_candidate(stay, other))
    return found


def _venue_candidate(stay: Any, other: Any) -> Candidate:
    first, last = sorted((stay.scanned_at, other.scanned_at))
    evidence = {
        "venue_id": stay.venue_id,
        "venue_name": stay.venue_name or "",
        "case_scanned_at": stay.scanned_at.isoformat(),
        "contact_scanned_at": other.scanned_at.isoformat(),
    }
    return Candidate(other.person_id, "venue", first, last, evidence)


def transport(
    session: Session, person_id: int, start: datetime, end: datetime, rule: TransportRule
) -> list[Candidate]:
    first, last = (t.astimezone(clock.LOCAL_TZ).date() for t in (start, end))
    found = []
    for trip in exposures.trips_of(session, person_id, first, last):
        for other in exposures.fellow_passengers(session, trip):
            if other.person_id is not None and same_transport(trip, other, rule):
                found.append(_trip_candidate(trip, other, other.person_id))
    return found


def same_transport(trip: TravelRecord, other: TravelRecord, rule: TransportRule) -> bool:
    """The edition's seat rule (同乘交通工具) for a fellow passenger of the same trip."""
    if trip.mode == "flight":
        return _rows_near(trip, other, rule.flight_rows_around)
    if trip.mode == "train":
        if other.carriage != trip.carriage:
            return False
        return rule.train_whole_carriage or _rows_near(trip, other, rule.train_rows_around)
    if trip.mode == "coach":
        return rule.coach_everyone
    return False  # the edition names no rule for ships: the epidemiologist names them


def _rows_near(trip: TravelRecord, other: TravelRecord, rows: int) -> bool:
    if trip.seat_row is None or other.seat_row is None:
        return False
    return abs(trip.seat_row - other.seat_row) <= rows


def _trip_span(trip: TravelRecord) -> tuple[datetime, datetime]:
    day = datetime.combine(trip.travel_on, time(0), tzinfo=clock.LOCAL_TZ).astimezone(UTC)
    departed = trip.departed_at or day
    return departed, trip.arrived_at or departed


def _trip_candidate(trip: TravelRecord, other: TravelRecord, person_id: int) -> Candidate:
    start, end = _trip_span(trip)
    evidence = {
        "mode": trip.mode, "number": trip.number, "travel_on": trip.travel_on.isoformat(),
        "case_carriage": trip.carriage, "case_seat": trip.seat,
        "contact_carriage": other.carriage, "contact_seat": other.seat,
    }  # fmt: skip
    return Candidate(person_id, "transport", start, end, evidence)


def of_person(
    session: Session, person_id: int, window: tuple[datetime, datetime], edition: Edition
) -> list[Candidate]:
    """Household, venue and transport candidates of one person inside the window."""
    start, end = window
    margin = timedelta(minutes=edition.contacts.same_place_window_minutes)
    return [
        *household(session, person_id, start, end),
        *venue(session, person_id, start, end, margin),
        *transport(session, person_id, start, end, edition.contacts.same_transport),
    ]


def merged(found: Iterable[Candidate]) -> list[Candidate]:
    """One candidate per person and reason: the widest span, the first evidence."""
    best: dict[tuple[int, str], Candidate] = {}
    for item in found:
        key = (item.person_id, item.reason)
        seen = best.get(key)
        if seen is None:
            best[key] = item
        else:
            span = (min(seen.start, item.start), max(seen.end, item.end))
            best[key] = Candidate(item.person_id, item.reason, *span, seen.evidence)
    return list(best.values())
