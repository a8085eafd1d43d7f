"""The pure rules of vaccination: age bands, a person's summary from their doses, and the
date checks of a new dose. No database here, so the rules are tested on their own."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from fangkong.vaccination import errors

# 年龄段 of the coverage report: (key, lowest age, highest age or None). Under 3 is not
# eligible and is not reported.
AGE_BANDS: tuple[tuple[str, int, int | None], ...] = (
    ("3-11", 3, 11),
    ("12-17", 12, 17),
    ("18-59", 18, 59),
    ("60-79", 60, 79),
    ("80+", 80, None),
)
ELIGIBLE_AGE = AGE_BANDS[0][1]


def years_before(day: date, years: int) -> date:
    """The same calendar day ``years`` earlier (29 February → 28 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def band_of(birth_date: date, on: date) -> str | None:
    """The age band of someone born on ``birth_date``, on day ``on`` (None under 3)."""
    for key, low, high in reversed(AGE_BANDS):
        if birth_date <= years_before(on, low):
            return key if high is None or birth_date > years_before(on, high + 1) else None
    return None


def band_bounds(on: date) -> list[tuple[str, date, date | None]]:
    """Each band as birth dates ``(key, born on or before, born after)``."""
    return [
        (key, years_before(on, low), None if high is None else years_before(on, high + 1))
        for key, low, high in AGE_BANDS
    ]


@dataclass(frozen=True)
class Summary:
    doses: int
    series_doses: int
    complete: bool
    boosted: bool
    last_dose_on: date
    booster_due_on: date | None


def summarize(given: Sequence[date], series_doses: int, booster_interval_days: int) -> Summary:
    """A person's status from the dates of their doses in order and the series length of the
    first dose's product: the one booster falls due the edition's interval after the last dose
    of a complete series."""
    complete = len(given) >= series_doses
    boosted = len(given) > series_doses
    due = given[-1] + timedelta(days=booster_interval_days) if complete and not boosted else None
    return Summary(len(given), series_doses, complete, boosted, given[-1], due)


def check_dose_date(given_on: date, *, birth_date: date, today: date) -> None:
    if given_on > today:
        raise errors.DoseInFuture()
    if given_on < birth_date:
        raise errors.DoseBeforeBirth()


def check_sequence(dose_number: int, given_on: date, earlier: dict[int, date]) -> None:
    """Dose ``n`` needs dose ``n-1`` recorded and dated on or before it."""
    if dose_number in earlier:
        raise errors.DuplicateDose()
    if dose_number > 1:
        previous = earlier.get(dose_number - 1)
        if previous is None:
            raise errors.PreviousDoseMissing()
        if given_on < previous:
            raise errors.DoseBeforePrevious()
    following = earlier.get(dose_number + 1)
    if following is not None and following < given_on:
        raise errors.DoseBeforePrevious()
