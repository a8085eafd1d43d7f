"""``db.bulk_insert`` binds each distinct instant, day and short list once per call and hands
the bound value to every row that has it. Values equal in Python but bound differently must
keep their own: ``[1]``, ``[True]`` and ``["1"]``; the same instant written in two zones is one
UTC instant either way. Read back on the database under test."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from psycopg.types.json import set_json_dumps
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from fangkong.db import bulk_insert, json_text
from fangkong.models import AuditLog, Region

EIGHT = timezone(timedelta(hours=8))
AFTERS: list[object] = [[1], [True], ["1"], [], ["self", "pushed"], [1, 2], [2, 1], [[1]],
                        {"n": 1}, None]  # fmt: skip
INSTANTS = [datetime(2022, 3, 1, 8, 30, tzinfo=UTC), datetime(2022, 3, 1, 16, 30, tzinfo=EIGHT),
            datetime(2022, 3, 1, 8, 30, 0, 1, tzinfo=UTC)]  # fmt: skip


def _rows() -> list[dict[str, object]]:
    return [
        {"actor_name": "bulk", "action": "test.bulk", "object_type": "row",
         "object_id": f"row-{n}", "after": AFTERS[n % len(AFTERS)],
         "at": INSTANTS[n % len(INSTANTS)]}
        for n in range(60)
    ]  # fmt: skip


def test_shared_values_are_bound_once_and_each_row_reads_back_its_own(session):
    rows = _rows()
    bulk_insert(session.connection(), AuditLog.__table__, rows)
    found = select(AuditLog.object_id, AuditLog.after, AuditLog.at).where(
        AuditLog.action == "test.bulk"
    )
    stored = {object_id: (after, at) for object_id, after, at in session.execute(found)}
    assert len(stored) == len(rows)
    for row in rows:
        after, at = stored[str(row["object_id"])]
        assert after == row["after"]
        assert [type(item) for item in after or []] == [type(i) for i in row["after"] or []]  # type: ignore[attr-defined]
        assert at == row["at"]
    assert stored["row-1"][0] == [True] and stored["row-0"][0] == [1]
    assert stored["row-0"][1] == stored["row-1"][1] == INSTANTS[0]


def test_on_postgresql_each_shared_list_is_serialized_once(session, monkeypatch):
    """PostgreSQL's driver serializes a JSON value each time it writes it; a list shared by
    many rows is serialized once, when first bound, and every row reads back its own."""
    if session.get_bind().dialect.name != "postgresql":
        pytest.skip("PostgreSQL's driver only: SQLite's JSON is bound as text (the test above)")
    serialized: list[object] = []

    def counting(value: object) -> str:
        serialized.append(value)
        return json_text(value)

    by_driver: list[object] = []

    def driver_counting(value: object) -> str:
        by_driver.append(value)
        return json_text(value)

    monkeypatch.setattr(session.get_bind().dialect, "_json_serializer", counting)
    raw = session.connection().connection.driver_connection
    rows = _rows()
    set_json_dumps(driver_counting, raw)  # what psycopg serializes itself, on this connection
    try:
        bulk_insert(session.connection(), AuditLog.__table__, rows)
    finally:
        set_json_dumps(json_text, raw)
    shared = [[1], ["1"], [], ["self", "pushed"], [1, 2], [2, 1]]  # lists of str and int only
    assert sorted(map(repr, serialized)) == sorted(map(repr, shared))
    # the driver serializes only the values not shared: six rows each of three
    assert sorted(map(repr, by_driver)) == sorted(map(repr, [[True], [[1]], {"n": 1}] * 6))
    found = select(AuditLog.object_id, AuditLog.after).where(AuditLog.action == "test.bulk")
    stored = {object_id: after for object_id, after in session.execute(found)}
    assert all(stored[str(row["object_id"])] == row["after"] for row in rows)


def test_a_row_breaking_a_unique_key_raises_integrity_error_on_either_database(session):
    """PostgreSQL's ``COPY`` runs on the driver's cursor; its unique violation is raised as
    the ``IntegrityError`` SQLAlchemy raises for its own statements, and the savepoint takes
    the whole call back."""
    region = {"code": "239999", "name": "测试区", "level": "district", "parent_code": None}
    bulk_insert(session.connection(), Region.__table__, [region])
    with pytest.raises(IntegrityError), session.begin_nested():
        bulk_insert(session.connection(), Region.__table__,
                    [region | {"code": "239998"}, region])  # fmt: skip
    codes = session.scalars(select(Region.code).where(Region.code.like("2399%"))).all()
    assert codes == ["239999"]
