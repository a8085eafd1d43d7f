"""The pure rules: age bands on a given day, a person's summary, the date checks."""

from __future__ import annotations

from datetime import date

import pytest

from fangkong.vaccination import errors
from fangkong.vaccination.rules import band_of, check_dose_date, check_sequence, summarize

ON = date(2022, 12, 1)


@pytest.mark.parametrize(
    ("born", "band"),
    [
        (date(2019, 12, 2), None),  # 2 years old, the day before the third birthday
        (date(2019, 12, 1), "3-11"),  # third birthday today
        (date(2010, 12, 2), "3-11"),  # 11, turns 12 tomorrow
        (date(2010, 12, 1), "12-17"),
        (date(2004, 12, 1), "18-59"),
        (date(1962, 12, 2), "18-59"),
        (date(1962, 12, 1), "60-79"),
        (date(1942, 12, 2), "60-79"),
        (date(1942, 12, 1), "80+"),
        (date(1920, 1, 1), "80+"),
    ],
)
def test_age_band_turns_on_the_birthday(born, band):
    assert band_of(born, ON) == band


def test_leap_day_birthdays_count_from_28_february():
    assert band_of(date(2016, 2, 29), date(2022, 2, 28)) == "3-11"
    assert band_of(date(2010, 2, 28), date(2022, 2, 27)) == "3-11"


def test_summary_of_an_incomplete_series_has_no_booster_date():
    summary = summarize([date(2021, 5, 1)], 2, 180)
    assert (summary.doses, summary.complete, summary.boosted) == (1, False, False)
    assert summary.booster_due_on is None


def test_booster_falls_due_the_interval_after_the_last_dose_of_a_complete_series():
    summary = summarize([date(2021, 5, 1), date(2021, 6, 1)], 2, 180)
    assert summary.complete and not summary.boosted
    assert summary.booster_due_on == date(2021, 11, 28)
    assert summarize([date(2021, 6, 1)], 1, 90).booster_due_on == date(2021, 8, 30)


def test_a_boosted_person_is_no_longer_due():
    summary = summarize([date(2021, 5, 1), date(2021, 6, 1), date(2022, 1, 1)], 2, 180)
    assert summary.boosted and summary.booster_due_on is None
    assert summary.last_dose_on == date(2022, 1, 1)


def test_date_checks():
    check_dose_date(ON, birth_date=date(1990, 1, 1), today=ON)
    with pytest.raises(errors.DoseInFuture):
        check_dose_date(date(2022, 12, 2), birth_date=date(1990, 1, 1), today=ON)
    with pytest.raises(errors.DoseBeforeBirth):
        check_dose_date(date(1989, 12, 31), birth_date=date(1990, 1, 1), today=ON)


def test_sequence_checks():
    first = {1: date(2021, 5, 1)}
    check_sequence(2, date(2021, 5, 1), first)
    with pytest.raises(errors.DoseBeforePrevious):
        check_sequence(2, date(2021, 4, 30), first)
    with pytest.raises(errors.PreviousDoseMissing):
        check_sequence(3, date(2021, 6, 1), first)
    with pytest.raises(errors.DuplicateDose):
        check_sequence(1, date(2021, 6, 1), first)
