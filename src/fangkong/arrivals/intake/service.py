"""Arrival reports from the self-report, the officer's hand and the checkpoint; trips listed,
shown and corrected; unmatched reports matched to people. Services flush and never commit;
every change writes an audit row; every query is scoped to the principal's jurisdiction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select
from sqlalchemy.orm import Session

from fangkong.arrivals import places
from fangkong.arrivals.intake import errors, identity, repository, trips
from fangkong.arrivals.intake.schemas import (
    CheckpointScan,
    Journey,
    OfficerReport,
    ReclassifyIn,
    SelfReport,
)
from fangkong.audit import service as audit
from fangkong.citizens import personal_code
from fangkong.config import Settings
from fangkong.core import clock
from fangkong.core.masking import mask_person_name
from fangkong.core.pagination import PageParams, fetch_page
from fangkong.core.principal import Principal
from fangkong.healthcode import service as healthcode
from fangkong.models import Person
from fangkong.models.arrivals import ArrivalReport, Checkpoint, Trip
from fangkong.policy.schema import Edition

FUTURE_SKEW = trips.FUTURE_SKEW


def citizen_actor(person: Person) -> Principal:
    return Principal(id=None, username=f"citizen:{person.id}", role="citizen",
                     region_code=person.grid_code)  # fmt: skip


def resolve_origin(province: str, city: str, district: str) -> places.Place:
    place = places.find(province, city, district)
    if place is None:
        raise errors.UnknownOrigin(f"{province}{city}{district}")
    return place


def check_dates(departed_on: date | None, arrived_at: datetime, now: datetime) -> None:
    if arrived_at > now + FUTURE_SKEW:
        raise errors.ArrivedInFuture()
    if departed_on is not None and departed_on > arrived_at.astimezone(clock.LOCAL_TZ).date():
        raise errors.DatesOrder()


def new_report(
    journey: Journey, *, channel: str, arrived_at: datetime, region_code: str
) -> ArrivalReport:
    """The report of a journey, its origin resolved and its dates checked (nothing written)."""
    place = resolve_origin(journey.origin_province, journey.origin_city, journey.origin_district)
    check_dates(journey.departed_on, arrived_at, clock.now())
    return ArrivalReport(
        channel=channel, origin_province=place.province, origin_city=place.city,
        origin_district=place.district, origin_code=place.code, origin_area=journey.origin_area,
        departed_on=journey.departed_on, arrived_at=arrived_at,
        transport=journey.transport.value if journey.transport else None,
        transport_no=journey.transport_no or None, dest_address=journey.dest_address,
        region_code=region_code, reported_at=clock.now(),
    )  # fmt: skip


# A report to file: who files it, the report, its person (None: unmatched).
Filing = tuple[Principal, ArrivalReport, Person | None]


def _file(
    session: Session, actor: Principal, report: ArrivalReport, person: Person | None
) -> ArrivalReport:
    return _file_many(session, [(actor, report, person)])[0]


def _file_many(session: Session, filings: Sequence[Filing]) -> list[ArrivalReport]:
    """Store the reports, merge them into trips together (one classification for all), and
    audit each under its own actor."""
    edition = healthcode.current_edition(session)
    for _actor, report, person in filings:
        if person is not None:
            report.person_id = person.id
            report.region_code = person.grid_code
        session.add(report)
    session.flush()
    reports = [report for _actor, report, _person in filings]
    # many at once (a queue of the app's, a checkpoint's upload): their trips placed in bulk
    trips.attach(session, edition, reports, bulk=len(reports) > 1)
    for actor, report, _person in filings:
        _audit(session, actor, f"arrival.report_{report.channel}", report)
    session.flush()
    return reports


def _audit(session: Session, actor: Principal, action: str, report: ArrivalReport) -> None:
    audit.record(session, actor=actor, action=action, object_type="arrival_report",
                 object_id=report.id, region_code=report.region_code,
                 after={"channel": report.channel, "person_id": report.person_id,
                        "trip_id": report.trip_id, "origin_code": report.origin_code,
                        "arrived_at": report.arrived_at})  # fmt: skip


# --- the three channels and the officer's hand ------------------------------------------------


def self_report(session: Session, *, person_id: int, data: SelfReport) -> ArrivalReport:
    """A citizen's own report (抵返报备): the destination is their registered grid."""
    return self_reports(session, [(person_id, data)])[0]


def self_reports(session: Session, items: Sequence[tuple[int, SelfReport]]) -> list[ArrivalReport]:
    """Residents' own reports, each checked and audited as ``self_report`` does, filed
    together (a queue of the citizen app's, a simulated day's): all or none."""
    people = repository.people_by_id(session, [person_id for person_id, _ in items])
    filings: list[Filing] = []
    for person_id, data in items:
        person = people.get(person_id)
        if person is None:
            raise errors.PersonNotFound()
        report = new_report(data, channel="self", arrived_at=data.arrived_at,
                            region_code=person.grid_code)  # fmt: skip
        report.name = person.name
        filings.append((citizen_actor(person), report, person))
    return _file_many(session, filings)


