"""Fixtures of the quarantine tests (the helpers are in ``world.py``): the region tree of two
districts for every test, and bearer headers of the roles quarantine serves."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from factories import auth_headers, make_tree, make_user
from fangkong.config import Settings
from outbreak_world import DAOLI, GRID, NANGANG, OTHER_GRID


@pytest.fixture(autouse=True)
def world(session: Session) -> None:
    make_tree(session, DAOLI)
    make_tree(session, NANGANG)


@pytest.fixture
def staff(session: Session, settings: Settings, world: None) -> dict[str, dict[str, str]]:
    """Bearer headers, in 道里区 unless named otherwise."""
    users = {
        "admin": make_user(session, role="city_admin", region_code="230100"),
        "officer": make_user(session, role="district_officer", region_code=DAOLI),
        "nangang": make_user(session, role="district_officer", region_code=NANGANG),
        "isolation": make_user(session, role="isolation_officer", region_code=DAOLI),
        "worker": make_user(session, role="grid_worker", region_code=GRID),
        "other_worker": make_user(session, role="grid_worker", region_code=OTHER_GRID),
        "epi": make_user(session, role="epidemiologist", region_code=DAOLI),
        "sampler": make_user(session, role="sampler", region_code=DAOLI),
    }
    session.commit()
    return {name: auth_headers(settings, user) for name, user in users.items()}
