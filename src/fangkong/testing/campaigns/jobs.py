"""Scheduled jobs of screening rounds and key-group schedules (idempotent; run by hand with
``fangkong jobs run NAME``)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from fangkong.config import Settings
from fangkong.jobs.registry import job
from fangkong.testing.campaigns import service


@job(
    "testing.missed_rounds",
    cron="30 0 * * *",
    description="Mark the people a finished screening round missed (once per round)",
)
def missed_rounds(session: Session, _settings: Settings, run_for: date) -> dict[str, Any]:
    return service.mark_missed(session, today=run_for)


@job(
    "testing.key_group_overdue",
    cron="0 7 * * *",
    description="Mark key-group members of required groups whose test is overdue",
)
def key_group_overdue(session: Session, _settings: Settings, run_for: date) -> dict[str, Any]:
    return service.mark_overdue(session, today=run_for)
