"""Fuzz every operation of ``/openapi.json`` with schemathesis, as a city admin and as a
district officer, with valid and invalid data.

A test fails on any 5xx, any response whose body does not match its declared schema or whose
content type is not the declared one, and any status code the operation does not declare.
Each operation gets schemathesis' explicit examples, its coverage phase (the boundaries of every
parameter, valid and not) and random examples: a few in ``make test``, always the same; many,
new each run, in ``make fuzz`` (``FANGKONG_FUZZ_EXAMPLES``; ``FANGKONG_FUZZ_PHASES`` picks
phases). The app runs in-process on the test's connection, so whatever the fuzzer creates is
rolled back with the test.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis import checks
from schemathesis.python import asgi
from sqlalchemy.orm import Session

from fangkong.config import Settings
from fangkong.db import Database
from harness.fuzz_world import (
    ROLES,
    FuzzWorld,
    aim_at_records,
    build_world,
    deterministic,
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


@pytest.fixture(params=sorted(ROLES))
def fuzz_world(
    request: pytest.FixtureRequest, settings: Settings, db: Database, session: Session
) -> Iterator[FuzzWorld]:
    yield build_world(settings, db, session, request.param)
    asgi.shutdown_lifespans()  # schemathesis keeps each app it called alive until told


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
def test_api_operation(case: schemathesis.Case, fuzz_world: FuzzWorld) -> None:
    aim_at_records(case, fuzz_world)
    case.call_and_validate(
        app=fuzz_world.app, headers=fuzz_world.headers, checks=CHECKS, timeout=REQUEST_TIMEOUT
    )
