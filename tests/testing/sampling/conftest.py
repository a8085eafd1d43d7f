"""Fixtures of the sampling tests: an active sampling site in the world's grid."""

from __future__ import annotations

import pytest

from testing.world import make_site


@pytest.fixture
def site(session):
    return make_site(session)
