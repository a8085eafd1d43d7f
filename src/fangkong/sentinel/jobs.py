"""Scheduled jobs of the sentinel domain (idempotent; ``fangkong jobs run NAME``)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from fangkong.config import Settings
from fangkong.jobs.registry import job
from fangkong.sentinel import service, surveillance


@job(
    "sentinel.alerts",
    cron="15 * * * *",
    description="Fever-clinic alerts of the day per district (发热门诊预警)",
)
def alerts(session: Session, settings: Settings, run_for: date) -> dict[str, Any]:
    edition = service.edition(session, settings)
    run = surveillance.compute_alerts(session, edition=edition, day=run_for)
    return run.model_dump(mode="json")


@job(
    "sentinel.registration_sweep",
    cron="5 * * * *",
    description="End four-drug marks once the edition abolishes registration (取消购药登记)",
)
def registration_sweep(session: Session, settings: Settings, run_for: date) -> dict[str, Any]:
    edition = service.edition(session, settings)
    return {"sales_unmarked": surveillance.end_abolished_marks(session, edition=edition)}
