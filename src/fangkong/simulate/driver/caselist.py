"""Every case of a filter inside the driver's jurisdiction, page after page of the case list."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy.orm import Session

from fangkong.cases.registry import service as cases
from fangkong.cases.registry.schemas import CaseOut
from fangkong.core.pagination import MAX_LIMIT, PageParams
from fangkong.core.principal import Principal


def every_case(session: Session, *, actor: Principal, where: cases.CaseFilter) -> Iterator[CaseOut]:
    """The cases of ``where``, by the list's keyset cursor: a case the caller changes on one
    page does not move the pages after it."""
    cursor = None
    while True:
        page = PageParams(limit=MAX_LIMIT, cursor=cursor)
        rows, cursor = cases.list_cases(session, actor=actor, page=page, where=where)
        yield from rows
        if cursor is None:
            return
