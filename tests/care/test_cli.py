"""``fangkong care volunteers import | template`` and ``fangkong care overdue`` as an operator
runs them; bad input exits 2 with one line."""

from __future__ import annotations

import json

from factories import resident_id

REGIONS = """code,name,level,parent_code
230104001,靖宇街道,street,230104
230104001001,靖宇社区,community,230104001
230104001001001,靖宇一网格,grid,230104001001
"""
GRID = "230104001001001"


def test_volunteer_import_with_rejections_and_overdue(cli_home, tmp_path):
    regions = tmp_path / "regions.csv"
    regions.write_text(REGIONS, encoding="utf-8")
    numbers = [resident_id(n, region="230104") for n in (31, 32)]
    people = tmp_path / "people.csv"
    people.write_text(
        "姓名,证件号码,网格编码\n" + "".join(f"志愿{n},{n},{GRID}\n" for n in numbers),
        encoding="utf-8",
    )
    made = cli_home.run(("regions", "import", regions))
    assert made[0].returncode == 0, made[0].stderr
    [imported] = cli_home.run(("people", "import", people))
    assert imported.returncode == 0, imported.stderr
    volunteers = tmp_path / "volunteers.csv"
    volunteers.write_text(
        "身份证号,技能,服务区域\n"
        f"{numbers[0]},物资配送、心理辅导,230104001001\n"
        f"{numbers[1]},开车,230104001001\n"
        f"{resident_id(33, region='230104')},法律援助,230104001001\n"
        f"{numbers[1]},法律援助,230104009\n"
        f"{numbers[0]},法律援助,230104001001\n",
        encoding="utf-8",
    )
    [dry] = cli_home.run(("care", "volunteers", "import", volunteers, "--dry-run"))
    assert dry.returncode == 0, dry.stderr
    assert dry.stdout.strip() == "inserted 1, updated 0, unchanged 0, rejected 4 (dry run)"
    codes = [line.split(": ")[1] for line in dry.stderr.strip().splitlines()]
    assert codes == ["care.unknown_skill", "care.unknown_person", "care.unknown_region",
                     "care.duplicate_row"]  # fmt: skip
    [first] = cli_home.run(("care", "volunteers", "import", volunteers, "--json"))
    assert json.loads(first.stdout)["inserted"] == 1
    [again] = cli_home.run(("care", "volunteers", "import", volunteers))
    assert again.stdout.strip() == "inserted 0, updated 0, unchanged 1, rejected 4"
    [overdue] = cli_home.run(("care", "overdue", "--json"))
    assert overdue.returncode == 0 and json.loads(overdue.stdout) == []


def test_bad_input_exits_2_with_one_line(cli_home, tmp_path):
    unknown = tmp_path / "unknown.csv"
    unknown.write_text("姓名,技能\n某,法律援助\n", encoding="utf-8")
    missing, columns, region = cli_home.run(
        ("care", "volunteers", "import", tmp_path / "missing.csv"),
        ("care", "volunteers", "import", unknown),
        ("care", "overdue", "--region", "abc"),
    )
    for result in (missing, columns, region):
        assert result.returncode == 2, result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
    assert "import.unknown_columns" in columns.stderr or "import.missing_columns" in columns.stderr
