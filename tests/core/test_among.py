"""``db.among``: a batch's look-up by a long list of values finds what ``IN`` finds, on both
databases, for ids and for text, in SELECT and in UPDATE, and an empty list finds nothing. On
PostgreSQL the values go as one array parameter, whatever their number."""

from __future__ import annotations

from sqlalchemy import select, update

from fangkong.db import among
from fangkong.models import AuditLog


def _stored(session, count: int) -> list[int]:
    rows = [AuditLog(actor_name="bulk", action="test.among", object_type="row",
                     object_id=f"row-{n}") for n in range(count)]  # fmt: skip
    session.add_all(rows)
    session.flush()
    return [row.id for row in rows]


def _found(session, condition) -> set[int]:
    statement = select(AuditLog.id).where(condition, AuditLog.action == "test.among")
    return set(session.scalars(statement))


def test_finds_what_in_finds_for_ids_and_text(session):
    ids = _stored(session, 600)
    wanted = [*ids[::3], max(ids) + 1_000]  # one id nobody has
    assert _found(session, among(session, AuditLog.id, wanted)) == set(ids[::3])
    names = ["row-5", "row-7", "row-599", "nobody"]
    by_name = _found(session, among(session, AuditLog.object_id, names))
    assert by_name == _found(session, AuditLog.object_id.in_(names)) == {ids[5], ids[7], ids[599]}
    assert _found(session, among(session, AuditLog.id, [])) == set()


def test_works_in_an_update_and_on_a_connection(session):
    ids = _stored(session, 10)
    statement = (
        update(AuditLog)
        .where(among(session.connection(), AuditLog.id, ids[:4]))
        .values(object_type="moved")
        .execution_options(synchronize_session=False)
    )
    session.execute(statement)
    moved = select(AuditLog.id).where(AuditLog.object_type == "moved")
    assert set(session.scalars(moved)) == set(ids[:4])


def test_postgresql_sends_one_array_parameter(session):
    condition = among(session, AuditLog.id, range(500))
    compiled = select(AuditLog.id).where(condition).compile(session.get_bind())
    if session.get_bind().dialect.name == "postgresql":
        assert "ANY" in str(compiled) and len(compiled.params) == 1
    else:
        assert " IN " in str(compiled)
