"""Scheduled jobs of placements (idempotent; run by hand with ``fangkong jobs run NAME``)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from fangkong.config import Settings
from fangkong.jobs.registry import job
from fangkong.quarantine.placements import service


@job(
    "quarantine.daily",
    cron="5 0 * * *",
    description="Mark test days not sampled by the end of their day missed; recount the grids",
)
def daily(session: Session, _settings: Settings, run_for: date) -> dict[str, Any]:
    missed = service.mark_missed(session, today=run_for)
    grids = service.recount_all(session)
    return {"missed": missed, "grids": grids}
