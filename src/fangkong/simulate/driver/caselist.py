"""Every case of a filter inside the driver's jurisdiction, page after page of the case list."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy.orm import Session

from fangkong.cases.registry import service as cases
from fangkong.cases.registry.schemas import CaseOut
from fangkong.core.principal import Principal
from fangkong.simulate.driver.pages import every_row


def every_case(session: Session, *, actor: Principal, where: cases.CaseFilter) -> Iterator[CaseOut]:
    """The cases of ``where``, every page of the list."""
    return every_row(lambda page: cases.list_cases(session, actor=actor, page=page, where=where))
