"""The four figures on values small enough to count by hand."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from fangkong.simulate.evaluation.figures import (
    CaseSample,
    attack_rate,
    control_delay,
    found_pairs,
    found_under_control,
    model_day,
    spans_by_person,
    tracing,
)

T0 = datetime(2022, 11, 3, 1, 0, tzinfo=UTC)  # 09:00 in Shanghai on 2022-11-03


def hours(n: float) -> datetime:
    return T0 + timedelta(hours=n)


def test_recall_and_precision_count_pairs():
    true = {(1, 2), (1, 3), (1, 4), (5, 6)}
    found = {(1, 2), (1, 3), (1, 9)}
    figures = tracing(found, true)
    assert figures["found_true_pairs"] == 2
    assert figures["recall"] == 0.5  # 2 of 4 true pairs
    assert figures["precision"] == 0.6667  # 2 of 3 found pairs
    assert figures["index_people"] == 2


def test_nothing_to_count_is_none_not_zero():
    figures = tracing(set(), set())
    assert figures["recall"] is None and figures["precision"] is None


def test_found_pairs_name_the_case_person_and_drop_other_cases():
    cases = [CaseSample(10, 1, T0), CaseSample(11, 5, T0)]
    assert found_pairs(cases, {(10, 2), (11, 6), (99, 7)}) == {(1, 2), (5, 6)}


def test_hours_to_control_median_and_never_placed_apart():
    cases = [CaseSample(10, 1, T0)]
    spans = spans_by_person([
        (2, hours(-30), None),  # already under control at the sample: 0 h
        (3, hours(14), hours(200)),  # placed 14 h after the sample
        (4, hours(-100), hours(-50)),  # an old placement, then one 40 h after
        (4, hours(40), None),
        (6, hours(-10), hours(-1)),  # released before the sample, never placed again
    ])  # fmt: skip
    figures = control_delay(cases, {(10, 2), (10, 3), (10, 4), (10, 5), (10, 6)}, spans)
    assert figures == {
        "links": 5, "placed": 3, "never_placed": 2, "already_placed": 1, "median_hours": 14.0,
        "median_hours_placed_later": 27.0,  # of 14 h and 40 h
    }  # fmt: skip


def test_found_under_control_means_an_open_placement_at_the_sample():
    cases = [CaseSample(1, 1, T0), CaseSample(2, 2, T0), CaseSample(3, 3, T0), CaseSample(4, 4, T0)]
    spans = spans_by_person([
        (1, hours(-24), hours(10)),  # open at the sample (transferred later)
        (2, hours(1), None),  # made after the sample
        (3, hours(-48), hours(-1)),  # ended before the sample
    ])  # fmt: skip
    assert found_under_control(cases, spans) == {"cases": 4, "under_control": 1, "share": 0.25}


def test_attack_rate_counts_residents_only():
    assert attack_rate({1, 2, 99}, [1, 2, 3, 4, 5, 6, 7, 8]) == (2, 0.25)


def test_model_day_is_the_local_date():
    start = date(2022, 11, 1)
    assert model_day(datetime(2022, 11, 2, 15, 59, tzinfo=UTC), start) == 1
    assert model_day(datetime(2022, 11, 2, 16, 0, tzinfo=UTC), start) == 2  # midnight local
