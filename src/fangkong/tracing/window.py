"""The trace-back window (追溯时间窗) of a case, the one rule every part of tracing reads.

It opens at local midnight ``trace_back_days_before_onset`` days before the symptom onset, or
before the first positive sample's local day when the case has no onset (asymptomatic), and
closes when the case was put under control: the closed-loop transfer, else the first report
(``confirmed_at``); never later than now.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from fangkong.core import clock
from fangkong.models.cases import Case
from fangkong.policy.schema import Edition


def anchor_day(case: Case) -> datetime:
    """Local midnight of the onset day, or of the first positive sample's day."""
    day = case.onset_on or case.sampled_at.astimezone(clock.LOCAL_TZ).date()
    return datetime.combine(day, time(0), tzinfo=clock.LOCAL_TZ)


def trace_window(case: Case, edition: Edition) -> tuple[datetime, datetime]:
    days = edition.contacts.trace_back_days_before_onset
    start = anchor_day(case) - timedelta(days=days)
    controlled = case.transferred_at or case.confirmed_at
    return start.astimezone(UTC), min(controlled, clock.now())
