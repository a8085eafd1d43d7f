"""``fangkong cases list | show | import | counts`` as an operator runs them (subprocesses on
their own SQLite file); bad input exits 2 with one line."""

from __future__ import annotations

import json


def test_counts_and_empty_list(cli_home):
    [counts, listed] = cli_home.run(("cases", "counts", "--date", "2022-11-03"),
                                    ("cases", "list", "--json"))  # fmt: skip
    assert counts.returncode == 0, counts.stderr
    figures = json.loads(counts.stdout)
    assert figures["new_confirmed"] == 0 and figures["start"].startswith("2022-11-02T22:00")
    assert listed.returncode == 0 and json.loads(listed.stdout) == []


def test_import_refuses_and_writes_nothing(cli_home, tmp_path):
    sheet = tmp_path / "cases.csv"
    sheet.write_text("身份证号,类型,采样时间\n230102199001010011,确诊,2022-11-09 08:00\n",
                     encoding="utf-8")  # fmt: skip
    [refused, after] = cli_home.run(("cases", "import", str(sheet)), ("cases", "list", "--json"))
    assert refused.returncode == 2
    assert "case.unknown_person" in refused.stderr and "nothing written" in refused.stdout
    assert json.loads(after.stdout) == []


def test_bad_input_exits_2(cli_home, tmp_path):
    [date, missing, kind, show] = cli_home.run(
        ("cases", "counts", "--date", "2022-13-01"),
        ("cases", "import", str(tmp_path / "none.csv")),
        ("cases", "list", "--kind", "red"),
        ("cases", "show", "2022-1103-9999"),
    )
    assert date.returncode == 2 and date.stderr.startswith("error: case.bad_date")
    assert missing.returncode == 2 and missing.stderr.count("\n") == 1
    assert kind.returncode == 2
    assert show.returncode == 2 and "case.not_found" in show.stderr
