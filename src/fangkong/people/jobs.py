"""Scheduled jobs of the people domain."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from fangkong.config import Settings
from fangkong.jobs.registry import job
from fangkong.people import service


@job(
    "people.recount",
    cron="10 0 * * *",
    description="Refresh age flags (child under 3) and recount the seven counts of every grid",
)
def recount(session: Session, _settings: Settings, run_for: date) -> dict[str, Any]:
    return service.nightly_recount(session, today=run_for)
