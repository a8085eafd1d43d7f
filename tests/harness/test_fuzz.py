"""Fuzz every operation of ``/openapi.json`` with schemathesis, as a city admin and as a
district officer, with valid and invalid data.

A test fails on any 5xx, any response whose body does not match its declared schema or whose
content type is not the declared one, and any status code the operation does not declare.
Each operation gets schemathesis' explicit examples, its coverage phase (the boundaries of every
parameter, valid and not) and random examples: a few in ``make test``, always the same; many,
new each run, in ``make fuzz`` (``FANGKONG_FUZZ_EXAMPLES``; ``FANGKONG_FUZZ_PHASES`` picks
phases). The app runs in-process on a connection of its own, with each role's records seeded
once per worker; each test runs in a savepoint, so whatever the fuzzer creates is rolled back
after it and the next test starts from the same records.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import schemathesis
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis import checks
from schemathesis.python import asgi
from sqlalchemy import Connection, Engine

from fangkong.config import Settings
from fangkong.db import Database
from harness.fuzz_world import (
    ROLES,
    FuzzWorld,
    aim_at_records,
    build_world,
    deterministic,
    headers,
    max_examples,
    phases,
    schema_app,
)

CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
    checks.response_headers_conformance,
]

schema = schemathesis.openapi.from_asgi("/openapi.json", schema_app())
schema.config.generation.update(max_examples=max_examples())
schema.config.phases.update(phases=phases())


@dataclass(frozen=True)
class Seeded:
    connection: Connection
    db: Database
    world: FuzzWorld


@pytest.fixture(scope="module", params=sorted(ROLES))
def seeded(
    request: pytest.FixtureRequest, base_settings: Settings, engine: Engine
) -> Iterator[Seeded]:
    """The world of one role, seeded once in a transaction rolled back at the end."""
    connection = engine.connect()
    transaction = connection.begin()
    db = Database(connection, join_savepoint=True)
    try:
        with db.sessions() as session:
            world = build_world(base_settings, db, session, request.param)
        yield Seeded(connection, db, world)
    finally:
        asgi.shutdown_lifespans()  # schemathesis keeps each app it called alive until told
        transaction.rollback()
        connection.close()


@dataclass(frozen=True)
class Call:
    world: FuzzWorld
    headers: dict[str, str]


@pytest.fixture
def fuzz_call(seeded: Seeded, base_settings: Settings) -> Iterator[Call]:
    """The seeded world in a savepoint: whatever the fuzzer writes is undone after the test."""
    savepoint = seeded.connection.begin_nested()
    try:
        yield Call(seeded.world, headers(base_settings, seeded.db, seeded.world))
    finally:
        savepoint.rollback()


# The client's 10 s default fails a correct answer when the suite shares a loaded machine (two
# xdist workers beside other work); a hung request still fails, a minute later.
REQUEST_TIMEOUT = 60


@pytest.mark.fuzz
@schema.parametrize()
@hypothesis_settings(
    max_examples=max_examples(),
    deadline=None,
    derandomize=deterministic(),  # in make test: a failure in CI replays locally
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api_operation(case: schemathesis.Case, fuzz_call: Call) -> None:
    aim_at_records(case, fuzz_call.world)
    case.call_and_validate(
        app=fuzz_call.world.app, headers=fuzz_call.headers, checks=CHECKS, timeout=REQUEST_TIMEOUT
    )
