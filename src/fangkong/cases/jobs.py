"""Scheduled jobs of Cases (阳性感染者), from its sub-packages (imported by ``jobs.catalog``)."""

import fangkong.cases.chains.jobs
import fangkong.cases.registry.jobs  # noqa: F401