def trips_of_person(session: Session, person_id: int) -> Sequence[Trip]:
    """The person's trips, newest first (the person page's timeline)."""
    return repository.trips_of_person(session, person_id)


def my_reports(session: Session, person_id: int) -> Sequence[ArrivalReport]:
    return repository.reports_of_person(session, person_id)


def officer_report(
    session: Session, settings: Settings, *, actor: Principal, data: OfficerReport
) -> ArrivalReport:
    """An officer's entry for a person inside the jurisdiction."""
    person = _person_named(session, settings, actor, data)
    report = new_report(data, channel="officer", arrived_at=data.arrived_at,
                        region_code=person.grid_code)  # fmt: skip
    report.name, report.reported_by = person.name, actor.id
    _seal_from_person(report, person)
    return _file(session, actor, report, person)


def _seal_from_person(report: ArrivalReport, person: Person) -> None:
    report.id_number_enc, report.id_number_hash = person.id_number_enc, person.id_number_hash
    report.id_number_masked = person.id_number_masked
    report.phone_enc, report.phone_hash = person.phone_enc, person.phone_hash
    report.phone_masked = person.phone_masked


def _person_named(
    session: Session, settings: Settings, actor: Principal, data: OfficerReport
) -> Person:
    given = [v for v in (data.person_id, data.id_number, data.phone) if v]
    if len(given) != 1:
        raise errors.PersonRequired()
    protect = identity.protector(settings.data_key_bytes)
    if data.person_id is not None:
        person = session.get(Person, data.person_id)
    elif data.id_number:
        number = identity.checked_id(data.id_number, clock.local_today())
        key = protect.id_hash(identity.ID_TYPE, number)
        person = identity.people_by_hash(session, "id_number_hash", [key]).get(key)
    else:
        key = protect.phone_hash(identity.checked_phone(data.phone or ""))
        person = identity.people_by_hash(session, "phone_hash", [key]).get(key)
    if person is None or person.merged_into_id is not None or not actor.covers(person.grid_code):
        raise errors.PersonNotFound()
    return person


def checkpoint_scan(
    session: Session, settings: Settings, *, actor: Principal, data: CheckpointScan
) -> ArrivalReport:
    """A scan at a checkpoint the actor staffs: the personal QR or a typed ID number. An ID
    number no registered person has is kept as an unmatched report (sealed)."""
    checkpoint = _staffed(session, actor, data.checkpoint_id)
    filing = _checkpoint_filing(session, settings, (actor, checkpoint), data, clock.now())
    return _file_many(session, [filing])[0]


def checkpoint_scans(
    session: Session, settings: Settings, *, actor: Principal, scans: Sequence[CheckpointScan]
) -> list[ArrivalReport]:
    """A checkpoint device's scans uploaded together (it was offline, or a simulated day's),
    filed together, all or none. Each personal code is checked as it was at its scan's
    ``arrived_at`` (the door's minute; when absent, now), which may not lie in the future."""
    now = clock.now()
    checkpoints = {n: _staffed(session, actor, n) for n in {data.checkpoint_id for data in scans}}
    filings = []
    for data in scans:
        at_door = (actor, checkpoints[data.checkpoint_id])
        at = min(data.arrived_at or now, now)
        filings.append(_checkpoint_filing(session, settings, at_door, data, at))
    return _file_many(session, filings)


def _staffed(session: Session, actor: Principal, checkpoint_id: int) -> Checkpoint:
    checkpoint = repository.staffed_checkpoint(session, actor, checkpoint_id)
    if checkpoint is None:
        raise errors.NotCheckpointStaff()
    return checkpoint


def _checkpoint_filing(
    session: Session,
    settings: Settings,
    at_door: tuple[Principal, Checkpoint],
    data: CheckpointScan,
    at: datetime,
) -> Filing:
    """The checked report of one scan at a checkpoint the actor staffs (``at_door``), its
    personal code opened at ``at``."""
    actor, checkpoint = at_door
    if (data.personal_code is None) == (data.id_number is None):
        raise errors.PersonRequired()
    now = clock.now()
    report = new_report(data, channel="checkpoint", arrived_at=data.arrived_at or now,
                        region_code=checkpoint.region_code)  # fmt: skip
    report.checkpoint_id, report.reported_by = checkpoint.id, actor.id
    person: Person | None
    if data.personal_code is not None:
        opened = personal_code.open_payload(settings, data.personal_code, at)
        person = session.get(Person, opened.person_id)
        if person is None:
            raise errors.PersonNotFound()
        _seal_from_person(report, person)
    else:
        number = identity.checked_id(data.id_number or "", clock.local_today())
        protect = identity.protector(settings.data_key_bytes)
        sealed = identity.seal(protect, number, None)
        for column, value in sealed.columns().items():
            setattr(report, column, value)
        person = identity.people_by_hash(session, "id_number_hash", [sealed.id_number_hash or ""]
                                         ).get(sealed.id_number_hash or "")  # fmt: skip
    if person is not None:
        report.name = person.name
    return actor, report, person


