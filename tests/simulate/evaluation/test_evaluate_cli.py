"""``fangkong simulate evaluate``: a run's folder scored, its table printed and
``evaluation.json`` saved; a folder that is missing or lacks the truth exits 2 with one line."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from cli_support import CliHome
from fangkong.config import decode_key
from fangkong.db import Database, make_engine
from fangkong.people.protect import Protector
from fangkong.simulate import city
from fangkong.simulate.driver import DEFAULT_START


@pytest.fixture(scope="module")
def home(tmp_path_factory, cli_template):
    home = CliHome(tmp_path_factory.mktemp("evaluate"))
    home.copy_database(cli_template)
    engine = make_engine(home.database_url)
    with Database(engine).transaction() as session:
        city.build_city(
            session, people=150, seed=2, today=DEFAULT_START,
            now=datetime(2022, 10, 31, tzinfo=UTC), protector=Protector(decode_key(home.data_key)),
        )  # fmt: skip
    engine.dispose()
    return home


def test_no_run_yet_exits_2(home):
    [result] = home.run(("simulate", "evaluate"))
    assert result.returncode == 2 and len(result.stderr.splitlines()) == 1
    assert "--run" in result.stderr


def test_the_latest_run_is_scored_and_saved(home):
    [run] = home.run(("simulate", "outbreak", "--days", "3", "--seed", "6", "--seed-cases", "8"))
    assert run.returncode == 0, run.stderr
    [table, as_json] = home.run(("simulate", "evaluate"), ("simulate", "evaluate", "--json"))
    assert table.returncode == 0, table.stderr
    names = [line.split("  ")[0] for line in table.stdout.splitlines()]
    assert names == ["run", "contact recall", "contact precision", "sample to control",
                     "found under control", "attack rate"]  # fmt: skip
    saved = home.home / "var" / "outbreak" / "seed-6" / "evaluation.json"
    figures = json.loads(as_json.stdout)
    assert figures == json.loads(saved.read_text(encoding="utf-8"))
    assert figures["seed"] == 6 and figures["residents"] == 150
    assert 0 < figures["attack_rate"]["with_measures"] <= 1


def test_a_missing_folder_exits_2(home):
    [result] = home.run(("simulate", "evaluate", "--run", "nowhere"))
    assert result.returncode == 2 and len(result.stderr.splitlines()) == 1
    assert "does not exist" in result.stderr


def test_a_folder_without_the_truth_exits_2(home):
    (home.home / "half").mkdir()
    (home.home / "half" / "mapping.json").write_text("{}", encoding="utf-8")
    [result] = home.run(("simulate", "evaluate", "--run", "half"))
    assert result.returncode == 2 and len(result.stderr.splitlines()) == 1
    assert "infections.csv" in result.stderr
