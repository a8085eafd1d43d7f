"""Reports into trips, and trips classified: the one path every channel and every batch size
takes (a self-report is a batch of one; a pushed list comes in chunks).

Merging: a person's report joins the trip of that person whose arrival lies within the
edition's ``merge_window_hours`` of the report's (the nearest one); otherwise it opens a new
trip. The trip's arrival is its earliest report's.

Which origin wins: the worst grade (safety first). A trip's origin is the worst-graded among
its current origin and the origins of the reports that join it; on equal grades the origin it
already had stays. An officer's correction replaces the origin outright; later reports can only
make it worse, and a change of the national list re-grades the origin the trip holds.

Classification: ``riskareas.matching.match_many`` (one query per batch) over the travel days
(the departure date's first instant, else the arrival day's, to the arrival, Asia/Shanghai);
the measure from ``edition.arrivals.by_origin``. Tasks: ``landing_test`` due at the arrival
plus ``landing_test_within_hours`` (none when null), ``screening`` due at the trip's first
report plus ``screening_deadline_hours``, and ``placement`` where the measure isolates
(centralized or home isolation), due with the screening (the grid worker arranges it).
A high grade with an isolating measure raises ``Reason.ARRIVAL_HIGH_RISK`` until the measure
ends (``ref=trip:<id>``); a reclassification that no longer warrants it ends it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from fangkong.arrivals.events import TripClassified, TripsClassified
from fangkong.arrivals.riskareas.matching import NONE, Match, Origin, match_many
from fangkong.core import clock, events
from fangkong.core.iterables import batched
from fangkong.db import among, bulk_insert, insert_with_ids
from fangkong.healthcode.events import FactEnded, FactRaised, FactsRaisedEach
from fangkong.models import Person
from fangkong.models.arrivals import ArrivalReport, ArrivalTask, Trip
from fangkong.policy.schema import Edition
from fangkong.policy.types import Grade, Measure, Reason

ISOLATING = frozenset({Measure.CENTRALIZED.value, Measure.HOME_ISOLATION.value})
RANK = {Grade.HIGH.value: 3, Grade.MEDIUM.value: 2, Grade.LOW.value: 1, NONE: 0}
CHUNK = 500
SOURCE = "arrivals"
OPEN, CANCELLED = "open", "cancelled"
FUTURE_SKEW = timedelta(minutes=10)  # clocks of phones and scanners run a little ahead


@dataclass(frozen=True)
class Place:
    """An origin as a report or a correction gives it."""

    province: str
    city: str
    district: str
    code: str
    area: str
    departed_on: date | None
    arrived_at: datetime
    # its grade, when the caller looked it up already (a pushed list's checking process)
    match: Match | None = field(default=None, compare=False)

    @classmethod
    def of(cls, row: ArrivalReport | Trip) -> Place:
        return cls(row.origin_province, row.origin_city, row.origin_district, row.origin_code,
                   row.origin_area or "", row.departed_on, row.arrived_at,
                   getattr(row, "match", None))  # fmt: skip


@dataclass
class Attached:
    new_trips: list[Trip] = field(default_factory=list)
    merged_trips: list[Trip] = field(default_factory=list)


def travel_origin(place: Place) -> Origin:
    day = place.departed_on or place.arrived_at.astimezone(clock.LOCAL_TZ).date()
    return Origin(place.code, place.area, min(_day_start(day), place.arrived_at), place.arrived_at)


@lru_cache(maxsize=1024)  # a list's departures fall on a few days
def _day_start(day: date) -> datetime:
    """The first instant of ``day`` in local time, in UTC (compared with UTC instants)."""
    return datetime.combine(day, time.min, tzinfo=clock.LOCAL_TZ).astimezone(UTC)


def _grids(session: Session, person_ids: Sequence[int]) -> dict[int, str]:
    grids: dict[int, str] = {}
    for chunk in batched(person_ids, CHUNK):
        grids.update(session.execute(select(Person.id, Person.grid_code)
                                     .where(among(session, Person.id, chunk))).all())  # fmt: skip
    return grids


def _candidates(
    session: Session, person_ids: Sequence[int], start: datetime, end: datetime
) -> dict[int, list[Trip]]:
    found: dict[int, list[Trip]] = defaultdict(list)
    for chunk in batched(person_ids, CHUNK):
        statement = select(Trip).where(
            among(session, Trip.person_id, chunk), Trip.arrived_at >= start, Trip.arrived_at <= end
        )
        for trip in session.scalars(statement):
            found[trip.person_id].append(trip)
    return found


def _nearest(trips: list[Trip], at: datetime, window: timedelta) -> Trip | None:
    near = [trip for trip in trips if abs(trip.arrived_at - at) <= window]
    return min(near, key=lambda trip: abs(trip.arrived_at - at)) if near else None


class _NewTrip:
    """A trip not stored yet: the same attributes as ``Trip`` without the ORM's bookkeeping
    (a pushed list makes tens of thousands; ``_insert`` stores them in bulk and sets ``id``)."""

    def __init__(self, **values: object) -> None:
        self.id: int | None = None
        self.measure_ends_at: datetime | None = None
        self.__dict__.update(values)


def _new_trip(report: ArrivalReport, grid: str, now: datetime) -> Trip:
    return _NewTrip(  # type: ignore[return-value]  # duck-typed Trip until inserted
        person_id=report.person_id, origin_province=report.origin_province,
        origin_city=report.origin_city, origin_district=report.origin_district,
        origin_code=report.origin_code, origin_area=report.origin_area or "",
        departed_on=report.departed_on, arrived_at=report.arrived_at, channels=[report.channel],
        report_count=1, grade=NONE, affected_county=False, matched_area_ids=[],
        measure=Measure.NONE.value, measure_days=0, test_days=[], edition_id="",
        grid_code=grid, status=OPEN, created_at=now, classified_at=now,
    )  # fmt: skip


def _join(trip: Trip, report: ArrivalReport) -> None:
    trip.report_count = (trip.report_count or 0) + 1
    if report.channel not in trip.channels:
        trip.channels = [*trip.channels, report.channel]
    trip.arrived_at = min(trip.arrived_at, report.arrived_at)
    if report.departed_on and (trip.departed_on is None or report.departed_on < trip.departed_on):
        trip.departed_on = report.departed_on


def attach(
    session: Session,
    edition: Edition,
    reports: Sequence[ArrivalReport],
    *,
    detach: bool = False,
    bulk: bool = False,
    grids: Mapping[int, str] | None = None,
) -> Attached:
    """Merge these (flushed, matched) reports into trips and classify every trip they touch.
    ``detach``: a bulk caller's session is emptied once they are written (their ids stay);
    ``bulk`` (implied by ``detach``): the classified trips go out as one ``TripsClassified``.
    A caller that has looked them up already gives each person's grid (``grids``, all of
    them); a report's origin graded already (``match``) is not graded again."""
    mine = sorted((r for r in reports if r.person_id is not None), key=lambda r: r.arrived_at)
    result = Attached()
    if not mine:
        return result
    window = timedelta(hours=edition.arrivals.merge_window_hours)
    person_ids = sorted({r.person_id for r in mine if r.person_id is not None})
    start, end = mine[0].arrived_at - window, mine[-1].arrived_at + window
    known = _candidates(session, person_ids, start, end)
    if grids is None:
        grids = _grids(session, person_ids)
    places, joined = _merge(mine, known, grids, window, result)
    items = [(trip, found) for trip, found in places.values()]
    classify(session, edition, items, new_trips=result.new_trips, detach=detach, bulk=bulk)
    for report, trip in joined:
        report.trip_id = trip.id
    if not detach:
        session.flush()
    return result


