"""Scheduled jobs of the scan domain."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy.orm import Session

from fangkong.config import Settings
from fangkong.jobs.registry import job
from fangkong.scans import service

AHEAD_DAYS = 7  # day partitions made ahead: a week without the job still has its partitions


@job(
    "scans.partitions",
    cron="15 0 * * *",
    description="Make the scans table's day partitions for today and the next 7 days "
    "(PostgreSQL; retention drops the old ones)",
)
def make_partitions(session: Session, _settings: Settings, run_for: date) -> dict[str, Any]:
    made = service.make_day_partitions(session, run_for, run_for + timedelta(days=AHEAD_DAYS))
    return {"made": made, "through": (run_for + timedelta(days=AHEAD_DAYS)).isoformat()}
