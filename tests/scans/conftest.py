"""Fixtures of the scan tests (the helpers are in ``world.py``)."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from fangkong.config import Settings
from scans.world import World, make_world


@pytest.fixture
def world(session: Session, settings: Settings) -> World:
    return make_world(session, settings)
