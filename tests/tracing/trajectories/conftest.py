"""Fixtures of the trajectory tests (``helpers.py``)."""

from tracing.trajectories.helpers import staff, world  # noqa: F401
