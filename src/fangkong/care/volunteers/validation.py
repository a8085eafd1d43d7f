"""Checks a volunteer's fields must pass, shared by the service and the import (one rule, one
code), and the fields their audit rows show."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from fangkong.care import errors
from fangkong.care.kinds import SERVICE_KINDS, RequestKind
from fangkong.care.volunteers import repository
from fangkong.core.principal import Principal

VOLUNTEER_FIELDS = ("person_id", "region_code", "skills", "areas", "active")


def skills_of(values: Sequence[str]) -> list[str]:
    """Skill codes, each one of the six services (``UnknownSkill`` otherwise)."""
    try:
        chosen = list(dict.fromkeys(RequestKind(v).value for v in values))
    except ValueError:
        raise errors.UnknownSkill() from None
    if any(RequestKind(v) not in SERVICE_KINDS for v in chosen):
        raise errors.UnknownSkill()
    return chosen


def areas_of(session: Session, actor: Principal, codes: Sequence[str]) -> list[str]:
    """Region codes that exist inside the actor's jurisdiction (jurisdiction checked first)."""
    chosen = list(dict.fromkeys(code.strip() for code in codes))
    for code in chosen:
        if not actor.covers(code) or not repository.region_exists(session, code):
            raise errors.UnknownRegion()
    return chosen
