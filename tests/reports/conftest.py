"""Fixtures of the reports tests: two districts (道里区, 南岗区) and the staff who read reports,
and one who does not."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from factories import auth_headers, make_tree, make_user
from fangkong.config import Settings
from outbreak_world import DAOLI, NANGANG, STREET


@pytest.fixture
def world(session: Session) -> None:
    make_tree(session, DAOLI)
    make_tree(session, NANGANG)


@pytest.fixture
def users(session: Session, world: None) -> dict[str, object]:
    made = {
        "admin": make_user(session, role="city_admin", region_code="230100"),
        "officer": make_user(session, role="district_officer", region_code=DAOLI),
        "street": make_user(session, role="street_officer", region_code=STREET),
        "nangang": make_user(session, role="district_officer", region_code=NANGANG),
        "epi": make_user(session, role="epidemiologist", region_code=DAOLI),
        "worker": make_user(session, role="grid_worker", region_code=DAOLI + "001002003"),
    }
    session.commit()
    return made  # type: ignore[return-value]


@pytest.fixture
def staff(settings: Settings, users: dict[str, object]) -> dict[str, dict[str, str]]:
    return {name: auth_headers(settings, user) for name, user in users.items()}  # type: ignore[arg-type]
