"""Subscriptions of Quarantine (隔离管控), from its sub-packages (each registers its own)."""

import fangkong.quarantine.placements.handlers
import fangkong.quarantine.sites.handlers  # noqa: F401
