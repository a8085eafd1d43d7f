"""Scheduled jobs of exports (imported by ``jobs.catalog``)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from fangkong.config import Settings
from fangkong.core.principal import SYSTEM
from fangkong.exports import service
from fangkong.jobs.registry import job


@job(
    "exports.expire",
    cron="20 3 * * *",
    description="Delete export files past their expiry; fail exports whose writer stopped",
)
def expire(session: Session, settings: Settings, _run_for: date) -> dict[str, Any]:
    return service.expire(session, settings, actor=SYSTEM)
