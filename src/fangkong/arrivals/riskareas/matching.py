"""Which grade an origin had on the travel days: the one rule trips are classified by.

An origin is a county (GB/T 2260 code) and, when known, a sub-area as written. Rows of the
national list in force at some instant of the travel window ``[departed, arrived]`` count:

- a row for the whole county, or one whose sub-area and the origin's contain one another
  (after ``area_key`` normalisation), applies directly; the worst such grade wins;
- otherwise, when the county had a high or medium area in force, the origin is the
  "low-risk area of an affected county" (所在县（市、区）低风险区): grade ``low``, with
  ``affected_county`` set — also when the origin's sub-area is not known, so the grid worker's
  screening confirms it;
- otherwise ``none``.

``match_many`` answers a whole pushed list with one query.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Protocol

from sqlalchemy.orm import Session

from fangkong.arrivals.riskareas import repository
from fangkong.policy.types import Grade

NONE = "none"
_RANK = {Grade.HIGH.value: 3, Grade.MEDIUM.value: 2, Grade.LOW.value: 1}
_NOISE = re.compile(r"[\s,，.。、;；:：()（）\-—_/]+")


@lru_cache(maxsize=8192)  # the sub-areas of a list repeat; free text is bounded
def area_key(text: str) -> str:
    """The sub-area as matched: NFKC (full-width to half-width), lower case, no spaces or
    punctuation."""
    return _NOISE.sub("", unicodedata.normalize("NFKC", text)).lower()


@dataclass(frozen=True)
class Origin:
    county_code: str
    area: str
    start: datetime  # the travel window's first instant (departure, else arrival)
    end: datetime  # the arrival


@dataclass(frozen=True)
class Match:
    grade: str  # high | medium | low | none
    affected_county: bool
    area_ids: tuple[int, ...]


class AreaRow(Protocol):
    """What matching reads of a national-list row (an entity, or a row of ``MATCHED``)."""

    id: int
    county_code: str
    area_key: str
    grade: str
    effective_from: datetime
    effective_to: datetime | None


def _applies(row: AreaRow, key: str) -> bool:
    return not row.area_key or (bool(key) and (row.area_key in key or key in row.area_key))


def _in_window(row: AreaRow, origin: Origin) -> bool:
    return row.effective_from <= origin.end and (
        row.effective_to is None or row.effective_to > origin.start
    )


def match_rows(rows: Iterable[AreaRow], origin: Origin) -> Match:
    """The grade of ``origin`` among ``rows`` (of its county, from ``in_force_between``)."""
    key = area_key(origin.area)
    live = [row for row in rows if _in_window(row, origin)]
    direct = [row for row in live if _applies(row, key)]
    if direct:
        worst = max(direct, key=lambda row: _RANK.get(row.grade, 0))
        ids = tuple(sorted(row.id for row in direct if row.grade == worst.grade))
        return Match(worst.grade, False, ids)
    affected = [row for row in live if _RANK.get(row.grade, 0) >= _RANK[Grade.MEDIUM.value]]
    if affected:
        return Match(Grade.LOW.value, True, tuple(sorted(row.id for row in affected)))
    return Match(NONE, False, ())


def match_many(session: Session, origins: Sequence[Origin]) -> list[Match]:
    """The match of each origin, in order, from one query over their counties."""
    if not origins:
        return []
    start = min(origin.start for origin in origins)
    end = max(origin.end for origin in origins)
    by_county: dict[str, list[AreaRow]] = defaultdict(list)
    counties = {origin.county_code for origin in origins}
    for row in repository.in_force_between(session, counties, start, end):
        by_county[row.county_code].append(row)
    return [match_rows(by_county.get(origin.county_code, ()), origin) for origin in origins]


def match_one(session: Session, origin: Origin) -> Match:
    return match_many(session, [origin])[0]
