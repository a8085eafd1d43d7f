"""Scheduled jobs of Quarantine (隔离管控), from its sub-packages (imported by ``jobs.catalog``)."""

import fangkong.quarantine.placements.jobs
import fangkong.quarantine.sites.jobs  # noqa: F401
