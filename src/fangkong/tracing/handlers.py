"""Subscriptions of Tracing (流调溯源), from its sub-packages (each registers its own)."""

import fangkong.tracing.contacts.handlers
import fangkong.tracing.public.handlers
import fangkong.tracing.trajectories.handlers  # noqa: F401
