"""The report of a care-needs import: the volunteers import's shape."""

from __future__ import annotations

from fangkong.care.volunteers.schemas import VolunteerImportReport


class NeedImportReport(VolunteerImportReport):
    """Rows inserted, updated, unchanged, and each refused row with its code and reason."""
