"""``fangkong testing campaigns list | create | coverage`` and ``fangkong testing overdue`` as
an operator runs them (subprocesses on their own SQLite file); bad input exits 2, one line."""

from __future__ import annotations

import json


def test_create_list_coverage_overdue(cli_home):
    [made] = cli_home.run(
        ("testing", "campaigns", "create", "--name", "全市第一轮", "--region", "230104",
         "--region", "230108", "--starts-on", "2024-05-01", "--ends-on", "2024-05-02", "--json"),
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    created = json.loads(made.stdout)
    assert (created["regions"], created["region_code"]) == (["230104", "230108"], "230100")
    listed, coverage, table, overdue = cli_home.run(
        ("testing", "campaigns", "list", "--json"),
        ("testing", "campaigns", "coverage", str(created["id"]), "--json"),
        ("testing", "campaigns", "coverage", str(created["id"]), "--level", "street"),
        ("testing", "overdue", "--json"),
    )
    assert [c["id"] for c in json.loads(listed.stdout)] == [created["id"]]
    figures = json.loads(coverage.stdout)
    assert (figures["level"], figures["rows"], figures["totals"]["target"]) == ("district", [], 0)
    assert table.stdout.splitlines()[0].startswith("code\tname\ttarget")
    assert table.stdout.splitlines()[-1].startswith("total\t")
    assert json.loads(overdue.stdout) == []


def test_bad_input_exits_2_with_one_line(cli_home):
    create = ("testing", "campaigns", "create", "--name", "x", "--region")
    cases = cli_home.run(
        (*create, "230104", "--starts-on", "2024-05-02", "--ends-on", "2024-05-01"),
        (*create, "230104", "--starts-on", "May 1", "--ends-on", "2024-05-01"),
        (*create, "999999", "--starts-on", "2024-05-01", "--ends-on", "2024-05-01"),
        ("testing", "campaigns", "coverage", "999"),
        ("testing", "overdue", "--group", "astronauts"),
    )
    codes = [
        "testing.campaign_invalid_dates",
        "is not a date",
        "testing.campaign_unknown_region",
        "testing.campaign_not_found",
        "testing.unknown_key_group",
    ]
    for done, code in zip(cases, codes, strict=True):
        assert done.returncode == 2, (code, done.stderr)
        assert len(done.stderr.strip().splitlines()) == 1 and code in done.stderr, done.stderr
