"""Verbs of trajectories: the case as tracing reads it, the assembled trajectory
(``trajectory_of``: scans, trips, passenger records and the interview inside the trace-back
window, one list sorted by time), interview entries (audited) and passenger records.

Services flush and never commit. The window is ``fangkong.tracing.window.trace_window`` with
the active edition.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, time
from typing import Any

from sqlalchemy.orm import Session

from fangkong.audit import service as audit
from fangkong.core import clock
from fangkong.core.pagination import PageParams
from fangkong.core.principal import Principal
from fangkong.core.repoint import repoint
from fangkong.healthcode.service import current_edition
from fangkong.models.cases import Case
from fangkong.models.tracing import InterviewEntry, TravelRecord
from fangkong.tracing.trajectories import errors, repository
from fangkong.tracing.trajectories.repository import TravelFilter
from fangkong.tracing.trajectories.schemas import InterviewIn, Stop, Trajectory
from fangkong.tracing.window import trace_window

__all__ = ["Stop", "TravelFilter"]
ENTRY_FIELDS = ("case_id", "place", "start_at", "end_at", "venue_id", "activity")


def get_case(session: Session, *, actor: Principal, case_id: int) -> Case:
    found = repository.case(session, actor, case_id)
    if found is None:
        raise errors.CaseNotFound()
    return found


def window_of(session: Session, case: Case) -> tuple[datetime, datetime]:
    return trace_window(case, current_edition(session))


# --- the assembled trajectory ------------------------------------------------------------


def _scan_stops(rows: Sequence[Any]) -> list[Stop]:
    return [
        Stop(start_at=row.scanned_at, place=row.name or f"#{row.venue_id}", source="scan",
             ref=f"scan:{row.id}", detail=row.address or "", venue_id=row.venue_id)
        for row in rows
    ]  # fmt: skip


def _trip_stops(trips: Sequence[Any]) -> list[Stop]:
    return [
        Stop(start_at=trip.arrived_at, source="trip", ref=f"trip:{trip.id}",
             place="".join(dict.fromkeys((trip.origin_province, trip.origin_city,
                                          trip.origin_district))),
             detail=trip.origin_area)
        for trip in trips
    ]  # fmt: skip


def travel_start(record: TravelRecord) -> datetime:
    """The departure, else the arrival, else local midnight of the travel day."""
    midnight = datetime.combine(record.travel_on, time(0), tzinfo=clock.LOCAL_TZ)
    return record.departed_at or record.arrived_at or midnight


def _travel_stops(records: Sequence[TravelRecord], start: datetime, end: datetime) -> list[Stop]:
    stops = []
    for record in records:
        begins = travel_start(record)
        timed = record.departed_at or record.arrived_at
        if timed is not None and not start <= begins <= end:
            continue
        detail = " ".join(part for part in (record.number, record.carriage, record.seat) if part)
        stops.append(Stop(start_at=begins, end_at=record.arrived_at, source="travel",
                          ref=f"travel:{record.id}", detail=detail,
                          place=f"{record.from_station}→{record.to_station}"))  # fmt: skip
    return stops


def _interview_stops(entries: Sequence[InterviewEntry]) -> list[Stop]:
    return [
        Stop(start_at=e.start_at, end_at=e.end_at, place=e.place, source="interview",
             ref=f"interview:{e.id}", detail=e.activity, venue_id=e.venue_id)
        for e in entries
    ]  # fmt: skip


def stops_of(session: Session, case: Case, start: datetime, end: datetime) -> list[Stop]:
    people = repository.identities(session, case.person_id)
    first = start.astimezone(clock.LOCAL_TZ).date()
    last = end.astimezone(clock.LOCAL_TZ).date()
    entries = [e for e in repository.interview(session, case.id)
               if e.end_at >= start and e.start_at <= end]  # fmt: skip
    stops = [
        *_scan_stops(repository.scans(session, people, start, end)),
        *_trip_stops(repository.trips(session, people, start, end)),
        *_travel_stops(repository.travel(session, people, first, last), start, end),
        *_interview_stops(entries),
    ]
    stops.sort(key=lambda stop: (stop.start_at, stop.ref))
    return stops


def trajectory_of(session: Session, *, actor: Principal, case_id: int) -> list[Stop]:
    """The case's trajectory inside its trace-back window, sorted by time (404 out of scope)."""
    case = get_case(session, actor=actor, case_id=case_id)
    start, end = window_of(session, case)
    return stops_of(session, case, start, end)


