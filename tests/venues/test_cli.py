"""``fangkong venues import | list | poster | template`` as an operator runs them (subprocesses
against their own SQLite file, see ``cli_support``); bad input exits 2 with one line."""

from __future__ import annotations

import json

from venues.test_placecode import decode_png

REGIONS = """code,name,level,parent_code
230104001,靖宇街道,street,230104
230104001001,靖宇社区,community,230104001
230104001001001,靖宇一网格,grid,230104001001
"""
GRID = "230104001001001"
VENUES = f"""名称,类型,区划代码,地址
靖宇超市,超市,{GRID},靖宇街1号
靖宇车站,station_airport,230104001,
太空站,spaceport,{GRID},
"""


def test_import_list_poster_and_bad_input(cli_home, tmp_path):
    regions = tmp_path / "regions.csv"
    regions.write_text(REGIONS, encoding="utf-8")
    [made] = cli_home.run(("regions", "import", regions))
    assert made.returncode == 0, made.stderr
    venues = tmp_path / "venues.csv"
    venues.write_text(VENUES, encoding="utf-8")

    [dry] = cli_home.run(("venues", "import", venues, "--dry-run"))
    assert dry.returncode == 0, dry.stderr
    assert dry.stdout.strip() == "inserted 2, updated 0, unchanged 0, rejected 1 (dry run)"
    assert dry.stderr.startswith("row 4: venue.invalid_type: ")
    [first] = cli_home.run(("venues", "import", venues, "--json"))
    assert json.loads(first.stdout)["inserted"] == 2
    [again] = cli_home.run(("venues", "import", venues))
    assert again.stdout.strip() == "inserted 0, updated 0, unchanged 2, rejected 1"

    [listed] = cli_home.run(("venues", "list", "--json"))
    rows = json.loads(listed.stdout)
    assert [r["name"] for r in rows] == ["靖宇超市", "靖宇车站"]
    venue_id = rows[0]["id"]

    png, svg = tmp_path / "code.png", tmp_path / "poster.svg"
    made_png, made_svg = cli_home.run(
        ("venues", "poster", str(venue_id), "--out", png),
        ("venues", "poster", str(venue_id), "--out", svg),
    )
    assert made_png.returncode == 0 and made_svg.returncode == 0, made_png.stderr
    assert decode_png(png.read_bytes()) == rows[0]["place_code_url"]
    poster = svg.read_text(encoding="utf-8")
    assert "靖宇超市" in poster and "请使用手机扫码登记" in poster


def test_bad_input_exits_2_with_one_line(cli_home, tmp_path):
    unknown = tmp_path / "unknown.csv"
    unknown.write_text("名字,类型\n店,超市\n", encoding="utf-8")
    results = cli_home.run(
        ("venues", "import", tmp_path / "missing.csv"),
        ("venues", "import", unknown),
        ("venues", "poster", "999999", "--out", tmp_path / "x.svg"),
        ("venues", "poster", "1", "--out", tmp_path / "x.pdf"),
        ("venues", "list", "--region", "abc"),
    )
    codes = [
        "no such file",
        "import.unknown_columns",
        "venue.not_found",
        ".svg or .png",
        "--region",
    ]
    for result, expected in zip(results, codes, strict=True):
        assert result.returncode == 2, (result.args, result.stderr)
        assert expected in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
