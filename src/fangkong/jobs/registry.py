"""The job registry. A job is an idempotent function of (session, settings, date)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from fangkong.config import Settings

JobFunc = Callable[[Session, Settings, date], dict[str, Any]]


@dataclass(frozen=True)
class Job:
    name: str
    func: JobFunc
    cron: str  # crontab in the deployment's local time zone
    description: str


_jobs: dict[str, Job] = {}


def job(name: str, *, cron: str, description: str) -> Callable[[JobFunc], JobFunc]:
    def register(func: JobFunc) -> JobFunc:
        _jobs[name] = Job(name=name, func=func, cron=cron, description=description)
        return func

    return register


def registered() -> dict[str, Job]:
    return dict(sorted(_jobs.items()))
