"""Texts of the health code's reason codes and colours, as msgids (the catalogs translate them).

Reason codes are the ``fangkong.policy.types.Reason`` values plus ``manual.change``; they are
stable, so citizens' apps and door staff may key on them.
"""

from __future__ import annotations

from fangkong.core.errors import N_
from fangkong.policy.types import Reason

MANUAL_CHANGE = "manual.change"

REASON_LABELS: dict[str, str] = {
    Reason.CASE_POSITIVE: N_("Positive case not yet released"),
    Reason.CASE_PENDING: N_("Initial positive or positive antigen awaiting confirmation"),
    Reason.CONTACT_CLOSE: N_("Close contact under isolation"),
    Reason.ARRIVAL_HIGH_RISK: N_("Arrival from a high-risk area under isolation"),
    Reason.ZONE_SEALED: N_("Resident of a sealed area"),
    Reason.ZONE_CONTROLLED: N_("Resident of a controlled area"),
    Reason.CONTACT_SECONDARY: N_("Secondary contact"),
    Reason.SPACE_TIME_COMPANION: N_("Space-time companion"),
    Reason.POOL_POSITIVE: N_("Member of a positive pool awaiting a single-tube retest"),
    Reason.KEY_GROUP_OVERDUE: N_("Key-group member overdue for a test"),
    Reason.SCREENING_MISSED: N_("Missed a mass-screening round"),
    Reason.FEVER_PENDING_TEST: N_("Fever or symptoms reported, awaiting a negative test"),
    Reason.FOUR_DRUG_NO_NAT: N_("Bought fever or cough medicine, no negative test within 72 hours"),
    Reason.ARRIVAL_UNSCREENED: N_("Arrival not screened by the deadline"),
    MANUAL_CHANGE: N_("Manual change by officers"),
}

COLOUR_LABELS: dict[str, str] = {
    "red": N_("Red"),
    "yellow": N_("Yellow"),
    "green": N_("Green"),
}

STATUS_LABELS: dict[str, str] = {
    "pending": N_("Waiting for approval"),
    "approved": N_("Approved"),
    "rejected": N_("Rejected"),
    "ended": N_("Ended"),
    "open": N_("Open"),
    "upheld": N_("Upheld"),
}


def reason_msgid(code: str) -> str:
    return REASON_LABELS.get(code, code)
