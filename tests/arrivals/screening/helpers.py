"""Helpers of the screening tests: trips with tasks in the 道里 grid, read back."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from fangkong.models.arrivals import ArrivalTask, Trip
from fangkong.models.healthcode import HealthFact
from fangkong.policy.types import Reason

API = "/api/v1/arrivals"


def task_of(session: Session, trip: Trip, kind: str) -> ArrivalTask:
    statement = select(ArrivalTask).where(ArrivalTask.trip_id == trip.id, ArrivalTask.kind == kind)
    return session.scalars(statement).one()


def open_facts(session: Session, person_id: int) -> list[HealthFact]:
    statement = select(HealthFact).where(
        HealthFact.person_id == person_id,
        HealthFact.reason == Reason.ARRIVAL_UNSCREENED.value,
        HealthFact.ended_at.is_(None),
    )
    return list(session.scalars(statement).all())


def hours(a: datetime, b: datetime) -> float:
    return (a - b).total_seconds() / 3600
