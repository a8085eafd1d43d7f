"""Scheduled jobs of screening (idempotent; run by hand with ``fangkong jobs run NAME``)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy.orm import Session

from fangkong.arrivals.screening import reports, service
from fangkong.config import Settings
from fangkong.core.principal import SYSTEM
from fangkong.jobs.registry import job


@job(
    "arrivals.landing_tests",
    cron="10 * * * *",
    description="Close the landing tests of arrivals sampled since they arrived (落地即检)",
)
def landing_tests(session: Session, _settings: Settings, run_for: date) -> dict[str, Any]:
    return service.sweep_landing(session)


@job(
    "arrivals.escalate",
    cron="20 * * * *",
    description="Escalate overdue screenings to the street and district; colour them (问责)",
)
def escalate(session: Session, _settings: Settings, run_for: date) -> dict[str, Any]:
    return service.escalate(session).model_dump()


@job(
    "arrivals.accountability",
    cron="0 8 * * *",
    description="Record yesterday's accountability figures per district and street (问责通报)",
)
def accountability(session: Session, _settings: Settings, run_for: date) -> dict[str, Any]:
    """The report of the day before ``run_for``, kept as this run's result."""
    day = run_for - timedelta(days=1)
    return reports.accountability(session, actor=SYSTEM, day=day).model_dump(mode="json")
