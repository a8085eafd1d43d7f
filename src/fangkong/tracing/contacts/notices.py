"""The control notice (隔离管控告知书) of confirmed contacts: the person (masked except the
name), the measure and its period from the edition, counted from the last exposure (day 0)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.orm import Session

from fangkong.core import clock
from fangkong.core.principal import Principal
from fangkong.healthcode.service import current_edition
from fangkong.policy.schema import Edition
from fangkong.tracing.contacts import errors, service
from fangkong.tracing.contacts.schemas import ContactOut


@dataclass(frozen=True)
class Period:
    measure: str
    days: int
    first_day: date
    last_day: date
    test_days: tuple[int, ...]


@dataclass(frozen=True)
class Notice:
    contact: ContactOut
    day0: date
    periods: tuple[Period, ...]


def measures(degree: str, edition: Edition) -> list[tuple[str, int, tuple[int, ...]]]:
    """(measure, days, test days) in order, as the edition states them for the degree."""
    rules = edition.contacts
    if degree == "secondary":
        return [("home_isolation", rules.secondary.home_isolation_days, rules.secondary.test_days)]
    close = rules.close
    if close.default_measure == "home_isolation":
        return [("home_isolation", close.home_isolation_days, close.home_isolation_test_days)]
    steps = [("centralized", close.centralized_days, close.centralized_test_days)]
    if close.home_measure is not None:
        steps.append((close.home_measure.value, close.home_days, close.home_test_days))
    return steps


def periods(degree: str, day0: date, edition: Edition) -> tuple[Period, ...]:
    """Day 1 is the day after day 0; each period follows the previous one."""
    found, start = [], day0 + timedelta(days=1)
    for measure, days, tests in measures(degree, edition):
        last = start + timedelta(days=days - 1)
        found.append(Period(measure, days, start, last, tuple(tests)))
        start = last + timedelta(days=1)
    return tuple(found)


def notices(session: Session, *, actor: Principal, ids: Sequence[int]) -> list[Notice]:
    contacts = service.decidable(session, actor, ids)
    if any(c.status != "confirmed" for c in contacts):
        raise errors.NotConfirmed()
    edition = current_edition(session)
    result = []
    for out in service.outs(session, contacts):
        day0 = out.last_exposure_at.astimezone(clock.LOCAL_TZ).date()
        result.append(Notice(out, day0, periods(out.degree, day0, edition)))
    return result
