"""Display names of case kinds, statuses, channels, sources, severities and history steps
(msgids), and the channel vocabulary the forms, the line list and the API accept."""

from __future__ import annotations

from fangkong.core.errors import N_

KIND_LABELS = {"confirmed": N_("Confirmed case"), "asymptomatic": N_("Asymptomatic infection")}
STATUS_LABELS = {
    "pending": N_("Pending classification"),
    "active": N_("In treatment or isolation"),
    "discharged": N_("Discharged"),
    "released": N_("Released from isolation"),
    "died": N_("Died"),
}
CHANNEL_LABELS = {
    "under_control": N_("Found under control"),
    "community_screening": N_("Community screening"),
    "fever_clinic": N_("Fever clinic"),
    "arrival_screening": N_("Arrival screening"),
    "key_group": N_("Key-group testing"),
    "other": N_("Other"),
}
SOURCE_LABELS = {"nat": N_("Positive NAT"), "antigen": N_("Confirmed antigen"),
                 "manual": N_("By hand")}  # fmt: skip
SEVERITY_LABELS = {"mild": N_("Mild"), "moderate": N_("Moderate"), "severe": N_("Severe"),
                   "critical": N_("Critical")}  # fmt: skip
PLACEMENT_LABELS = {
    "hospital": N_("Designated hospital"),
    "centralized": N_("Centralized isolation"),
    "home": N_("Home isolation"),
}
EVENT_LABELS = {
    "created": N_("Reported"),
    "candidate": N_("Another positive tube"),
    "classified": N_("Classified"),
    "converted": N_("Converted to confirmed"),
    "transferred": N_("Closed-loop transfer"),
    "outcome": N_("Closed"),
    "handed_over": N_("Handed over"),
    "clustered": N_("Cluster changed"),
    "linked": N_("Infector link changed"),
    "person_merged": N_("Person record merged"),
}
OPEN_STATUSES = ("pending", "active")
OUTCOMES = ("discharged", "released", "died")
