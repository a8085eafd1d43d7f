"""Names of queue states, tube kinds and purposes as pages show them (msgids)."""

from __future__ import annotations

from fangkong.core.errors import N_
from fangkong.testing.sampling.schemas import QueueStatus, TubeKind, TubePurpose

QUEUE_LABELS = {
    QueueStatus.IDLE: N_("Idle"),
    QueueStatus.NORMAL: N_("Normal"),
    QueueStatus.BUSY: N_("Busy"),
    QueueStatus.FULL: N_("Full"),
    QueueStatus.CLOSED: N_("Closed"),
}
KIND_LABELS = {
    TubeKind.POOLED: N_("Pooled"),
    TubeKind.SINGLE: N_("Single"),
    TubeKind.HOUSEHOLD: N_("Household"),
}
PURPOSE_LABELS = {
    TubePurpose.SCREENING: N_("Screening"),
    TubePurpose.KEY_GROUP: N_("Key group"),
    TubePurpose.RETEST: N_("Retest of a positive pool"),
    TubePurpose.CONFIRM: N_("Confirmation of an antigen"),
}
