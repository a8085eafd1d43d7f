"""``UTCDateTime``: aware instants only, stored in UTC. On SQLite a bulk insert writes an instant
with its own faster function (``bulk_bind``); its text must be exactly what the column's bind
processors write, or comparisons between rows written both ways would go wrong (the text is
compared as text)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy.dialects import postgresql, sqlite

from fangkong.models.base import UTCDateTime

SQLITE = sqlite.dialect()
ZONES = st.sampled_from([UTC, timezone(timedelta(hours=8)), timezone(timedelta(hours=-5)),
                         timezone(timedelta(hours=5, minutes=45))])  # fmt: skip
INSTANTS = st.datetimes(min_value=datetime(1001, 1, 1), max_value=datetime(9998, 12, 31),
                        timezones=ZONES)  # fmt: skip


def _processors() -> Callable[[datetime], Any]:
    """The column's own chain on SQLite: the TypeDecorator's step, then SQLite's DATETIME."""
    column = UTCDateTime()
    bind = column.dialect_impl(SQLITE).bind_processor(SQLITE)
    assert bind is not None
    return bind


def _fast() -> Callable[[datetime], str]:
    fast = UTCDateTime().bulk_bind(SQLITE)
    assert fast is not None
    return fast


@given(INSTANTS)
def test_bulk_text_is_the_bind_processors_text(value: datetime):
    assert _fast()(value) == _processors()(value)


def test_whole_seconds_keep_their_microseconds_and_other_zones_become_utc():
    fast = _fast()
    assert fast(datetime(2022, 3, 1, 8, 30, tzinfo=UTC)) == "2022-03-01 08:30:00.000000"
    assert fast(datetime(2022, 3, 1, 8, 30, tzinfo=timezone(timedelta(hours=8)))) == (
        "2022-03-01 00:30:00.000000"
    )


def test_naive_instants_are_refused_and_postgresql_binds_its_own():
    with pytest.raises(ValueError, match="naive"):
        _fast()(datetime(2022, 3, 1, 8, 30))
    assert UTCDateTime().bulk_bind(postgresql.dialect()) is None
