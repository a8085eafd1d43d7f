"""The edition's schedule for a placement: which measure, how many days, which test days, and
the follow-on period. Pure functions of the edition (policy is data, never a literal here).

Day 0 is the last exposure (contacts) or the arrival (trips); test day N falls on day 0's
local date + N; a period ends ``days`` whole days after its day 0. A follow-on period (home
health monitoring after centralized isolation) counts its own days from the end of the first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import pairwise

from fangkong.core import clock
from fangkong.policy.schema import Edition
from fangkong.policy.types import Measure

PLACED_MEASURES = (Measure.CENTRALIZED, Measure.HOME_ISOLATION, Measure.HOME_MONITORING)


@dataclass(frozen=True)
class Period:
    measure: str
    days: int
    test_days: tuple[int, ...]


def contact_periods(edition: Edition, degree: str) -> list[Period]:
    """The periods a confirmed close or secondary contact gets, first one first."""
    if degree == "secondary":
        rule = edition.contacts.secondary
        if rule.home_isolation_days == 0:
            return []
        return [Period(Measure.HOME_ISOLATION.value, rule.home_isolation_days, rule.test_days)]
    close = edition.contacts.close
    if close.default_measure is Measure.HOME_ISOLATION:
        days, tests = close.home_isolation_days, close.home_isolation_test_days
        return [Period(Measure.HOME_ISOLATION.value, days, tests)]
    periods = [
        Period(Measure.CENTRALIZED.value, close.centralized_days, close.centralized_test_days)
    ]
    if close.home_measure is not None and close.home_days:
        periods.append(Period(close.home_measure.value, close.home_days, close.home_test_days))
    return periods


def follow_on(edition: Edition, basis: str, degree: str | None, measure: str) -> Period | None:
    """The period that follows ``measure`` for this basis, if the edition has one."""
    if basis != "contact" or degree is None:
        return None
    periods = contact_periods(edition, degree)
    for first, then in pairwise(periods):
        if first.measure == measure:
            return then
    return None


def ends_at(day0_at: datetime, days: int) -> datetime:
    return day0_at + timedelta(days=days)


def due_on(day0_at: datetime, day_no: int) -> date:
    return day0_at.astimezone(clock.LOCAL_TZ).date() + timedelta(days=day_no)


def day_of(day0_at: datetime, at: datetime) -> int:
    """Which day of the period ``at`` is (day 0 is the day of ``day0_at``)."""
    return (at.astimezone(clock.LOCAL_TZ).date() - due_on(day0_at, 0)).days
