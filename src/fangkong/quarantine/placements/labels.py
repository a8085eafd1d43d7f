"""Display names of measures, statuses, bases and test states of placements (msgids)."""

from __future__ import annotations

from fangkong.core.errors import N_

MEASURE_LABELS = {
    "centralized": N_("Centralized isolation"),
    "home_isolation": N_("Home isolation"),
    "home_monitoring": N_("Home health monitoring"),
}
STATUS_LABELS = {
    "pending": N_("Waiting for a room"),
    "active": N_("Under control"),
    "released": N_("Released"),
    "transferred": N_("Transferred to hospital"),
    "cancelled": N_("Cancelled"),
}
BASIS_LABELS = {
    "contact": N_("Contact"),
    "arrival": N_("Arrival"),
    "case": N_("Case"),
    "manual": N_("Officer's decision"),
}
TEST_LABELS = {"open": N_("Test due"), "done": N_("Done"), "missed": N_("Missed")}
RESULT_LABELS = {"negative": N_("Negative"), "positive": N_("Positive")}