def _merge(
    reports: Sequence[ArrivalReport],
    known: dict[int, list[Trip]],
    grids: Mapping[int, str],
    window: timedelta,
    result: Attached,
) -> tuple[dict[int, tuple[Trip, list[Place]]], list[tuple[ArrivalReport, Trip]]]:
    """Each report into the person's nearest trip within the window, else a new trip; the
    touched trips (by object) with their candidate origins, and each report's trip."""
    existing = {trip.id: Place.of(trip) for trips in known.values() for trip in trips}
    now = clock.now()
    places: dict[int, tuple[Trip, list[Place]]] = {}
    joined: list[tuple[ArrivalReport, Trip]] = []
    for report in reports:
        assert report.person_id is not None
        trip = _nearest(known[report.person_id], report.arrived_at, window)
        if trip is None:
            trip = _new_trip(report, grids[report.person_id], now)
            known[report.person_id].append(trip)
            result.new_trips.append(trip)
        else:
            _join(trip, report)
            if id(trip) not in places:
                result.merged_trips.append(trip)
        if id(trip) not in places:
            places[id(trip)] = (trip, [existing[trip.id]] if trip.id is not None else [])
        places[id(trip)][1].append(Place.of(report))
        joined.append((report, trip))
    return places, joined


def _rank(match: Match) -> tuple[int, int]:
    return RANK.get(match.grade, 0), 0 if match.affected_county else 1


