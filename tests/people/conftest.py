"""Fixtures of the people tests: a fresh data key, and the grids the import tests place people in."""

from __future__ import annotations

import secrets

import pytest
from sqlalchemy.orm import Session

from factories import auth_headers, make_region, make_tree, make_user
from fangkong.config import Settings
from fangkong.people.protect import Protector

GRID_2 = "230102001002004"


@pytest.fixture
def protector() -> Protector:
    return Protector(secrets.token_bytes(32))


@pytest.fixture
def grids(session: Session) -> None:
    """A street, community and grid under 230102 and under 230103, and a second grid in the
    first community."""
    make_tree(session, "230102")
    make_region(session, GRID_2)
    make_tree(session, "230103")


@pytest.fixture
def officer(session: Session, settings: Settings) -> dict[str, str]:
    """The bearer header of 道里区's officer (230102); its street, community and grid exist."""
    make_tree(session, "230102")
    user = make_user(session, role="district_officer", region_code="230102")
    session.commit()
    return auth_headers(settings, user)
