"""The people with an open retest task (单采复核: a member of a positive pool or household tube),
page after page of the testing tasks list."""

from __future__ import annotations

from sqlalchemy.orm import Session

from fangkong.core.pagination import MAX_LIMIT, PageParams
from fangkong.core.principal import Principal
from fangkong.testing.results import service as results
from fangkong.testing.results.reactions import POOL_RETEST
from fangkong.testing.results.repository import TaskFilter


def open_retests(session: Session, *, actor: Principal) -> list[int]:
    """Person ids with an open pool retest task, ascending, each once."""
    where, cursor = TaskFilter(status="open", kind=POOL_RETEST), None
    people: set[int] = set()
    while True:
        page = PageParams(limit=MAX_LIMIT, cursor=cursor)
        rows, cursor = results.list_tasks(session, actor=actor, where=where, page=page)
        people.update(row.person_id for row in rows)
        if cursor is None:
            return sorted(people)
