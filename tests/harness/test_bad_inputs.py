"""The bad-input catalogue: every domain's ``bad_inputs`` (tests/*/harness.py), each answered
with a 4xx problem+json carrying its stable code, and the database unchanged (row counts and a
digest of every table but the logs, before and after).

Every domain's records are seeded in 道里区 once for the module, in a transaction rolled back at
its end; each test runs in a savepoint of it (``db`` below, which ``session`` and ``app_client``
take), so whatever it writes is undone and the next test starts from the same records."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import Connection, Engine

from factories import auth_headers, make_user
from fangkong.config import Settings
from fangkong.db import Database
from harness import probe
from harness.probe import OWN
from harness.registry import BadInput, Ids, load

CATALOGUE = [(d.name, bad) for d in load() for bad in d.bad_inputs]
_PLACEHOLDER = re.compile(r"{(\w+)(:int)?}")


def filled(value: Any, ids: Ids) -> Any:
    """``value`` with ``{kind}`` placeholders replaced by the ids (``{kind:int}``: a number)."""
    if isinstance(value, str):
        whole = _PLACEHOLDER.fullmatch(value)
        if whole and whole.group(2):
            return int(ids[whole.group(1)])
        return _PLACEHOLDER.sub(lambda m: ids[m.group(1)], value)
    if isinstance(value, dict):
        return {k: filled(v, ids) for k, v in value.items()}
    if isinstance(value, list):
        return [filled(v, ids) for v in value]
    return value


def test_every_domain_with_write_routes_lists_bad_inputs():
    listed = {name for name, _ in CATALOGUE}
    assert {"people", "regions", "auth", "audit"} <= listed


@dataclass(frozen=True)
class Seeded:
    connection: Connection
    ids: Ids


@pytest.fixture(scope="module")
def seeded(base_settings: Settings, engine: Engine) -> Iterator[Seeded]:
    """Every domain's records in 道里区, seeded once in a transaction rolled back at the end."""
    connection = engine.connect()
    transaction = connection.begin()
    try:
        with Database(connection, join_savepoint=True).sessions() as session:
            ids, _ = probe.seed(session, base_settings, load(), OWN)
        yield Seeded(connection, ids)
    finally:
        transaction.rollback()
        connection.close()


@pytest.fixture
def db(seeded: Seeded) -> Iterator[Database]:
    """The seeded records in a savepoint: whatever the test writes is undone after it."""
    savepoint = seeded.connection.begin_nested()
    try:
        yield Database(seeded.connection, join_savepoint=True)
    finally:
        savepoint.rollback()


@pytest.mark.parametrize(("domain", "bad"), CATALOGUE, ids=[f"{d}: {b.name}" for d, b in CATALOGUE])
def test_bad_input_is_refused_and_writes_nothing(
    app_client, session, settings, seeded: Seeded, domain: str, bad: BadInput
):
    ids = seeded.ids
    region = OWN.code if bad.role == "district_officer" else "230100"
    user = make_user(session, role=bad.role, region_code=region)
    session.commit()
    kwargs: dict[str, Any] = {"headers": auth_headers(settings, user)}
    if bad.json is not None:
        kwargs["json"] = filled(bad.json, ids)
    if bad.data is not None:
        kwargs["data"] = filled(dict(bad.data), ids)
    if bad.params is not None:
        kwargs["params"] = filled(dict(bad.params), ids)
    if bad.files is not None:
        kwargs["files"] = bad.files(ids)
    before = probe.checksums(session)
    response = app_client.request(bad.method, filled(bad.path, ids), **kwargs)
    if bad.line:
        _assert_line_refused(response, bad)
    else:
        _assert_problem(response, bad)
    assert probe.changed_tables(before, probe.checksums(session)) == []


def _assert_problem(response, bad: BadInput) -> None:
    assert (response.status_code, response.headers["content-type"]) == (
        bad.status,
        "application/problem+json",
    ), response.text
    problem = response.json()
    assert problem["code"] == bad.code and problem["status"] == bad.status
    assert problem["title"] and problem["detail"]


def _assert_line_refused(response, bad: BadInput) -> None:
    """A report of a bulk route: the one line refused with the code and a message."""
    assert response.status_code == bad.status, response.text
    report = response.json()
    lines = report.get("rejected_lines", report.get("refused"))
    assert [line["code"] for line in lines] == [bad.code], response.text
    assert all(line["message"] for line in lines)
