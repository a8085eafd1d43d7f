"""Fixtures of the export tests: two districts, residents in both, staff of each role that
exports or approves, and a client whose settings can be changed per test (thresholds)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from factories import auth_headers, make_tree, make_user
from fangkong.config import Settings
from fangkong.db import Database
from fangkong.main import create_app
from shared_routes import with_shared_routes
from testing.world import DAOLI, GRID, NANGANG, make_resident

NANGANG_GRID = NANGANG + "001002003"
DAOLI_NAMES = ("赵一", "钱二", "孙三")
NANGANG_NAMES = ("李四", "周五")


@pytest.fixture
def settings(settings: Settings, tmp_path: Path) -> Settings:
    """The suite's settings, with files written under the test's own folder."""
    return settings.model_copy(update={"export_dir": tmp_path / "exports"})


@pytest.fixture(autouse=True)
def world(session: Session, settings: Settings) -> dict[str, list[Any]]:
    make_tree(session, DAOLI)
    make_tree(session, NANGANG)
    daoli = [
        make_resident(session, settings, name=n, phone=f"1391234{i:04d}")
        for i, n in enumerate(DAOLI_NAMES)
    ]
    nangang = [make_resident(session, settings, name=n, grid=NANGANG_GRID) for n in NANGANG_NAMES]
    session.commit()
    return {"daoli": daoli, "nangang": nangang}


@pytest.fixture
def users(session: Session, world: None) -> dict[str, Any]:
    made = {
        "admin": make_user(session, role="city_admin", region_code="230100"),
        "admin2": make_user(session, role="city_admin", region_code="230100"),
        "officer": make_user(session, role="district_officer", region_code=DAOLI),
        "peer": make_user(session, role="district_officer", region_code=DAOLI),
        "nangang": make_user(session, role="district_officer", region_code=NANGANG),
        "street": make_user(session, role="street_officer", region_code=DAOLI + "001"),
        "worker": make_user(session, role="grid_worker", region_code=GRID),
        "sampler": make_user(session, role="sampler", region_code=DAOLI),
    }
    session.commit()
    return made


@pytest.fixture
def headers(settings: Settings, users: dict[str, Any]) -> dict[str, dict[str, str]]:
    return {name: auth_headers(settings, user) for name, user in users.items()}


ClientFactory = Callable[..., Any]


@pytest.fixture
def client_with(settings: Settings, db: Database) -> Iterator[ClientFactory]:
    """``with client_with(export_inline_rows=0) as client``: an app with changed settings."""

    @contextmanager
    def make(**changes: Any) -> Iterator[TestClient]:
        app = with_shared_routes(create_app(settings.model_copy(update=changes), database=db))
        with TestClient(app, raise_server_exceptions=False) as client:
            yield client

    yield make
