"""Fixtures of the citizens tests: a resident with a phone, signing in, door staff."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from citizens.factories import GRID, make_resident
from factories import auth_headers, make_tree, make_user
from fangkong.config import Settings
from fangkong.core import clock
from fangkong.models import Person

SENDER_LOG = "fangkong.citizens.senders"
CODE_LINE = re.compile(r"one-time code for citizen (\*{4}[0-9]{4}) is ([0-9]+)$")


@dataclass
class Resident:
    person: Person
    phone: str


@pytest.fixture
def resident(session: Session, settings: Settings) -> Resident:
    make_tree(session, "230102")
    person = make_resident(session, settings, name="王小明", phone="13812345678", grid=GRID)
    session.commit()
    return Resident(person, "13812345678")


class Codes:
    """The codes the console sender logged, read back as a citizen reads their SMS."""

    def __init__(self, caplog: pytest.LogCaptureFixture) -> None:
        self.caplog = caplog

    def lines(self) -> list[str]:
        return [r.getMessage() for r in self.caplog.records if r.name == SENDER_LOG]

    def last(self) -> str:
        found = [CODE_LINE.search(line) for line in self.lines()]
        codes = [m.group(2) for m in found if m]
        assert codes, "no code was sent"
        return codes[-1]


@pytest.fixture
def codes(caplog: pytest.LogCaptureFixture) -> Codes:
    caplog.set_level(logging.INFO, logger=SENDER_LOG)
    return Codes(caplog)


def sign_in(client: TestClient, codes: Codes, phone: str) -> str:
    """Ask for a code and exchange it for a citizen token."""
    assert client.post("/api/v1/citizen/otp", json={"phone": phone}).status_code == 202
    response = client.post("/api/v1/citizen/token", json={"phone": phone, "code": codes.last()})
    assert response.status_code == 200, response.text
    token: str = response.json()["access_token"]
    return token


@pytest.fixture
def citizen(app_client: TestClient, codes: Codes, resident: Resident) -> dict[str, str]:
    """The resident's bearer header."""
    return {"Authorization": f"Bearer {sign_in(app_client, codes, resident.phone)}"}


@pytest.fixture
def door(session: Session, settings: Settings, resident: Resident) -> dict[str, str]:
    """A venue operator's bearer header: the role that verifies codes at a door."""
    user = make_user(session, role="venue_operator", region_code="230102")
    session.commit()
    return auth_headers(settings, user)


@pytest.fixture
def frozen_now() -> Iterator[None]:
    with clock.frozen(clock.now()):
        yield
