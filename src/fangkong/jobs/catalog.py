"""Every domain's jobs, imported so their ``@job`` decorators register them."""

from __future__ import annotations

import fangkong.arrivals.jobs
import fangkong.auth.jobs
import fangkong.care.jobs
import fangkong.cases.jobs
import fangkong.exports.jobs
import fangkong.healthcode.jobs
import fangkong.people.jobs
import fangkong.quarantine.jobs
import fangkong.retention.jobs
import fangkong.scans.jobs
import fangkong.sentinel.jobs
import fangkong.testing.jobs
import fangkong.tracing.jobs
import fangkong.vaccination.jobs  # noqa: F401
from fangkong.jobs.registry import Job, registered


def all_jobs() -> dict[str, Job]:
    return registered()
