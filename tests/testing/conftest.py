"""Fixtures of the testing-domain tests (the helpers are in ``world.py``)."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from factories import auth_headers, make_tree, make_user
from fangkong.config import Settings
from testing.world import DAOLI, GRID, NANGANG, OTHER_GRID


@pytest.fixture
def world(session: Session) -> None:
    make_tree(session, DAOLI)
    make_tree(session, NANGANG)


@pytest.fixture
def staff(session: Session, settings: Settings, world: None) -> dict[str, dict[str, str]]:
    """Bearer headers of the testing roles, in 道里区 unless named otherwise."""
    users = {
        "officer": make_user(session, role="district_officer", region_code=DAOLI),
        "nangang": make_user(session, role="district_officer", region_code=NANGANG),
        "worker": make_user(session, role="grid_worker", region_code=GRID),
        "other_worker": make_user(session, role="grid_worker", region_code=OTHER_GRID),
        "sampler": make_user(session, role="sampler", region_code=DAOLI),
        "lab": make_user(session, role="lab", region_code=DAOLI),
        "inspector": make_user(session, role="inspector", region_code=DAOLI),
    }
    session.commit()
    return {name: auth_headers(settings, user) for name, user in users.items()}
