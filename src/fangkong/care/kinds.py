"""The coded values of the care domain and their display names (msgids)."""

from __future__ import annotations

from enum import StrEnum

from fangkong.core.errors import N_


class Channel(StrEnum):
    LIVELIHOOD = "livelihood"  # 民生诉求 from a sealed or controlled zone
    PAIRING = "pairing"  # one of the six one-to-one services (六个一对一)


class RequestKind(StrEnum):
    """民生诉求的类别 (livelihood) and the six one-to-one services (pairing)."""

    FOOD = "food"  # 生活物资
    MEDICINE = "medicine"  # 药品
    MEDICAL = "medical"  # 就医: an emergency, never refused
    OTHER = "other"
    NAT_AT_HOME = "nat_at_home"  # 核酸检测上门
    SUPPLY_DELIVERY = "supply_delivery"  # 物资配送
    PSYCH_SUPPORT = "psych_support"  # 心理辅导
    SPECIAL_CARE = "special_care"  # 特殊人群关爱
    LEGAL_AID = "legal_aid"  # 法律援助
    HOUSEHOLD_REPAIR = "household_repair"  # 水电维修


LIVELIHOOD_KINDS = (RequestKind.FOOD, RequestKind.MEDICINE, RequestKind.MEDICAL, RequestKind.OTHER)
SERVICE_KINDS = (
    RequestKind.NAT_AT_HOME,
    RequestKind.SUPPLY_DELIVERY,
    RequestKind.PSYCH_SUPPORT,
    RequestKind.SPECIAL_CARE,
    RequestKind.LEGAL_AID,
    RequestKind.HOUSEHOLD_REPAIR,
)
EMERGENCY_KINDS = frozenset({RequestKind.MEDICAL})


class Status(StrEnum):
    NEW = "new"
    ASSIGNED = "assigned"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    REFUSED = "refused"


CLOSED = frozenset({Status.DONE, Status.REFUSED})

KIND_LABELS = {
    "food": N_("Food and daily supplies"),
    "medicine": N_("Medicine"),
    "medical": N_("Medical visit"),
    "other": N_("Other"),
    "nat_at_home": N_("Nucleic-acid sampling at home"),
    "supply_delivery": N_("Supply delivery"),
    "psych_support": N_("Psychological support"),
    "special_care": N_("Special care"),
    "legal_aid": N_("Legal aid"),
    "household_repair": N_("Household repairs"),
}
STATUS_LABELS = {
    "new": N_("New"),
    "assigned": N_("Assigned"),
    "in_progress": N_("In progress"),
    "done": N_("Done"),
    "refused": N_("Refused"),
}
ZONE_LABELS = {
    "sealed": N_("Sealed zone"),
    "controlled": N_("Controlled zone"),
}
CHANNEL_LABELS = {
    "livelihood": N_("Livelihood request"),
    "pairing": N_("One-to-one service"),
}
# Chinese names accepted in the volunteer import's 技能 column besides the codes.
SKILL_NAMES_ZH = {
    "核酸检测": "nat_at_home",
    "核酸采样": "nat_at_home",
    "物资配送": "supply_delivery",
    "心理辅导": "psych_support",
    "特殊人群": "special_care",
    "特殊关爱": "special_care",
    "法律援助": "legal_aid",
    "水电维修": "household_repair",
}
