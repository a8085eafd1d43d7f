"""Subscriptions of the arrivals domain, from its sub-packages (each registers its own)."""

import fangkong.arrivals.intake.handlers
import fangkong.arrivals.screening.handlers
import fangkong.arrivals.zones.handlers  # noqa: F401
