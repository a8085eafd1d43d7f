"""The six aspects an inspection checks (六个方面) and the words shown for codes."""

from __future__ import annotations

from enum import StrEnum

from fangkong.core.errors import N_


class Aspect(StrEnum):
    GATE = "gate_duty"  # 门岗值守
    SCAN = "code_scan"  # 配合扫码
    MASKS = "masks"  # 佩戴口罩
    DISINFECTION = "disinfection_log"  # 消杀记录
    CONTACTLESS = "contactless_delivery"  # 无接触配送
    PUBLICITY = "publicity"  # 防疫宣传


ASPECT_NAMES: dict[str, str] = {
    Aspect.GATE: N_("gate duty"),
    Aspect.SCAN: N_("code scanning"),
    Aspect.MASKS: N_("mask wearing"),
    Aspect.DISINFECTION: N_("disinfection log"),
    Aspect.CONTACTLESS: N_("contactless delivery"),
    Aspect.PUBLICITY: N_("prevention publicity"),
}
ASPECT_NAMES_ZH: dict[str, str] = {
    Aspect.GATE: "门岗值守",
    Aspect.SCAN: "配合扫码",
    Aspect.MASKS: "佩戴口罩",
    Aspect.DISINFECTION: "消杀记录",
    Aspect.CONTACTLESS: "无接触配送",
    Aspect.PUBLICITY: "防疫宣传",
}


class Result(StrEnum):
    PASSED = "pass"
    PROBLEM = "problem"


class FindingStatus(StrEnum):
    OK = "ok"
    OPEN = "open"
    RECTIFIED = "rectified"
    NOT_RECTIFIED = "not_rectified"


class CreditKind(StrEnum):
    SUMMONS = "summons"  # 约谈
    DEDUCTION = "deduction"  # 扣分


class PointStatus(StrEnum):
    ONLINE = "online"
    OFFLINE = "offline"
    BROKEN = "broken"


POINT_STATUS_ZH = {"在线": "online", "离线": "offline", "故障": "broken", "损坏": "broken"}
FINDING_STATUS_NAMES: dict[str, str] = {
    FindingStatus.OK: N_("passed"),
    FindingStatus.OPEN: N_("awaiting rectification"),
    FindingStatus.RECTIFIED: N_("rectified"),
    FindingStatus.NOT_RECTIFIED: N_("not rectified"),
}
POINT_STATUS_NAMES: dict[str, str] = {
    PointStatus.ONLINE: N_("online"),
    PointStatus.OFFLINE: N_("offline"),
    PointStatus.BROKEN: N_("broken"),
}
