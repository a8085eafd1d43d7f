"""Fixtures of the arrivals-domain tests (the helpers are in ``world.py``)."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from arrivals.world import DAOLI, GRID, NANGANG, OTHER_GRID, STREET, make_checkpoint
from factories import auth_headers, make_tree, make_user
from fangkong.config import Settings
from fangkong.models.arrivals import CheckpointStaff


@pytest.fixture
def world(session: Session) -> None:
    make_tree(session, DAOLI)
    make_tree(session, NANGANG)


@pytest.fixture
def staff(session: Session, settings: Settings, world: None) -> dict[str, dict[str, str]]:
    """Bearer headers of the roles arrivals and zones serve, in 道里区 unless named otherwise.

    ``gate`` is a venue operator on the staff of the 道里 checkpoint (``make_checkpoint``);
    ``operator`` is one who is not."""
    checkpoint = make_checkpoint(session)
    users = {
        "admin": make_user(session, role="city_admin", region_code="230100"),
        "officer": make_user(session, role="district_officer", region_code=DAOLI),
        "street": make_user(session, role="street_officer", region_code=STREET),
        "nangang": make_user(session, role="district_officer", region_code=NANGANG),
        "worker": make_user(session, role="grid_worker", region_code=GRID),
        "other_worker": make_user(session, role="grid_worker", region_code=OTHER_GRID),
        "gate": make_user(session, role="venue_operator", region_code=DAOLI),
        "operator": make_user(session, role="venue_operator", region_code=DAOLI),
        "epi": make_user(session, role="epidemiologist", region_code=DAOLI),
        "sampler": make_user(session, role="sampler", region_code=DAOLI),
        "inspector": make_user(session, role="inspector", region_code=DAOLI),
    }
    session.add(CheckpointStaff(checkpoint_id=checkpoint.id, user_id=users["gate"].id))
    session.commit()
    return {name: auth_headers(settings, user) for name, user in users.items()}
