"""The four figures, computed from plain values (no database, no files), so that each can be
checked by hand. Definitions are in ``docs/outbreak-driver.md`` ("Evaluation"); a ratio or a
median with nothing to count is ``None``.

- ``tracing``: recall = |found ∩ true| / |true|, precision = |found ∩ true| / |found| over
  (index person, contact person) pairs.
- ``control_delay``: for each (case, close contact) link, the hours from the case's positive
  sample to the moment the contact was under control: the start of the first placement still
  open at the sample (0 hours if it was made before) or made after it. Links whose contact was
  never placed after the sample are counted apart (``never_placed``), not in the median;
  ``median_hours_placed_later`` leaves out the contacts already under control at the sample.
- ``found_under_control``: the cases whose person had an open placement when the positive
  sample was taken.
- ``attack_rate``: infected residents / residents.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from fangkong.core import clock

Span = tuple[datetime, datetime | None]  # a placement: made at, ended at (None: still open)
DIGITS = 4


@dataclass(frozen=True, slots=True)
class CaseSample:
    case_id: int
    person_id: int
    sampled_at: datetime


def ratio(part: int, whole: int) -> float | None:
    return round(part / whole, DIGITS) if whole else None


def model_day(at: datetime, start: date) -> int:
    """The model day of an instant: its local (Asia/Shanghai) date minus the run's start."""
    return (at.astimezone(clock.LOCAL_TZ).date() - start).days


def first_samples(cases: Sequence[CaseSample]) -> dict[int, datetime]:
    """Each case person's earliest positive sample."""
    first: dict[int, datetime] = {}
    for case in cases:
        if case.person_id not in first or case.sampled_at < first[case.person_id]:
            first[case.person_id] = case.sampled_at
    return first


def found_pairs(
    cases: Sequence[CaseSample], links: Iterable[tuple[int, int]]
) -> set[tuple[int, int]]:
    """(case person, contact person) of the platform's (case id, contact person) links."""
    person_of = {case.case_id: case.person_id for case in cases}
    return {(person_of[case], contact) for case, contact in links if case in person_of}


def tracing(found: set[tuple[int, int]], true: set[tuple[int, int]]) -> dict[str, object]:
    both = len(found & true)
    return {
        "index_people": len({index for index, _ in found | true}),
        "true_pairs": len(true), "found_pairs": len(found), "found_true_pairs": both,
        "recall": ratio(both, len(true)), "precision": ratio(both, len(found)),
    }  # fmt: skip


def spans_by_person(rows: Iterable[tuple[int, datetime, datetime | None]]) -> dict[int, list[Span]]:
    spans: dict[int, list[Span]] = defaultdict(list)
    for person, made, ended in rows:
        spans[person].append((made, ended))
    return spans


def controlled_at(spans: Sequence[Span], at: datetime) -> datetime | None:
    """When the person was under control as from ``at``: ``at`` itself under a placement open
    then, else the first placement made later; None if never."""
    starts = [max(made, at) for made, ended in spans if ended is None or ended > at]
    return min(starts, default=None)


def is_open(spans: Sequence[Span], at: datetime) -> bool:
    return any(made <= at and (ended is None or ended > at) for made, ended in spans)


def control_delay(
    cases: Sequence[CaseSample], links: Iterable[tuple[int, int]], spans: dict[int, list[Span]]
) -> dict[str, object]:
    sampled = {case.case_id: case.sampled_at for case in cases}
    hours, counted = [], 0
    for case_id, person in links:
        if case_id in sampled:
            counted += 1
            placed = controlled_at(spans.get(person, []), sampled[case_id])
            if placed is not None:
                hours.append((placed - sampled[case_id]).total_seconds() / 3600)
    later = [h for h in hours if h > 0]
    return {
        "links": counted, "placed": len(hours), "never_placed": counted - len(hours),
        "already_placed": len(hours) - len(later), "median_hours": _median(hours),
        "median_hours_placed_later": _median(later),
    }  # fmt: skip


def _median(values: Sequence[float]) -> float | None:
    return round(statistics.median(values), 1) if values else None


def found_under_control(
    cases: Sequence[CaseSample], spans: dict[int, list[Span]]
) -> dict[str, object]:
    under = sum(is_open(spans.get(case.person_id, []), case.sampled_at) for case in cases)
    return {"cases": len(cases), "under_control": under, "share": ratio(under, len(cases))}


def attack_rate(infected: set[int], residents: Sequence[int]) -> tuple[int, float | None]:
    count = len(infected & set(residents))
    return count, ratio(count, len(residents))
