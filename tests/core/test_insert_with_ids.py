"""``db.insert_with_ids``: many rows inserted with ids chosen first, given back in the rows'
order, on both databases (PostgreSQL draws them from the table's sequence, SQLite counts on
from the largest id), and the ordinary inserts that follow get ids after them. On PostgreSQL
the rows go by COPY (``db.bulk_insert``): values are bound as SQLAlchemy binds them (JSON,
instants with their zone) and the Python-side defaults of the columns left out filled in."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from sqlalchemy import select

from fangkong.core import clock
from fangkong.db import insert_with_ids
from fangkong.models import AuditLog


def _row(n: int) -> dict[str, object]:
    return {"actor_name": "bulk", "action": "test.insert", "object_type": "row",
            "object_id": f"row-{n}"}  # fmt: skip


def test_ids_come_back_in_the_rows_order_and_later_inserts_follow(session):
    session.add(AuditLog(**_row(0)))
    session.flush()
    connection = session.connection()
    table = AuditLog.__table__
    assert insert_with_ids(connection, table, []) == []
    ids = insert_with_ids(connection, table, [_row(n) for n in range(1, 2_501)])
    assert len(ids) == len(set(ids)) == 2_500
    found = select(AuditLog.id, AuditLog.object_id).where(AuditLog.action == "test.insert")
    stored = dict(session.execute(found).all())
    assert [stored[i] for i in ids] == [f"row-{n}" for n in range(1, 2_501)]
    assert min(ids) > min(stored)  # after the row made before
    later = AuditLog(**_row(9_999))
    session.add(later)
    session.flush()
    assert later.id > max(ids)


def test_values_are_bound_as_sqlalchemy_binds_them_and_defaults_filled(session):
    at = datetime(2022, 11, 3, 9, 30, tzinfo=timezone(timedelta(hours=8)))
    rows = [_row(1) | {"after": {"channels": ["self", "pushed"], "n": 2}, "at": at},
            _row(2) | {"after": {"channels": []}, "at": at}]  # fmt: skip
    with clock.frozen(datetime(2022, 11, 4, 1, 0, tzinfo=UTC)):
        ids = insert_with_ids(session.connection(), AuditLog.__table__, rows)
        [defaulted] = insert_with_ids(session.connection(), AuditLog.__table__, [_row(3)])
    session.expire_all()
    first, second = (session.get(AuditLog, n) for n in ids)
    assert first.after == {"channels": ["self", "pushed"], "n": 2}
    assert second.after == {"channels": []}
    assert first.at == datetime(2022, 11, 3, 1, 30, tzinfo=UTC)
    assert session.get(AuditLog, defaulted).at == datetime(2022, 11, 4, 1, 0, tzinfo=UTC)
