"""Fixtures of the venue tests: districts 道里区 (230102) and 南岗区 (230103) with a grid each,
their officers, and a venue factory that goes through the service."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.orm import Session

from factories import auth_headers, make_tree, make_user
from fangkong.config import Settings
from fangkong.core.principal import Principal
from fangkong.models.venue import Venue
from fangkong.policy.types import VenueType
from fangkong.venues import service
from fangkong.venues.schemas import VenueCreate

DAOLI_GRID = "230102001002003"
NANGANG_GRID = "230103001002003"
API = "/api/v1/venues"


def officer_of(code: str) -> Principal:
    return Principal(
        id=None,
        username=f"officer{code}",
        role="district_officer",
        region_code=code,
        permissions=frozenset({"venues.read", "venues.manage"}),
    )


def make_venue(
    session: Session,
    name: str = "中央大街超市",
    *,
    kind: VenueType = VenueType.SUPERMARKET,
    region_code: str = DAOLI_GRID,
    address: str = "中央大街1号",
) -> Venue:
    data = VenueCreate(name=name, type=kind, region_code=region_code, address=address)
    return service.create_venue(session, actor=officer_of(region_code[:6]), data=data)


@pytest.fixture
def districts(session: Session) -> None:
    make_tree(session, "230102")
    make_tree(session, "230103")
    session.flush()


@pytest.fixture
def officers(session: Session, settings: Settings, districts: None) -> dict[str, Any]:
    daoli = make_user(session, role="district_officer", region_code="230102")
    nangang = make_user(session, role="district_officer", region_code="230103")
    session.commit()
    return {"daoli": auth_headers(settings, daoli), "nangang": auth_headers(settings, nangang)}
