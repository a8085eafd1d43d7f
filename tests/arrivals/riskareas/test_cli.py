"""``fangkong arrivals risk-areas import | list | check | template`` as an operator runs them
(subprocesses on their own SQLite file); bad input exits 2 with the refused rows."""

from __future__ import annotations

import json

from openpyxl import load_workbook

from arrivals.riskareas.helpers import BEIJING, HEADER, SHANGHAI, csv_of, line

GROUP = ("arrivals", "risk-areas")


def test_import_list_check(cli_home, tmp_path):
    first = tmp_path / "march-1.csv"
    first.write_bytes(csv_of(line(BEIJING, "望京街道", "高"), line(SHANGHAI, "", "低")))
    [done] = cli_home.run((*GROUP, "import", first, "--as-of", "2022-03-01"))
    assert done.returncode == 0, done.stderr
    assert "opened 2, changed 0, closed 0, unchanged 0, rejected 0" in done.stdout
    [again] = cli_home.run((*GROUP, "import", first, "--as-of", "2022-03-02"))
    assert "opened 0, changed 0, closed 0, unchanged 2" in again.stdout
    later = tmp_path / "march-5.json"
    later.write_text(json.dumps([{"省": "北京", "市": "北京", "区县": "朝阳", "区域": "望京街道",
                                  "风险等级": "低"}]), encoding="utf-8")  # fmt: skip
    [changed] = cli_home.run((*GROUP, "import", later, "--as-of", "2022-03-05", "--json"))
    assert changed.returncode == 0, changed.stderr
    assert (json.loads(changed.stdout)["changed"], json.loads(changed.stdout)["closed"]) == (1, 1)
    [listed] = cli_home.run((*GROUP, "list", "--on", "2022-03-03"))
    assert listed.returncode == 0, listed.stderr
    assert len(listed.stdout.splitlines()) == 2 and "high 1, medium 0, low 1" in listed.stderr
    [lows] = cli_home.run((*GROUP, "list", "--grade", "low"))
    assert [row.split("\t")[2] for row in lows.stdout.splitlines()] == ["110105"]
    [then] = cli_home.run(
        (*GROUP, "check", "北京", "北京", "朝阳", "望京街道3号", "--on", "2022-03-03")
    )
    assert then.returncode == 0, then.stderr
    assert then.stdout.splitlines()[0] == "110105 北京市朝阳区望京街道3号: high"
    [now] = cli_home.run((*GROUP, "check", "北京", "北京", "朝阳", "望京街道3号"))
    assert now.stdout.splitlines()[0].endswith(": low")


def test_bad_input_exits_2(cli_home, tmp_path):
    [before] = cli_home.run((*GROUP, "list"))  # the module's home: the first test's rows
    broken = tmp_path / "broken.csv"
    broken.write_bytes(csv_of(line(BEIJING, "", "高"), line(("火星", "某市", "某区"), "", "高")))
    [refused] = cli_home.run((*GROUP, "import", broken))
    assert refused.returncode == 2
    assert "line 3: risk_area.unknown_place" in refused.stderr
    assert "nothing written" in refused.stdout
    [listed] = cli_home.run((*GROUP, "list"))
    assert listed.stdout == before.stdout
    [missing] = cli_home.run((*GROUP, "import", tmp_path / "none.csv"))
    assert missing.returncode == 2 and len(missing.stderr.strip().splitlines()) == 1
    [bad_time] = cli_home.run((*GROUP, "list", "--on", "三月"))
    assert bad_time.returncode == 2 and "risk_area.bad_time" in bad_time.stderr
    [unknown] = cli_home.run((*GROUP, "check", "火星", "某市", "某区"))
    assert unknown.returncode == 2 and "risk_area.unknown_place" in unknown.stderr
    columns = tmp_path / "columns.csv"
    columns.write_text("省,区县\n北京,朝阳\n", encoding="utf-8")
    [no_grade] = cli_home.run((*GROUP, "import", columns))
    assert no_grade.returncode == 2 and "import.missing_columns" in no_grade.stderr


def test_template(cli_home, tmp_path):
    csv, xlsx = tmp_path / "t.csv", tmp_path / "t.xlsx"
    [made_csv, made_xlsx] = cli_home.run((*GROUP, "template", csv), (*GROUP, "template", xlsx))
    assert made_csv.returncode == 0 and made_xlsx.returncode == 0
    assert csv.read_text(encoding="utf-8-sig").splitlines()[0] == HEADER
    sheet = load_workbook(xlsx).active
    assert [cell.value for cell in sheet[1]] == HEADER.split(",")
