"""Scheduled jobs of the arrivals domain, from its sub-packages (imported by ``jobs.catalog``)."""

import fangkong.arrivals.screening.jobs
import fangkong.arrivals.zones.jobs  # noqa: F401
