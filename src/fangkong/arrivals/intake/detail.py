"""A trip as its detail shows it: the reports (masked), the tasks, the health-code facts it
raised, and one timeline of them all in time order."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from fangkong.arrivals.intake import repository
from fangkong.arrivals.intake.schemas import (
    ReportOut,
    TaskOut,
    TimelineEntry,
    TripDetail,
    TripOut,
)
from fangkong.core.masking import mask_person_name
from fangkong.models.arrivals import ArrivalReport, ArrivalTask, Trip
from fangkong.models.healthcode import HealthFact


def trip_out(trip: Trip, name: str) -> TripOut:
    found = TripOut.model_validate(trip)
    found.person_name = mask_person_name(name) if name else ""
    return found


def report_out(report: ArrivalReport) -> ReportOut:
    found = ReportOut.model_validate(report)
    found.name = mask_person_name(report.name) if report.name else None
    return found


def facts_of(session: Session, trip: Trip) -> Sequence[HealthFact]:
    statement = select(HealthFact).where(
        HealthFact.person_id == trip.person_id, HealthFact.ref == f"trip:{trip.id}"
    )
    return session.scalars(statement.order_by(HealthFact.started_at)).all()


def _timeline(
    trip: Trip,
    reports: Sequence[ArrivalReport],
    tasks: Sequence[ArrivalTask],
    facts: Sequence[HealthFact],
) -> list[TimelineEntry]:
    entries = [
        TimelineEntry(at=r.reported_at, kind="report", text=r.channel, ref=str(r.id))
        for r in reports
    ]
    entries.append(
        TimelineEntry(
            at=trip.classified_at,
            kind="classified",
            text=f"{trip.grade}/{trip.measure}",
            ref=trip.edition_id,
        )
    )
    entries += [TimelineEntry(at=t.created_at, kind="task", text=f"{t.kind}:{t.status}",
                              ref=str(t.id)) for t in tasks]  # fmt: skip
    for fact in facts:
        entries.append(TimelineEntry(at=fact.started_at, kind="fact", text=fact.reason))
        if fact.ended_at is not None:
            entries.append(TimelineEntry(at=fact.ended_at, kind="fact_ended", text=fact.reason))
    return sorted(entries, key=lambda e: e.at)


def trip_detail(session: Session, trip: Trip) -> TripDetail:
    reports = repository.reports_of_trip(session, trip.id)
    tasks = repository.tasks_of_trip(session, trip.id)
    facts = facts_of(session, trip)
    name = repository.names_of(session, [trip.person_id]).get(trip.person_id, "")
    base = trip_out(trip, name).model_dump()
    return TripDetail(
        **base,
        reports=[report_out(r) for r in reports],
        tasks=[TaskOut.model_validate(t) for t in tasks],
        facts=[f.reason for f in facts if f.ended_at is None],
        timeline=_timeline(trip, reports, tasks, facts),
    )
