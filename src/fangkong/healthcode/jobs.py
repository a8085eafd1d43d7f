"""Health-code jobs: the sweep (every 5 minutes; its daily part once after the edition's
``sweep_local_time`` in Asia/Shanghai)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from fangkong.config import Settings
from fangkong.healthcode import service
from fangkong.jobs.registry import job


@job(
    "healthcode.sweep",
    cron="*/5 * * * *",
    description="Expire time-limited health-code facts daily; recompute codes of an old edition",
)
def sweep(session: Session, settings: Settings, _run_for: date) -> dict[str, Any]:
    return service.sweep(session, settings)
