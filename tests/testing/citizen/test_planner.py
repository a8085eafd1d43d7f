"""The pool-size planner as pure functions: Dorfman's E(k), the best sizes, the savings, and
the input checks (hypothesis over the whole input space)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fangkong.testing import planner

prevalences = st.floats(min_value=1e-6, max_value=0.999, allow_nan=False)
sizes = st.lists(st.integers(2, planner.MAX_POOL_SIZE), min_size=1, max_size=8, unique=True)
people = st.integers(1, 10_000_000)


def test_known_values():
    # p = 1%: E(10) = 0.1 + 1 - 0.99^10 = 0.19562; the classic optimum is k = 11.
    assert planner.tests_per_person(0.01, 10) == pytest.approx(0.195618, abs=1e-6)
    assert planner.best_size_any(0.01) == 11
    # p = 0.1%: optimum k = 32, E = 1/32 + 1 - 0.999^32 ≈ 0.06276
    assert planner.best_size_any(0.001) == 32
    assert planner.tests_per_person(0.001, 32) == pytest.approx(0.062759, abs=1e-6)
    # Above p ≈ 0.307 no pool beats single tubes.
    assert planner.best_size_any(0.35) == 1


def test_plan_rows_and_best():
    result = planner.plan(0.001, 100_000, [20, 5, 10], tests_per_hour=500)
    assert [row.size for row in result.sizes] == [5, 10, 20]
    assert result.best_size == 20 and result.best_size_any == 32 and result.pooling_pays
    ten = result.sizes[1]
    assert ten.tubes == 10_000
    assert ten.expected_tests == pytest.approx(100_000 * (0.1 + 1 - 0.999**10))
    assert ten.reagent_kits == math.ceil(ten.expected_tests)
    assert ten.lab_hours == pytest.approx(ten.expected_tests / 500)
    assert result.single_lab_hours == pytest.approx(200)


@pytest.mark.parametrize(
    ("args", "error"),
    [
        ((0, 10, [10]), planner.PrevalenceInvalid),
        ((1, 10, [10]), planner.PrevalenceInvalid),
        ((float("nan"), 10, [10]), planner.PrevalenceInvalid),
        ((0.01, 0, [10]), planner.PeopleInvalid),
        ((0.01, 10, [1]), planner.SizesInvalid),
        ((0.01, 10, []), planner.SizesInvalid),
        ((0.01, 10, [5, 5]), planner.SizesInvalid),
        ((0.01, 10, [101]), planner.SizesInvalid),
    ],
)
def test_bad_input_is_refused(args, error):
    with pytest.raises(error):
        planner.plan(*args)
    with pytest.raises(planner.ThroughputInvalid):
        planner.plan(0.01, 10, [10], tests_per_hour=0)


@pytest.mark.parametrize("text", ["", "a", "5,,10", "5;10", "-5", "1e3", "５"])
def test_sizes_text_is_digits_and_commas(text):
    with pytest.raises(planner.SizesInvalid):
        planner.parse_sizes(text)


def test_text_parsing():
    assert planner.parse_prevalence("0.5%") == pytest.approx(0.005)
    assert planner.parse_people("1,000") == 1000
    with pytest.raises(planner.PeopleInvalid):
        planner.parse_people("2.5")
    with pytest.raises(planner.PrevalenceInvalid):
        planner.parse_prevalence("inf")


@given(prevalences, st.integers(1, 200))
def test_tests_per_person_bounds(p, k):
    e = planner.tests_per_person(p, k)
    assert planner.tests_per_person(p, 1) == 1.0
    assert 1 / k <= e <= 1 / k + 1  # at least the pooled tube, at most every member again
    # A pool can need fewer than 1/k + p·k tests only through Bernoulli's inequality.
    assert e <= 1 / k + k * p + 1e-12


@given(prevalences, sizes, people)
def test_best_size_minimises_over_allowed(p, allowed, n):
    result = planner.plan(p, n, allowed)
    best = planner.tests_per_person(p, result.best_size)
    assert result.best_size in allowed
    assert all(best <= planner.tests_per_person(p, k) for k in allowed)
    assert result.pooling_pays == (best < 1)


@given(prevalences)
def test_best_size_any_is_the_global_minimum(p):
    k = planner.best_size_any(p)
    e = planner.tests_per_person(p, k)
    assert all(e <= planner.tests_per_person(p, j) for j in range(1, planner.MAX_POOL_SIZE + 1))


@given(prevalences, sizes, people)
def test_savings_are_consistent(p, allowed, n):
    result = planner.plan(p, n, allowed, tests_per_hour=800)
    for row in result.sizes:
        assert row.tests_saved == pytest.approx(result.single_tests - row.expected_tests)
        assert row.saved_percent == pytest.approx(100 * row.tests_saved / n, abs=1e-6)
        assert row.lab_hours + row.lab_hours_saved == pytest.approx(result.single_lab_hours)
        assert row.tubes * row.size >= n > (row.tubes - 1) * row.size
        assert row.expected_tests == pytest.approx(n / row.size + row.expected_retests)
        assert row.reagent_kits >= row.expected_tests
