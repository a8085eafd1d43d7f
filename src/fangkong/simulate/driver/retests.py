"""The people with an open retest task (单采复核: a member of a positive pool or household tube),
every page of the testing tasks list."""

from __future__ import annotations

from sqlalchemy.orm import Session

from fangkong.core.principal import Principal
from fangkong.simulate.driver.pages import every_row
from fangkong.testing.results import service as results


def open_retests(session: Session, *, actor: Principal) -> list[int]:
    """Person ids with an open pool retest task, ascending, each once."""
    where = results.TaskFilter(status="open", kind=results.POOL_RETEST)
    rows = every_row(lambda page: results.list_tasks(session, actor=actor, where=where, page=page))
    return sorted({row.person_id for row in rows})