def classify(
    session: Session,
    edition: Edition,
    items: Sequence[tuple[Trip, Sequence[Place]]],
    *,
    new_trips: Sequence[Trip] = (),
    detach: bool = False,
    bulk: bool = False,
) -> list[Trip]:
    """Grade each trip's candidate origins (one query), keep the worst (the first on a tie),
    and apply the edition's measure; the trips whose grade or measure changed. ``new_trips``
    (among the items, not yet stored) are inserted in bulk once graded, then every trip's new
    tasks in one statement: a pushed list's batch is a few statements, not one per row."""
    best = _best_matches(session, items)
    now = clock.now()
    new = {id(trip) for trip in new_trips}
    trips = [trip for trip, _ in items]
    tasks = _open_tasks(session, [t.id for t in trips if id(t) not in new])
    before = {id(t): None if id(t) in new else (_state(t), isolates_high(t)) for t in trips}
    for n, trip in enumerate(trips):
        _grade(edition, trip, best[n], now)
    _insert(session, new_trips)
    changed: list[Trip] = []
    later: list[object] = []
    rows: list[dict[str, object]] = []
    for trip in trips:
        was = before[id(trip)]
        rows.extend(_tasks(edition, trip, tasks.get(trip.id, []), now))
        later.extend(_facts(trip, had_fact=was is not None and was[1]))
        if was is None or was[0] != _state(trip):
            changed.append(trip)
            later.append(
                TripClassified(trip.id, trip.person_id, trip.grade, trip.measure, new=was is None)
            )
    if rows:
        bulk_insert(session.connection(), _TABLES["arrival_tasks"], rows)
    session.flush()
    if detach:  # a bulk caller keeps no object: each handler's flush then has little to scan
        session.expunge_all()
    _publish(session, later, bulk=detach or bulk)
    return changed


def _best_matches(
    session: Session, items: Sequence[tuple[Trip, Sequence[Place]]]
) -> dict[int, tuple[Place, Match]]:
    flat = [(n, place) for n, (_trip, found) in enumerate(items) for place in found]
    unknown = [place for _n, place in flat if place.match is None]
    graded = iter(match_many(session, [travel_origin(place) for place in unknown]))
    best: dict[int, tuple[Place, Match]] = {}
    for n, place in flat:
        match = place.match if place.match is not None else next(graded)
        if n not in best or _rank(match) > _rank(best[n][1]):
            best[n] = (place, match)
    assert next(graded, None) is None  # one grade for each place without one
    return best


def _state(trip: Trip) -> tuple[object, ...]:
    return (trip.grade, trip.measure, trip.edition_id, trip.measure_ends_at)


_TABLES = Trip.metadata.tables
_TRIP_COLUMNS = tuple(attr.key for attr in inspect(Trip).column_attrs if attr.key != "id")


def _insert(session: Session, trips: Sequence[Trip]) -> None:
    """Store new (transient) trips in bulk and give each its id."""
    if not trips:
        return
    rows = [{key: getattr(trip, key) for key in _TRIP_COLUMNS} for trip in trips]
    # Core, not the ORM's bulk insert: that one groups rows by which values are None (a
    # departure date, an end of measure) and so sends nearly one statement per row.
    ids = insert_with_ids(session.connection(), _TABLES["trips"], rows)
    for trip, trip_id in zip(trips, ids, strict=True):
        trip.id = trip_id


