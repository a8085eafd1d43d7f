"""自动研判: who the edition's rules name as contacts of a case inside its trace-back window.

Each rule returns ``Candidate`` rows (a person, the reason, the exposure span and its
evidence); ``service.generate`` deduplicates and stores them. A scan is an instant, taken as
the stay: two people are at the same place when their scans at one venue lie within
± ``same_place_window_minutes``. A trip is the same mode, number and day, then the edition's
seat rule (``contacts.same_transport``).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping
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


Spans = Mapping[int, tuple[datetime, datetime]]  # person id → [start, end)


def household(session: Session, person_id: int, start: datetime, end: datetime) -> list[Candidate]:
    return households(session, {person_id: (start, end)}).get(person_id, [])


def households(
    session: Session, spans: Spans, *, secondary: bool = False
) -> dict[int, list[Candidate]]:
    """The household members of each person, over the person's span. ``secondary``: as the
    secondary contacts of those people (``named``)."""
    members = exposures.household_members(session, spans)
    return {
        person_id: [named(row.id, "household", spans[person_id],
                          {"household_id": row.household_id}, secondary=secondary)
                    for row in rows]
        for person_id, rows in members.items()
    }  # fmt: skip


def named(
    person_id: int, reason: str, span: tuple[datetime, datetime], evidence: dict[str, Any],
    *, secondary: bool,
) -> Candidate:  # fmt: skip
    """A candidate found by the rule ``reason``; ``secondary``: a secondary contact (reason
    ``secondary``), the rule kept as the evidence's ``via``."""
    if secondary:
        evidence["via"] = reason
        reason = "secondary"
    return Candidate(person_id, reason, span[0], span[1], evidence)


def venue(
    session: Session, person_id: int, start: datetime, end: datetime, margin: timedelta
) -> list[Candidate]:
    return venues(session, {person_id: (start, end)}, margin).get(person_id, [])


def venues(
    session: Session, spans: Spans, margin: timedelta, *, secondary: bool = False
) -> dict[int, list[Candidate]]:
    """The people scanned at the same venue within ± ``margin`` of each person's scans in its
    span (同一场所): every person's stays in one pass, then every stay's neighbours. One
    candidate per person met, as ``merged`` makes it: the span of all their meetings, the
    evidence of the first (a close contact's neighbours are the tens of thousands of a day's
    secondary contacts: evidence made for every meeting cost more than the rest).
    ``secondary``: as the secondary contacts of those people (``named``)."""
    stays = exposures.stays(session, spans)
    ranges = [(s.venue_id, s.scanned_at - margin, s.scanned_at + margin)
              for rows in stays.values() for s in rows]  # fmt: skip
    seen = _by_venue(exposures.at_venues(session, ranges))
    texts = InstantTexts()
    return {person_id: [_venue_candidate(meeting, texts, secondary=secondary)
                        for meeting in _met(person_id, rows, seen, margin)]
            for person_id, rows in stays.items()}  # fmt: skip


class InstantTexts:
    """The ISO text (``isoformat``) of instants, each distinct one made once: a batch's
    evidence and audit documents name the same instants again and again (a stay on each of
    its neighbours' candidates), and ``isoformat`` of a zoned instant costs over a
    microsecond. An instant outside UTC is kept apart by its offset (the same instant in two
    zones is written two ways)."""

    __slots__ = ("known",)

    def __init__(self) -> None:
        self.known: dict[Any, str] = {}

    def __call__(self, value: datetime) -> str:
        key = value if value.tzinfo is UTC else (value, value.utcoffset())
        text = self.known.get(key)
        if text is None:
            text = self.known[key] = value.isoformat()
        return text


Seen = dict[int, tuple[list[datetime], list[tuple[datetime, int]]]]


def _met(person_id: int, stays: list[Any], seen: Seen, margin: timedelta) -> Iterable[list[Any]]:
    """The meetings of one person's stays, one per person met: [first, last, stay, the other
    person's scan time, the other person] of the first meeting, widened by the later ones."""
    met: dict[int, list[Any]] = {}
    for stay in stays:
        at = stay.scanned_at
        for when, other in _around(seen, stay.venue_id, at, margin):
            if other == person_id:
                continue
            first, last = (at, when) if at <= when else (when, at)
            known = met.get(other)
            if known is None:
                met[other] = [first, last, stay, when, other]
                continue
            known[0], known[1] = min(known[0], first), max(known[1], last)
    return met.values()


def _by_venue(rows: Iterable[Any]) -> Seen:
    """Scans by venue as (time, person) in that order, with their times apart for bisection
    (plain tuples: a day's secondary pass looks at hundreds of thousands of them)."""
    grouped: dict[int, list[tuple[datetime, int]]] = {}
    for venue_id, person_id, at in rows:
        grouped.setdefault(venue_id, []).append((at, person_id))
    for scans in grouped.values():
        scans.sort()
    return {venue: ([at for at, _ in scans], scans) for venue, scans in grouped.items()}


def _around(
    seen: Seen, venue_id: int, at: datetime, margin: timedelta
) -> list[tuple[datetime, int]]:
    times, scans = seen.get(venue_id, ([], []))
    return scans[bisect_left(times, at - margin) : bisect_right(times, at + margin)]


def _venue_candidate(meeting: list[Any], texts: InstantTexts, *, secondary: bool) -> Candidate:
    """The candidate of a meeting (``_met``): its span, the evidence of its first stay."""
    first, last, stay, when, other = meeting
    evidence = {
        "venue_id": stay.venue_id,
        "venue_name": stay.venue_name or "",
        "case_scanned_at": texts(stay.scanned_at),
        "contact_scanned_at": texts(when),
    }
    return named(other, "venue", (first, last), evidence, secondary=secondary)


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
    return of_people(session, {person_id: window}, edition).get(person_id, [])


def of_people(session: Session, windows: Spans, edition: Edition) -> dict[int, list[Candidate]]:
    """``of_person`` of many people (a batch of cases), each over its own window: the
    households and the venue neighbours read in one pass each."""
    margin = timedelta(minutes=edition.contacts.same_place_window_minutes)
    homes, venues_ = households(session, windows), venues(session, windows, margin)
    rule = edition.contacts.same_transport
    return {
        person_id: [*homes.get(person_id, []), *venues_.get(person_id, []),
                    *transport(session, person_id, start, end, rule)]
        for person_id, (start, end) in windows.items()
    }  # fmt: skip


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
