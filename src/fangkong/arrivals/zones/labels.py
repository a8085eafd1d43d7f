"""Display names of zone kinds, statuses, proposals and history steps (msgids)."""

from __future__ import annotations

from fangkong.core.errors import N_

KIND_LABELS = {
    "sealed": N_("Sealed zone"),
    "controlled": N_("Controlled zone"),
    "precaution": N_("Precaution zone"),
}
STATUS_LABELS = {"active": N_("Active"), "lifted": N_("Lifted")}
PENDING_LABELS = {
    "proposed_downgrade": N_("Proposed for downgrade"),
    "proposed_lift": N_("Proposed for lifting"),
}
EVENT_LABELS = {
    "declared": N_("Declared"),
    "infection": N_("New infection"),
    "proposed": N_("Proposed"),
    "downgraded": N_("Downgraded"),
    "lifted": N_("Lifted"),
    "rejected": N_("Proposal rejected"),
    "edited": N_("Edited"),
}
