"""Checks a venue's fields must pass, shared by the service and the import (one rule, one code)."""

from __future__ import annotations

import re

from sqlalchemy.orm import Session

from fangkong.core.principal import Principal
from fangkong.core.scoping import REGION_CODE_PATTERN
from fangkong.policy.types import VenueType
from fangkong.venues import errors, repository
from fangkong.venues.labels import TYPE_NAMES_ZH
from fangkong.venues.schemas import ADDRESS_MAX, NAME_MAX

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_REGION = re.compile(REGION_CODE_PATTERN)


def name(value: str) -> str:
    text = value.strip()
    if not 1 <= len(text) <= NAME_MAX or _CONTROL.search(text):
        raise errors.InvalidName()
    return text


def address(value: str) -> str:
    text = value.strip()
    if len(text) > ADDRESS_MAX or _CONTROL.search(text):
        raise errors.InvalidAddress()
    return text


def venue_type(value: str) -> VenueType:
    """A type code (``supermarket``) or its Chinese name (超市)."""
    text = value.strip()
    code = TYPE_NAMES_ZH.get(text, text.lower())
    try:
        return VenueType(code)
    except ValueError:
        raise errors.InvalidVenueType() from None


def region(session: Session, actor: Principal, code: str) -> str:
    """A region inside the actor's jurisdiction. Jurisdiction first: a code outside it never
    tells whether it exists."""
    text = code.strip()
    if not _REGION.match(text):
        raise errors.UnknownRegion()
    if not actor.covers(text):
        raise errors.RegionOutOfScope()
    if not repository.region_exists(session, text):
        raise errors.UnknownRegion()
    return text
