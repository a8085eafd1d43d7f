"""Fixtures of the publication and self-check tests (``helpers.py``)."""

from tracing.trajectories.helpers import staff, world  # noqa: F401
