"""``fangkong health-code show | recompute`` as an operator runs them (see ``cli_support``)."""

from __future__ import annotations

import json

import pytest

from factories import make_tree, resident_id
from fangkong.config import decode_key
from fangkong.core.events import publish
from fangkong.core.principal import SYSTEM
from fangkong.db import Database, make_engine
from fangkong.healthcode.events import FactRaised
from fangkong.people import service as people
from fangkong.people.protect import Protector
from fangkong.people.schemas import PersonCreate
from fangkong.policy.types import Reason

GRID = "230104001002003"


@pytest.fixture(scope="module")
def person_id(cli_home) -> int:
    """A red person in the CLI's own database, made through the services."""
    engine = make_engine(cli_home.database_url)
    try:
        with Database(engine).transaction() as session:
            make_tree(session, "230104")
            protector = Protector(decode_key(cli_home.data_key))
            data = PersonCreate(name="张三丰", id_number=resident_id(901), grid_code=GRID)
            person, _ = people.create_person(session, actor=SYSTEM, protector=protector, data=data)
            publish(session, FactRaised(person.id, Reason.CASE_POSITIVE, source="t", ref="p"))
            return person.id
    finally:
        engine.dispose()


def test_show_prints_the_code_and_json(cli_home, person_id):
    text, as_json, missing = cli_home.run(
        ("health-code", "show", str(person_id)),
        ("health-code", "show", str(person_id), "--json"),
        ("health-code", "show", "99999999"),
    )
    assert text.returncode == 0, text.stderr
    assert f"{person_id} 张*丰 {GRID}: red" in text.stdout
    assert "case.positive" in text.stdout
    shown = json.loads(as_json.stdout)
    assert (shown["colour"], shown["name"]) == ("red", "张*丰")
    assert [r["code"] for r in shown["reasons"]] == ["case.positive"]
    assert [f["reason"] for f in shown["facts_in_force"]] == ["case.positive"]
    assert missing.returncode == 2
    assert missing.stderr.strip().startswith("error: person.not_found")
    assert len(missing.stderr.strip().splitlines()) == 1


def test_recompute(cli_home, person_id):
    stale, every = cli_home.run(("health-code", "recompute"), ("health-code", "recompute", "--all"))
    assert stale.returncode == 0, stale.stderr
    assert stale.stdout.strip() == "recomputed 0 codes"
    assert every.stdout.strip() == "recomputed 1 codes"