def _publish(session: Session, later: Sequence[object], *, bulk: bool = False) -> None:
    """The classification's events; the raised facts as one bulk event for the batch (the
    health code stores and recomputes them in bulk); for a ``bulk`` caller (a pushed list's
    chunk) the classified trips as one ``TripsClassified`` too (placed in bulk)."""
    raised = [event for event in later if isinstance(event, FactRaised)]
    if raised:
        items = tuple((event.person_id, event.ref, event.until) for event in raised)
        events.publish(session, FactsRaisedEach(Reason.ARRIVAL_HIGH_RISK, SOURCE, items))
    classified = tuple(event for event in later if isinstance(event, TripClassified))
    if bulk and classified:
        events.publish(session, TripsClassified(classified))
    for event in later:
        if not isinstance(event, FactRaised) and not (bulk and isinstance(event, TripClassified)):
            events.publish(session, event)


def _open_tasks(session: Session, trip_ids: Sequence[int]) -> dict[int, list[ArrivalTask]]:
    found: dict[int, list[ArrivalTask]] = defaultdict(list)
    for chunk in batched(trip_ids, CHUNK):
        statement = select(ArrivalTask).where(among(session, ArrivalTask.trip_id, chunk))
        for task in session.scalars(statement):
            found[task.trip_id].append(task)
    return found


def isolates_high(trip: Trip) -> bool:
    return trip.grade == Grade.HIGH.value and trip.measure in ISOLATING


def _grade(edition: Edition, trip: Trip, found: tuple[Place, Match], now: datetime) -> None:
    """Set the trip's origin, grade and the edition's measure."""
    place, match = found
    rule = edition.arrivals.by_origin.rule_for(Grade(match.grade)) if match.grade != NONE else None
    trip.origin_province, trip.origin_city = place.province, place.city
    trip.origin_district, trip.origin_code, trip.origin_area = (
        place.district, place.code, place.area)  # fmt: skip
    trip.grade, trip.affected_county = match.grade, match.affected_county
    trip.matched_area_ids = list(match.area_ids)
    trip.measure = rule.measure.value if rule else Measure.NONE.value
    trip.measure_days = rule.days if rule else 0
    trip.test_days = list(rule.test_days) if rule else []
    trip.measure_ends_at = (
        trip.arrived_at + timedelta(days=trip.measure_days) if trip.measure_days else None
    )
    trip.edition_id = edition.id
    trip.classified_at = now


def wanted_tasks(edition: Edition, trip: Trip) -> dict[str, datetime]:
    """The kinds of task the trip's measure asks for, with their deadlines."""
    rules = edition.arrivals
    screening = trip.created_at + timedelta(hours=rules.screening_deadline_hours)
    wanted = {"screening": screening}
    if rules.landing_test_within_hours is not None:
        wanted["landing_test"] = trip.arrived_at + timedelta(hours=rules.landing_test_within_hours)
    if trip.measure in ISOLATING:
        wanted["placement"] = screening
    return wanted


def _tasks(
    edition: Edition, trip: Trip, tasks: list[ArrivalTask], now: datetime
) -> list[dict[str, object]]:
    """Cancel or move the trip's open tasks; the rows of the tasks it lacks."""
    wanted = wanted_tasks(edition, trip)
    have: set[str] = set()
    for task in tasks:
        if task.status == CANCELLED:
            continue
        if task.kind not in wanted:
            if task.status == OPEN:
                task.status = CANCELLED
            continue
        have.add(task.kind)
        if task.status == OPEN:
            task.due_at = wanted[task.kind]
    return [
        {"trip_id": trip.id, "person_id": trip.person_id, "kind": kind,
         "grid_code": trip.grid_code, "arrived_at": trip.arrived_at, "due_at": due,
         "status": OPEN, "escalation": "none",
         "note": "", "created_at": now}
        for kind, due in wanted.items() if kind not in have
    ]  # fmt: skip


def _facts(trip: Trip, had_fact: bool) -> list[object]:
    """The health-code events the classification calls for (published after the flush)."""
    ref = f"trip:{trip.id}"
    if isolates_high(trip):
        until = trip.measure_ends_at
        return [FactRaised(trip.person_id, Reason.ARRIVAL_HIGH_RISK, SOURCE, ref, until=until)]
    if had_fact:
        return [FactEnded(trip.person_id, Reason.ARRIVAL_HIGH_RISK, ref)]
    return []


def reclassify(
    session: Session, edition: Edition, trips: Sequence[Trip], place: Place | None = None
) -> list[Trip]:
    """Classify again (the national list changed, or an officer corrected the origin)."""
    items = [(trip, [place or Place.of(trip)]) for trip in trips]
    return classify(session, edition, items) if items else []
