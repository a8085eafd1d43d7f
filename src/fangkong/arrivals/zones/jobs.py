"""Scheduled jobs of zones: the daily review at 6:00 local, when the official day turns."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from fangkong.arrivals.zones import service
from fangkong.config import Settings
from fangkong.jobs.registry import job


@job(
    "zones.review",
    cron="0 6 * * *",
    description="Lift, downgrade or propose the local zones whose rule is met (idempotent)",
)
def review(session: Session, _settings: Settings, run_for: date) -> dict[str, Any]:
    return service.review(session, run_for=run_for)
