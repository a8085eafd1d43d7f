"""Re-point rows from one person (or any id) to another in bulk, for the ``PersonMerged``
subscribers of each domain: the merged record stays as history, its links move to the one kept."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import InstrumentedAttribute, Session


def repoint(
    session: Session, columns: Iterable[InstrumentedAttribute[Any]], old: int, new: int
) -> int:
    """Set ``new`` wherever one of ``columns`` holds ``old``; returns how many rows changed.

    Pending changes are flushed first and loaded objects expired afterwards, so the session
    never holds a stale id."""
    session.flush()
    changed = 0
    for column in columns:
        statement = (
            update(column.class_)
            .where(column == old)
            .values({column.key: new})
            .execution_options(synchronize_session=False)
        )
        changed += session.execute(statement).rowcount  # type: ignore[attr-defined]
    session.expire_all()
    return changed
