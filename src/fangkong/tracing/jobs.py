"""Scheduled jobs of Tracing (流调溯源), from its sub-packages (imported by ``jobs.catalog``)."""

import fangkong.tracing.contacts.jobs
import fangkong.tracing.public.jobs
import fangkong.tracing.trajectories.jobs  # noqa: F401
