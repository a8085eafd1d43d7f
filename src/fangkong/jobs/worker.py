"""``fangkong worker``: fire each registered job on its cron schedule (APScheduler)."""

from __future__ import annotations

import logging

from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger

from fangkong.config import Settings
from fangkong.core import clock
from fangkong.db import Database
from fangkong.jobs import runner
from fangkong.jobs.catalog import all_jobs
from fangkong.jobs.registry import Job

log = logging.getLogger(__name__)


def _fire(db: Database, settings: Settings, job: Job) -> None:
    try:
        outcome = runner.run(db, settings, job, clock.local_today())
        log.info("job %s done: %s", job.name, outcome)
    except runner.JobBusy:
        log.info("job %s skipped: another worker holds its lock", job.name)
    except Exception:
        log.exception("job %s failed", job.name)


def build_scheduler(db: Database, settings: Settings) -> BlockingScheduler:
    scheduler = BlockingScheduler(timezone=settings.timezone)
    for job in all_jobs().values():
        trigger = CronTrigger.from_crontab(job.cron, timezone=settings.timezone)
        scheduler.add_job(
            _fire,
            trigger,
            args=(db, settings, job),
            id=job.name,
            coalesce=True,
            max_instances=1,
            misfire_grace_time=3600,
        )
    return scheduler