# --- unmatched reports -----------------------------------------------------------------------


def match_report(
    session: Session, *, actor: Principal, report_id: int, person_id: int
) -> ArrivalReport:
    """Name the person of an unmatched report: it joins (or opens) that person's trip."""
    report = repository.unmatched_report(session, actor, report_id)
    if report is None:
        raise errors.ReportNotFound()
    person = session.get(Person, person_id)
    if person is None or person.merged_into_id is not None or not actor.covers(person.grid_code):
        raise errors.PersonNotFound()
    report.person_id, report.region_code = person.id, person.grid_code
    report.name = report.name or person.name
    session.flush()
    trips.attach(session, healthcode.current_edition(session), [report])
    _audit(session, actor, "arrival.report_matched", report)
    session.flush()
    return report


# --- trips ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TripFilter:
    grade: str | None = None
    measure: str | None = None
    channel: str | None = None
    status: str | None = None
    arrived_from: datetime | None = None
    arrived_to: datetime | None = None
    region: str | None = None
    name: str | None = None


def list_trips(
    session: Session, *, actor: Principal, where: TripFilter, page: PageParams
) -> tuple[list[tuple[Trip, str]], str | None]:
    statement = repository.trips_query(actor, where)
    rows, cursor = fetch_page(session, statement, Trip.id, page, descending=True)
    names = repository.names_of(session, [trip.person_id for trip in rows])
    return [(trip, names.get(trip.person_id, "")) for trip in rows], cursor


def get_trip(session: Session, *, actor: Principal, trip_id: int) -> Trip:
    trip = repository.trip(session, actor, trip_id)
    if trip is None:
        raise errors.TripNotFound()
    return trip


def reclassify_trip(
    session: Session, *, actor: Principal, trip_id: int, data: ReclassifyIn
) -> Trip:
    """An officer's correction (audited): a new origin, or the same one matched again."""
    trip = get_trip(session, actor=actor, trip_id=trip_id)
    before = {"origin_code": trip.origin_code, "origin_area": trip.origin_area,
              "grade": trip.grade, "measure": trip.measure}  # fmt: skip
    place = trips.Place.of(trip)
    if data.origin_province or data.origin_district:
        found = resolve_origin(data.origin_province or "", data.origin_city,
                               data.origin_district or "")  # fmt: skip
        place = trips.Place(found.province, found.city, found.district, found.code,
                            place.area, place.departed_on, place.arrived_at)  # fmt: skip
    if data.origin_area is not None:
        place = trips.Place(**{**place.__dict__, "area": data.origin_area})
    if data.departed_on is not None:
        check_dates(data.departed_on, trip.arrived_at, clock.now())
        trip.departed_on = data.departed_on
        place = trips.Place(**{**place.__dict__, "departed_on": data.departed_on})
    trips.reclassify(session, healthcode.current_edition(session), [trip], place)
    after = {"origin_code": trip.origin_code, "origin_area": trip.origin_area,
             "grade": trip.grade, "measure": trip.measure, "note": data.note}  # fmt: skip
    audit.record(
        session,
        actor=actor,
        action="arrival.trip_reclassified",
        object_type="trip",
        object_id=trip.id,
        region_code=trip.grid_code,
        before=before,
        after=after,
    )
    session.flush()
    return trip


def reclassify_open(
    session: Session, edition: Edition, counties: Sequence[str], start: datetime,
    end: datetime | None,
) -> int:  # fmt: skip
    """Open trips from these counties whose travel days meet ``[start, end)``: classified
    again (the national list changed)."""
    found = repository.open_trips_touching(session, counties, start, end)
    return len(trips.reclassify(session, edition, found))


def list_reports(
    session: Session, *, actor: Principal, where: ReportFilter, page: PageParams
) -> tuple[Sequence[ArrivalReport], str | None]:
    statement: Select[ArrivalReport] = repository.reports_query(actor, where)
    return fetch_page(session, statement, ArrivalReport.id, page, descending=True)


ReportFilter = repository.ReportFilter


def count_for_export(session: Session, *, actor: Principal, where: TripFilter) -> int:
    return repository.count_trips(session, actor, where)


def export_rows(
    session: Session, *, actor: Principal, where: TripFilter, after: list[Any] | None, limit: int
) -> tuple[list[tuple[Any, ...]], list[Any] | None]:
    """One keyset chunk of the trip list for an export (``repository.EXPORT_COLUMNS``), names
    masked as in the list; and the key of the next chunk (None at the end)."""
    rows = repository.trip_rows(session, actor, where, after[0] if after else None, limit)
    key = [rows[-1][0]] if len(rows) == limit else None
    return [(r[0], mask_person_name(r[1]), *r[2:]) for r in rows], key
