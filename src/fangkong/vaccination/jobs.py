"""Scheduled jobs of the vaccination domain."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from fangkong.config import Settings
from fangkong.core.principal import SYSTEM
from fangkong.jobs.registry import job
from fangkong.vaccination import service


@job(
    "vaccination.recount",
    cron="20 0 * * *",
    description="Rebuild the vaccination coverage counts by grid, age band and dose for the day",
)
def recount(session: Session, _settings: Settings, run_for: date) -> dict[str, Any]:
    return {"counted_on": service.recount(session, actor=SYSTEM, on=run_for).isoformat()}
