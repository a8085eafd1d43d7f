"""Display labels (msgids) of contacts' degrees, statuses and reasons."""

from __future__ import annotations

from fangkong.core.errors import N_

DEGREES = {"close": N_("Close contact"), "secondary": N_("Secondary contact")}
STATUSES = {
    "candidate": N_("Candidate"),
    "confirmed": N_("Confirmed"),
    "rejected": N_("Rejected"),
    "released": N_("Released"),
    "upgraded": N_("Upgraded"),
    "merged": N_("Merged"),
}
REASONS = {
    "household": N_("Household"),
    "venue": N_("Same venue"),
    "transport": N_("Same transport"),
    "interview": N_("Named in the interview"),
    "secondary": N_("Contact of a close contact"),
}
MEASURES = {
    "centralized": N_("Centralized isolation"),
    "home_isolation": N_("Home isolation"),
    "home_monitoring": N_("Home health monitoring"),
}
