"""The region a report covers: the caller's own, or ``region`` inside it (else 404, as the
other domains answer for records outside a jurisdiction), with its names, and a principal
narrowed to it: a report counts the records of its region, not the records a user owns
elsewhere after a hand-over."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from fangkong.core.errors import NotFound
from fangkong.core.principal import Principal
from fangkong.regions import service as regions
from fangkong.reports import errors

CITY_ZH = "本市"
CITY_EN = "the city"


@dataclass(frozen=True)
class Scope:
    code: str
    name: str
    name_en: str
    actor: Principal  # narrowed to ``code``, with no user id


def names(session: Session, actor: Principal, code: str) -> tuple[str, str] | None:
    try:
        region = regions.get_region(session, actor=actor, code=code)
    except NotFound:
        return None
    return region.name, region.name_en or region.name


def scope_of(session: Session, actor: Principal, region: str | None) -> Scope:
    code = region or actor.region_code
    if not actor.covers(code):
        raise errors.RegionNotFound()
    found = names(session, actor, code)
    if found is None and region is not None:
        raise errors.RegionNotFound()
    zh, en = found or (CITY_ZH, CITY_EN)
    narrowed = Principal(id=None, username=actor.username, role=actor.role, region_code=code,
                         permissions=actor.permissions, locale=actor.locale)  # fmt: skip
    return Scope(code=code, name=zh, name_en=en, actor=narrowed)
