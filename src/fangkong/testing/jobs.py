"""Scheduled jobs of the testing domain, from its sub-packages (imported by ``jobs.catalog``)."""

import fangkong.testing.campaigns.jobs  # noqa: F401
