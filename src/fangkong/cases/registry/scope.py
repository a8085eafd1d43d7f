"""Who sees a case: users whose jurisdiction covers its region, and its owner (after a
hand-over to another district's epidemiologist). One condition shared by every query."""

from __future__ import annotations

from sqlalchemy import ColumnElement, or_

from fangkong.core.principal import Principal
from fangkong.core.scoping import within
from fangkong.models.cases import Case


def visible(actor: Principal) -> ColumnElement[bool]:
    scoped = within(Case.region_code, actor.region_code)
    return or_(scoped, Case.owner_id == actor.id) if actor.id is not None else scoped
