"""Errors of the reports, each with a stable code (problem+json, CLI exit 2)."""

from __future__ import annotations

from fangkong.core.errors import N_, InvalidInput, NotFound


class BadWindow(InvalidInput):
    code = "report.bad_window"
    title = N_("Give a date (YYYY-MM-DD) or both start and end, the start before the end.")


class RegionNotFound(NotFound):
    code = "report.region_not_found"
    title = N_("The region does not exist or is outside your jurisdiction.")
