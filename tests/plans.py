"""The statements a block of code runs on a table, and SQLite's plan for each: for tests that
check a query seeks the index it was written for."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

Statement = tuple[str, Any]


@contextmanager
def statements_on(session: Session, table: str, *kinds: str) -> Iterator[list[Statement]]:
    """The statements naming ``table`` that start with one of ``kinds`` (SELECT, DELETE …),
    with their parameters, run on the session's engine while the block runs."""
    seen: list[Statement] = []
    engine = session.get_bind()
    name = f" {table}"

    def record(conn: Any, cursor: Any, sql: str, params: Any, context: Any, many: bool) -> None:
        if name in sql and sql.lstrip().upper().startswith(kinds):
            seen.append((sql, params))

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def sqlite_plan(session: Session, statement: Statement) -> str:
    """SQLite's plan of a captured statement, its lines joined."""
    sql, params = statement
    rows = session.connection().exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}", tuple(params))
    return " ".join(str(row[-1]) for row in rows)
