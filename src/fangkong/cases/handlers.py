"""Subscriptions of Cases (阳性感染者), from its sub-packages (each registers its own)."""

import fangkong.cases.chains.handlers
import fangkong.cases.registry.handlers  # noqa: F401
