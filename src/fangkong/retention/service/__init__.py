"""Verbs of the retention domain: the end-of-emergency switch, the purge, the rules overview.

Callers use them as ``service.<verb>``; like every service they flush and never commit.
"""

from fangkong.retention.service.emergency import Emergency, current, end, today, undo
from fangkong.retention.service.overview import RuleRow, overview
from fangkong.retention.service.purge import Plan, overdue, plan_for, purge

__all__ = [
    "Emergency",
    "Plan",
    "RuleRow",
    "current",
    "end",
    "overdue",
    "overview",
    "plan_for",
    "purge",
    "today",
    "undo",
]
