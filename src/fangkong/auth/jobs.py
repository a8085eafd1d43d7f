"""Scheduled jobs of the auth domain."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from fangkong.auth import service
from fangkong.config import Settings
from fangkong.jobs.registry import job


@job(
    "auth.purge", cron="*/15 * * * *", description="Delete idle web sessions and old login attempts"
)
def purge(session: Session, settings: Settings, _run_for: date) -> dict[str, Any]:
    return service.purge_stale(session, settings=settings)
