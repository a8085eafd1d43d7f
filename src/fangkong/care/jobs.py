"""Scheduled jobs of care (imported by ``jobs.catalog``): the overdue escalation."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from fangkong.care.requests import service as requests
from fangkong.config import Settings
from fangkong.core.principal import SYSTEM
from fangkong.jobs.registry import job


@job(
    "care.escalate",
    cron="*/15 * * * *",
    description="Escalate open care requests past their deadline, once, emergencies first",
)
def escalate(session: Session, settings: Settings, _run_for: date) -> dict[str, Any]:
    """Deadlines are the ``care_hours_*`` settings, applied when a request is asked."""
    return requests.escalate_overdue(session, actor=SYSTEM).model_dump(exclude={"ids"})
