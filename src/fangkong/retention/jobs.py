"""The purge job: ``fangkong jobs run purge --date D`` (and nightly in the worker)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from fangkong.config import Settings
from fangkong.jobs.registry import job
from fangkong.retention import service


@job(
    "purge",
    cron="30 1 * * *",
    description="Delete or de-identify personal data past its retention window (audited)",
)
def purge(session: Session, settings: Settings, run_for: date) -> dict[str, Any]:
    return service.purge(session, settings=settings, run_for=run_for)
