"""Verbs of screening rounds (全员核酸) and key-group schedules (重点人群).

Every verb takes the acting ``Principal`` and works inside its jurisdiction; services flush,
never commit; every change writes an audit row; health-code reactions are events.
"""

from __future__ import annotations

from fangkong.testing.campaigns.service.coverage import (
    coverage,
    sampled_totals,
    untested,
    untested_xlsx,
)
from fangkong.testing.campaigns.service.keygroups import (
    due_on,
    key_groups,
    mark_overdue,
    overdue,
    overdue_summary,
    overdue_xlsx,
)
from fangkong.testing.campaigns.service.rounds import (
    close_campaign,
    create_campaign,
    describe,
    get_campaign,
    list_campaigns,
    mark_missed,
    refresh_target,
)

__all__ = [
    "close_campaign",
    "coverage",
    "create_campaign",
    "describe",
    "due_on",
    "get_campaign",
    "key_groups",
    "list_campaigns",
    "mark_missed",
    "mark_overdue",
    "overdue",
    "overdue_summary",
    "overdue_xlsx",
    "refresh_target",
    "sampled_totals",
    "untested",
    "untested_xlsx",
]
