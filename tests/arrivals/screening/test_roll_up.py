"""Figures counted per grid are rolled up to a level: a parent's counts are the sums of its
grids', its first deadline the least of theirs."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

from fangkong.arrivals.screening.reports import roll_up

EARLY = datetime(2026, 3, 3, 1, 0, tzinfo=UTC)
LATE = datetime(2026, 3, 3, 9, 0, tzinfo=UTC)


def _grid(key: str, n: int | None, first_due: datetime | None) -> SimpleNamespace:
    return SimpleNamespace(key=key, n=n, first_due=first_due)


def test_roll_up_sums_counts_and_keeps_the_first_deadline():
    grids = [
        _grid("230102001001001", 2, LATE),
        _grid("230102001002001", None, None),  # a NULL sum counts as none
        _grid("230102002001001", 1, EARLY),
        _grid("230103001001001", 4, None),
    ]
    streets = roll_up(grids, 9, ("n",), ("first_due",))
    assert streets == {
        "230102001": {"n": 2, "first_due": LATE},
        "230102002": {"n": 1, "first_due": EARLY},
        "230103001": {"n": 4, "first_due": None},
    }
    districts = roll_up(grids, 6, ("n",), ("first_due",))
    assert districts == {"230102": {"n": 3, "first_due": EARLY},
                         "230103": {"n": 4, "first_due": None}}  # fmt: skip
    assert roll_up(grids, 15, ("n",))["230102001002001"] == {"n": 0}
    assert roll_up([], 6, ("n",)) == {}
