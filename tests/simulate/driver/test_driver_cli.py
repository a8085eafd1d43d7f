"""``fangkong simulate outbreak``: a run on a small city prints its days and writes the ground
truth and the mapping apart; impossible parameters exit 2 with one line saying why."""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from cli_support import CliHome
from fangkong.config import decode_key
from fangkong.db import Database, make_engine
from fangkong.models.venue import Venue
from fangkong.people.protect import Protector
from fangkong.simulate import city
from fangkong.simulate.driver import DEFAULT_START

PEOPLE = 120


@pytest.fixture(scope="module")
def homes(tmp_path_factory, cli_template):
    empty, full = (CliHome(tmp_path_factory.mktemp(name)) for name in ("empty", "full"))
    for home in (empty, full):
        home.copy_database(cli_template)
    engine = make_engine(full.database_url)
    with Database(engine).transaction() as session:
        city.build_city(
            session, people=PEOPLE, seed=2, today=DEFAULT_START,
            now=datetime(2022, 10, 31, tzinfo=UTC), protector=Protector(decode_key(full.data_key)),
        )  # fmt: skip
    engine.dispose()
    return empty, full


def outbreak(*options: str) -> tuple[str, ...]:
    return ("simulate", "outbreak", *options)


def test_a_run_prints_its_days_and_writes_truth_and_mapping(homes):
    _empty, full = homes
    [result] = full.run(outbreak("--days", "2", "--seed", "4", "--seed-cases", "3", "--json"))
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert [d["day"] for d in report["days"]] == [0, 1]
    assert report["days"][0]["infections"] >= 3 and report["summary"]["days"] == 2
    folder = full.home / "var" / "outbreak" / "seed-4"
    mapping = json.loads((folder / "mapping.json").read_text(encoding="utf-8"))
    assert len(mapping["people"]) == PEOPLE and mapping["seed"] == 4
    assert full.one(select(func.count()).select_from(Venue))[0] == len(mapping["venues"])
    with (folder / "infections.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    seeded = [row for row in rows if row["setting"] == "seed"]
    assert len(seeded) == 3 and {int(r["infectee_id"]) for r in seeded} <= set(mapping["people"])


def test_a_run_prints_one_line_per_day_and_a_summary(homes):
    _empty, full = homes
    [result] = full.run(outbreak("--days", "1", "--seed", "9", "--seed-cases", "1",
                                 "--out", "truth-9"))  # fmt: skip
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("day 0 2022-11-01: 1 infections") and len(lines) == 2
    assert lines[1].startswith("outbreak: 1 days") and "truth-9" in lines[1]
    assert (full.home / "truth-9" / "contacts.csv").exists()


@pytest.mark.parametrize(
    ("options", "reason"),
    [
        (("--days", "-1", "--seed", "1", "--seed-cases", "1"), "--days"),
        (("--days", "2", "--seed", "-3", "--seed-cases", "1"), "--seed"),
        (("--days", "2", "--seed", "1", "--seed-cases", "0"), "--seed-cases"),
        (("--days", "2", "--seed", "1", "--seed-cases", str(PEOPLE + 1)), "--seed-cases"),
        (("--days", "2", "--seed", "1", "--seed-cases", "1", "--start", "2022-13-01"), "--start"),
    ],
)
def test_impossible_parameters_exit_2_with_the_reason(homes, options, reason):
    _empty, full = homes
    [result] = full.run(outbreak(*options))
    assert result.returncode == 2
    assert result.stderr.startswith("error: ") and len(result.stderr.splitlines()) == 1
    assert reason in result.stderr


def test_an_empty_people_table_exits_2(homes):
    empty, _full = homes
    [result] = empty.run(outbreak("--days", "2", "--seed", "1", "--seed-cases", "1"))
    assert result.returncode == 2
    assert "people" in result.stderr and len(result.stderr.splitlines()) == 1
