"""``fangkong vaccination vaccine-add | import | coverage | recount | outreach`` as an operator
runs them (subprocesses on their own SQLite file); bad input exits 2 with one line."""

from __future__ import annotations

import json
from datetime import date

from factories import resident_id

REGIONS = """code,name,level,parent_code
230104001,靖宇街道,street,230104
230104001001,靖宇社区,community,230104001
230104001001001,靖宇一网格,grid,230104001001
"""
GRID = "230104001001001"
FIRST = resident_id(41, born=date(1990, 5, 1), region="230104")
SECOND = resident_id(42, born=date(1950, 5, 1), region="230104")


def test_vaccination_commands(cli_home, tmp_path):
    regions, people, doses = tmp_path / "r.csv", tmp_path / "p.csv", tmp_path / "d.csv"
    regions.write_text(REGIONS, encoding="utf-8")
    people.write_text(f"姓名,证件号码,网格编码\n甲,{FIRST},{GRID}\n乙,{SECOND},{GRID}\n", "utf-8")
    doses.write_text(
        "身份证号,疫苗,剂次,接种日期,接种点,批号\n"
        f"{FIRST},INACT,1,2021-04-01,靖宇站,B1\n"
        f"{FIRST},INACT,2,2021-03-01,靖宇站,B2\n"
        f"{SECOND},INACT,1,1949-01-01,靖宇站,B1\n",
        encoding="utf-8",
    )
    for args in (("regions", "import", regions), ("people", "import", people),
                 ("vaccination", "vaccine-add", "INACT", "灭活疫苗", "--series-doses", "2")):  # fmt: skip
        [done] = cli_home.run(args)
        assert done.returncode == 0, done.stderr
    [imported] = cli_home.run(("vaccination", "import", doses))
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout.strip() == "inserted 1, rejected 2"
    assert [line.split(": ")[:2] for line in imported.stderr.splitlines()] == [
        ["row 3", "vaccination.dose_before_previous"],
        ["row 4", "vaccination.dose_before_birth"],
    ]

    [live] = cli_home.run(("vaccination", "coverage", "--on", "2022-12-01", "--json"))
    cells = json.loads(live.stdout)["cells"]
    assert [(c["band"], c["population"], c["vaccinated"]) for c in cells] == [
        ("18-59", 1, 1), ("60-79", 1, 0),
    ]  # fmt: skip
    [counted] = cli_home.run(("vaccination", "recount", "--on", "2022-12-01"))
    assert counted.stdout.strip() == "counted 2022-12-01"
    [again] = cli_home.run(("vaccination", "coverage", "--on", "2022-12-01", "--json"))
    assert json.loads(again.stdout)["cells"] == cells

    [listed] = cli_home.run(("vaccination", "outreach", "--grid", GRID, "--json"))
    rows = json.loads(listed.stdout)
    assert sorted(r["reason"] for r in rows) == ["incomplete", "unvaccinated"]
    assert all("*" in r["id_number"] for r in rows)


def test_bad_input_exits_2(cli_home, tmp_path):
    bad_date, bad_grid, missing, duplicate = cli_home.run(
        ("vaccination", "coverage", "--on", "2022-13-01"),
        ("vaccination", "outreach", "--grid", "abc"),
        ("vaccination", "import", tmp_path / "nope.csv"),
        ("vaccination", "vaccine-add", "bad code!", "x"),
    )
    for result in (bad_date, bad_grid, missing, duplicate):
        assert result.returncode == 2, result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
    assert "--on" in bad_date.stderr and "--grid" in bad_grid.stderr
