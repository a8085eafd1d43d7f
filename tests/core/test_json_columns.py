"""JSON columns are written by ``db.json_text`` (orjson) and read back as they were given, by
the ORM and by ``bulk_insert`` alike: Chinese text, numbers, nesting, and keys that are not
strings come back as strings (what ``json.dumps`` did before)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from sqlalchemy import select

from fangkong.db import bulk_insert, json_text
from fangkong.models import AuditLog

GIVEN = {"venue_name": "道里区某某超市", "grades": {1: "high", 2: "medium"}, "rows": [1, 2.5, None],
         "ok": True, "nested": [{"a": []}]}  # fmt: skip
READ_BACK = {**GIVEN, "grades": {"1": "high", "2": "medium"}}


def test_text_is_compact_utf8_json_that_json_reads_back():
    text = json_text(GIVEN)
    assert "道里区" in text and "\\u" not in text
    assert json.loads(text) == READ_BACK
    assert json_text({"at": datetime(2022, 3, 1, 8, 30, 0, 5, tzinfo=UTC)}) == json.dumps(
        {"at": "2022-03-01T08:30:00.000005+00:00"}, separators=(",", ":")
    )


def test_orm_and_bulk_rows_read_back_alike(session):
    session.add(AuditLog(actor_name="t", action="test.json", object_type="row", object_id="orm",
                         after=GIVEN))  # fmt: skip
    session.flush()
    bulk_insert(session.connection(), AuditLog.__table__, [
        {"actor_name": "t", "action": "test.json", "object_type": "row", "object_id": "bulk",
         "after": GIVEN}
    ])  # fmt: skip
    session.expire_all()
    found = select(AuditLog.object_id, AuditLog.after).where(AuditLog.action == "test.json")
    stored = {object_id: after for object_id, after in session.execute(found)}
    assert stored == {"orm": READ_BACK, "bulk": READ_BACK}
