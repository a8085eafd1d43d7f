"""``fangkong supervision import-communities | import-video-points | report | lists | overdue``
as an operator runs them; bad input exits 2 with one line."""

from __future__ import annotations

import json

from fangkong.core import clock

REGIONS = """code,name,level,parent_code
230104001,靖宇街道,street,230104
230104001001,靖宇社区,community,230104001
"""


def test_import_report_and_bad_input(cli_home, tmp_path):
    regions = tmp_path / "regions.csv"
    regions.write_text(REGIONS, encoding="utf-8")
    [made] = cli_home.run(("regions", "import", regions))
    assert made.returncode == 0, made.stderr
    communities = tmp_path / "communities.csv"
    communities.write_text(
        "名称,区划代码,地址\n靖宇小区,230104001001,靖宇街2号\n街道小区,230104001,\n",
        encoding="utf-8",
    )
    [imported] = cli_home.run(("supervision", "import-communities", communities, "--json"))
    assert imported.returncode == 0, imported.stderr
    report = json.loads(imported.stdout)
    assert report["inserted"] == 1
    assert [r["code"] for r in report["rejected"]] == ["supervision.region_not_community"]
    points = tmp_path / "points.csv"
    points.write_text("名称,小区编号,状态\n东门,1,在线\n西门,1,坏了\n", encoding="utf-8")
    [video] = cli_home.run(("supervision", "import-video-points", points))
    assert video.returncode == 0, video.stderr
    assert "inserted 1, unchanged 0, rejected 1" in video.stdout
    assert "row 3: supervision.invalid_status" in video.stderr
    today = clock.local_today().isoformat()
    [text, as_json, lists, overdue] = cli_home.run(
        ("supervision", "report", "--start", today, "--end", today),
        ("supervision", "report", "--start", today, "--end", today, "--json"),
        ("supervision", "lists", "--start", today, "--end", today, "--json"),
        ("supervision", "overdue", "--json"),
    )
    assert json.loads(lists.stdout) == {"start": today, "end": today, "red": [], "black": []}
    assert json.loads(overdue.stdout) == []
    assert text.returncode == 0, text.stderr
    assert "共开展督导检查0次" in text.stdout
    assert json.loads(as_json.stdout)["communities"] == 0
    [backwards, missing] = cli_home.run(
        ("supervision", "report", "--start", today, "--end", "2000-01-01"),
        ("supervision", "import-communities", tmp_path / "nothing.csv"),
    )
    assert backwards.returncode == 2
    assert backwards.stderr.strip().startswith("error: supervision.invalid_period")
    assert len(backwards.stderr.strip().splitlines()) == 1
    assert missing.returncode == 2 and "no such file" in missing.stderr
