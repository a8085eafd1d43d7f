"""``fangkong tracing contacts generate CASE_NO | list`` as an operator runs them (subprocesses
against their own SQLite file, seeded here); bad input exits 2 with one line."""

from __future__ import annotations

import json

from factories import make_tree
from fangkong.config import Settings
from fangkong.db import Database, make_engine
from outbreak_world import DAOLI, at, make_case
from tracing.contacts.helpers import family


def _seed(cli_home) -> str:
    settings = Settings(database_url=cli_home.database_url, data_key=cli_home.data_key)
    database = Database(make_engine(cli_home.database_url))
    with database.transaction() as session:
        make_tree(session, DAOLI)
        a, _ = family(session, settings, "甲病例", "甲家属")
        case_no = make_case(session, a, sampled_at=at(3, 8)).case_no
    database.engine.dispose()
    return case_no


def test_generate_then_list(cli_home):
    case_no = _seed(cli_home)
    [made] = cli_home.run(("tracing", "contacts", "generate", case_no))
    assert made.returncode == 0, made.stderr
    result = json.loads(made.stdout)
    assert result["case_no"] == case_no
    assert (result["candidates"], result["new_links"]) == (1, 1)
    [again, listed, lines] = cli_home.run(
        ("tracing", "contacts", "generate", case_no),
        ("tracing", "contacts", "list", "--json", "--case", case_no),
        ("tracing", "contacts", "list", "--degree", "close"),
    )
    assert json.loads(again.stdout)["new_links"] == 0
    [contact] = json.loads(listed.stdout)
    assert contact["name"] == "甲*属" and contact["status"] == "candidate"
    assert "*" in contact["id_number_masked"]
    assert lines.returncode == 0 and "甲*属" in lines.stdout and case_no in lines.stdout


def test_bad_input_exits_2(cli_home):
    [unknown, degree, status] = cli_home.run(
        ("tracing", "contacts", "generate", "NO-SUCH-CASE"),
        ("tracing", "contacts", "list", "--degree", "third"),
        ("tracing", "contacts", "list", "--status", "lost"),
    )
    assert unknown.returncode == 2 and unknown.stderr.count("\n") == 1
    assert "contact.case_not_found" in unknown.stderr
    assert degree.returncode == 2 and degree.stderr.count("\n") == 1
    assert status.returncode == 2
