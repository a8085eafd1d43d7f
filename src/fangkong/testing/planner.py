"""Pool-size planning (混采规模测算): Dorfman's two-stage pooling, pure functions.

With prevalence ``p`` a pool of ``k`` people costs one test, and a positive pool (probability
``1 − (1−p)^k``) costs ``k`` single-tube retests, so the expected tests per person are
``E(k) = 1/k + 1 − (1−p)^k`` (POLICY.md). ``E(1) = 1``: a single tube is one test, no retest.

``E`` falls to a minimum near ``k ≈ 1/√p``, rises, then creeps back towards 1 from above, so
the first ``k`` at which it stops falling is the best size overall; the search stops there or
at ``MAX_POOL_SIZE`` (dilution makes larger pools useless in a lab anyway).

The planner takes prevalence, people, sizes and lab throughput as inputs; it reads no policy
itself (the service passes the edition's ``allowed_sizes``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from fangkong.core.errors import N_, InvalidInput

MAX_POOL_SIZE = 100
MAX_PEOPLE = 100_000_000
MAX_SIZES = 20
DEFAULT_TESTS_PER_HOUR = 1000  # the labs table's default capacity (models.testing.Lab)


class PrevalenceInvalid(InvalidInput):
    code = "testing.plan.prevalence_invalid"
    title = N_("The prevalence must be a number greater than 0 and less than 1.")


class PeopleInvalid(InvalidInput):
    code = "testing.plan.people_invalid"
    title = N_("The number of people must be a whole number from 1 to 100,000,000.")


class SizesInvalid(InvalidInput):
    code = "testing.plan.sizes_invalid"
    title = N_("Pool sizes are 1 to 20 distinct whole numbers from 2 to 100.")


class ThroughputInvalid(InvalidInput):
    code = "testing.plan.throughput_invalid"
    title = N_("The lab throughput must be a positive number of tests per hour.")


@dataclass(frozen=True, slots=True)
class SizePlan:
    size: int
    tests_per_person: float  # E(k)
    expected_tests: float  # people × E(k): pooled tubes plus expected retests
    tubes: int  # pooled tubes to sample
    expected_retests: float  # single tubes for the members of positive pools
    reagent_kits: int  # one kit per test, rounded up
    lab_hours: float
    tests_saved: float  # against one single tube per person
    saved_percent: float
    lab_hours_saved: float


@dataclass(frozen=True, slots=True)
class Plan:
    prevalence: float
    people: int
    tests_per_hour: float
    single_tests: int  # one single tube per person
    single_lab_hours: float
    sizes: tuple[SizePlan, ...]
    best_size: int  # among ``sizes``: least E(k)
    best_size_any: int  # any k from 1 to MAX_POOL_SIZE; 1 when no pool beats single tubes
    best_any_tests_per_person: float
    pooling_pays: bool  # the best allowed size needs fewer tests than single tubes


def tests_per_person(prevalence: float, size: int) -> float:
    """Dorfman's E(k); 1 for a single tube."""
    if size == 1:
        return 1.0
    return 1 / size + 1 - (1 - prevalence) ** size


def best_size_any(prevalence: float, cap: int = MAX_POOL_SIZE) -> int:
    """The k in 1..cap with the least E(k): walk up while E falls (see the module docstring)."""
    size = 2
    while size < cap and tests_per_person(prevalence, size + 1) < tests_per_person(
        prevalence, size
    ):
        size += 1
    return size if tests_per_person(prevalence, size) < 1 else 1


def validate(prevalence: float, people: int, sizes: Sequence[int], tests_per_hour: float) -> None:
    if not (math.isfinite(prevalence) and 0 < prevalence < 1):
        raise PrevalenceInvalid()
    if not 1 <= people <= MAX_PEOPLE:
        raise PeopleInvalid()
    if not sizes or len(sizes) > MAX_SIZES or len(set(sizes)) != len(sizes):
        raise SizesInvalid()
    if any(not 2 <= size <= MAX_POOL_SIZE for size in sizes):
        raise SizesInvalid()
    if not (math.isfinite(tests_per_hour) and tests_per_hour > 0):
        raise ThroughputInvalid()


def size_plan(prevalence: float, people: int, size: int, tests_per_hour: float) -> SizePlan:
    per_person = tests_per_person(prevalence, size)
    expected = people * per_person
    saved = people - expected
    return SizePlan(
        size=size,
        tests_per_person=per_person,
        expected_tests=expected,
        tubes=math.ceil(people / size),
        expected_retests=people * (1 - (1 - prevalence) ** size),
        reagent_kits=math.ceil(expected),
        lab_hours=expected / tests_per_hour,
        tests_saved=saved,
        saved_percent=100 * (1 - per_person),
        lab_hours_saved=saved / tests_per_hour,
    )


def plan(
    prevalence: float,
    people: int,
    sizes: Sequence[int],
    tests_per_hour: float = DEFAULT_TESTS_PER_HOUR,
) -> Plan:
    """Every size's figures, the best allowed size and the best size overall."""
    validate(prevalence, people, sizes, tests_per_hour)
    rows = tuple(size_plan(prevalence, people, k, tests_per_hour) for k in sorted(sizes))
    best = min(rows, key=lambda row: (row.tests_per_person, row.size))
    any_size = best_size_any(prevalence)
    return Plan(
        prevalence=prevalence,
        people=people,
        tests_per_hour=tests_per_hour,
        single_tests=people,
        single_lab_hours=people / tests_per_hour,
        sizes=rows,
        best_size=best.size,
        best_size_any=any_size,
        best_any_tests_per_person=tests_per_person(prevalence, any_size),
        pooling_pays=best.tests_per_person < 1,
    )


def parse_sizes(text: str) -> list[int]:
    """``"5,10,20"`` → ``[5, 10, 20]``; anything else → ``SizesInvalid``."""
    parts = [part.strip() for part in text.split(",")]
    if not all(part.isascii() and part.isdigit() for part in parts):
        raise SizesInvalid()
    return [int(part) for part in parts]


def _number(text: str, error: type[InvalidInput]) -> float:
    try:
        value = float(text.strip())
    except ValueError:
        raise error() from None
    if not math.isfinite(value):
        raise error()
    return value


def parse_prevalence(text: str) -> float:
    """``"0.001"`` or ``"0.1%"``."""
    text = text.strip()
    if text.endswith("%"):
        return _number(text[:-1], PrevalenceInvalid) / 100
    return _number(text, PrevalenceInvalid)


def parse_people(text: str) -> int:
    value = _number(text.replace(",", ""), PeopleInvalid)
    if not value.is_integer():
        raise PeopleInvalid()
    return int(value)


def parse_throughput(text: str) -> float:
    return _number(text, ThroughputInvalid)
