"""Names of the codes intake shows (translated in the templates with ``_``)."""

from __future__ import annotations

from typing import Any

from fangkong.arrivals import places
from fangkong.core.errors import N_
from fangkong.healthcode.labels import REASON_LABELS

CHANNELS = {"self": N_("Self-report"), "pushed": N_("Pushed list"),
            "checkpoint": N_("Checkpoint scan"), "officer": N_("Officer entry")}  # fmt: skip
GRADES = {"high": N_("High risk"), "medium": N_("Medium risk"), "low": N_("Low risk"),
          "none": N_("Not listed")}  # fmt: skip
MEASURES = {"none": N_("Landing test only"), "self_monitor": N_("3 days, 2 tests"),
            "home_isolation": N_("Home isolation"), "home_monitoring": N_("Home monitoring"),
            "centralized": N_("Centralized isolation")}  # fmt: skip
TASKS = {"landing_test": N_("Landing test"), "screening": N_("Screening by the grid worker"),
         "placement": N_("Quarantine placement")}  # fmt: skip
STATUSES = {"open": N_("Open"), "screened": N_("Screened"), "closed": N_("Closed"),
            "done": N_("Done"), "cancelled": N_("Cancelled")}  # fmt: skip
TRANSPORTS = {"car": N_("Car"), "train": N_("Train"), "plane": N_("Plane"),
              "coach": N_("Coach"), "ship": N_("Ship"), "other": N_("Other")}  # fmt: skip
KINDS = {"highway_exit": N_("Highway exit"), "railway_station": N_("Railway station"),
         "coach_station": N_("Coach station"), "airport": N_("Airport")}  # fmt: skip
TIMELINE = {"report": N_("Report received"), "classified": N_("Classified"),
            "task": N_("Task created"), "fact": N_("Health-code fact raised"),
            "fact_ended": N_("Health-code fact ended")}  # fmt: skip


def origin(record: Any) -> str:
    """Where a report or trip came from as one name (a municipality's once), then the area."""
    name = places.label(record.origin_province, record.origin_city, record.origin_district)
    return f"{name} {getattr(record, 'origin_area', '') or ''}".strip()


ALL = {"origin": origin, "reasons": REASON_LABELS, "channels": CHANNELS, "grades": GRADES,
       "measures": MEASURES, "task_kinds": TASKS, "statuses": STATUSES,
       "transports": TRANSPORTS, "kinds": KINDS, "timeline": TIMELINE}  # fmt: skip