def trajectory(session: Session, *, actor: Principal, case_id: int) -> Trajectory:
    case = get_case(session, actor=actor, case_id=case_id)
    start, end = window_of(session, case)
    stops = stops_of(session, case, start, end)
    return Trajectory(case_id=case.id, window_start=start, window_end=end, stops=stops)


# --- interview entries -------------------------------------------------------------------


def _snapshot(entry: InterviewEntry) -> dict[str, Any]:
    return {name: getattr(entry, name) for name in ENTRY_FIELDS}


def _checked(session: Session, case: Case, data: InterviewIn) -> str:
    """The entry's region: its venue's, else the case's."""
    if data.end_at <= data.start_at:
        raise errors.EndBeforeStart()
    start, end = window_of(session, case)
    if data.start_at < start or data.end_at > end:
        raise errors.OutsideWindow()
    if data.venue_id is None:
        return case.region_code
    venue = repository.venue(session, data.venue_id)
    if venue is None:
        raise errors.UnknownVenue()
    return venue.region_code


def add_interview(
    session: Session, *, actor: Principal, case_id: int, data: InterviewIn
) -> InterviewEntry:
    case = get_case(session, actor=actor, case_id=case_id)
    region = _checked(session, case, data)
    entry = InterviewEntry(case_id=case.id, place=data.place.strip(), start_at=data.start_at,
                           end_at=data.end_at, venue_id=data.venue_id, region_code=region,
                           activity=data.activity.strip(), created_by=actor.id)  # fmt: skip
    session.add(entry)
    session.flush()
    audit.record(session, actor=actor, action="trajectory.interview_added",
                 object_type="interview_entry", object_id=entry.id,
                 region_code=case.region_code, after=_snapshot(entry))  # fmt: skip
    return entry


def list_interview(session: Session, *, actor: Principal, case_id: int) -> list[InterviewEntry]:
    case = get_case(session, actor=actor, case_id=case_id)
    return list(repository.interview(session, case.id))


def delete_interview(session: Session, *, actor: Principal, case_id: int, entry_id: int) -> None:
    case = get_case(session, actor=actor, case_id=case_id)
    entry = repository.interview_entry(session, case.id, entry_id)
    if entry is None:
        raise errors.EntryNotFound()
    before = _snapshot(entry)
    session.delete(entry)
    session.flush()
    audit.record(session, actor=actor, action="trajectory.interview_deleted",
                 object_type="interview_entry", object_id=entry_id,
                 region_code=case.region_code, before=before)  # fmt: skip


# --- passenger records and what publications need ----------------------------------------


def list_travel(
    session: Session, *, actor: Principal, where: TravelFilter, page: PageParams
) -> tuple[Sequence[TravelRecord], str | None]:
    return repository.travel_page(session, actor, where, page)


def travel_of_person(session: Session, person_id: int) -> Sequence[TravelRecord]:
    return repository.travel_of_person(session, person_id)


def subject_of(session: Session, case: Case) -> tuple[str, list[str]]:
    """The case person's name and home addresses (their own and their household's), which a
    public trajectory must never show."""
    person = repository.person(session, case.person_id)
    if person is None:
        return "", []
    homes = [person.address or "", repository.household_address(session, person.household_id)]
    return person.name, [home.strip() for home in homes if home and home.strip()]


def person_merged(session: Session, *, merged_id: int, kept_id: int) -> None:
    """Travel records matched to the merged record now name the kept person."""
    repoint(session, (TravelRecord.person_id,), merged_id, kept_id)
