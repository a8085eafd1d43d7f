"""Helpers of the intake tests: editions, journeys, and reports filed through the service."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from arrivals.world import ORIGIN
from fangkong.arrivals.intake import service
from fangkong.arrivals.intake.schemas import SelfReport
from fangkong.core import clock
from fangkong.core.principal import SYSTEM
from fangkong.models import Person
from fangkong.models.arrivals import ArrivalReport, ArrivalTask, Trip
from fangkong.models.healthcode import HealthFact
from fangkong.policy import service as policy

NINTH, TWENTIETH = "cn-9th-2022-06", "cn-20-2022-11"


def activate(session: Session, edition_id: str) -> None:
    policy.activate(session, actor=SYSTEM, edition_id=edition_id, default=edition_id)
    session.flush()


def journey(
    *, hours_ago: float = 2, origin: tuple[str, str, str] = ORIGIN, area: str = "",
    departed_days_ago: int | None = None, **extra: Any,
) -> dict[str, Any]:  # fmt: skip
    """A journey as JSON (the API's body)."""
    arrived = clock.now() - timedelta(hours=hours_ago)
    body: dict[str, Any] = {
        "origin_province": origin[0], "origin_city": origin[1], "origin_district": origin[2],
        "origin_area": area, "arrived_at": arrived.isoformat(), "transport": "train",
        "transport_no": "G1234", "dest_address": "道里区某街1号",
    }  # fmt: skip
    if departed_days_ago is not None:
        body["departed_on"] = (clock.local_today() - timedelta(days=departed_days_ago)).isoformat()
    return body | extra


def self_report(session: Session, person: Person, **kwargs: Any) -> ArrivalReport:
    data = SelfReport.model_validate(journey(**kwargs))
    return service.self_report(session, person_id=person.id, data=data)


def trips_of(session: Session, person: Person) -> list[Trip]:
    statement = select(Trip).where(Trip.person_id == person.id).order_by(Trip.id)
    return list(session.scalars(statement))


def tasks_of(session: Session, trip: Trip, status: str | None = "open") -> dict[str, ArrivalTask]:
    statement = select(ArrivalTask).where(ArrivalTask.trip_id == trip.id)
    if status:
        statement = statement.where(ArrivalTask.status == status)
    return {task.kind: task for task in session.scalars(statement)}


def live_facts(session: Session, person: Person) -> list[HealthFact]:
    statement = select(HealthFact).where(
        HealthFact.person_id == person.id, HealthFact.ended_at.is_(None),
        HealthFact.reason == "arrival.high_risk",
    )  # fmt: skip
    return list(session.scalars(statement))


def at(hours_ago: float) -> datetime:
    return clock.now() - timedelta(hours=hours_ago)
