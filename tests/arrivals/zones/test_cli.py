"""``fangkong arrivals zones list | review | announce`` as an operator runs them (subprocesses
against their own SQLite file); bad input exits 2 with one line."""

from __future__ import annotations

import json


def test_review_announce_and_list(cli_home):
    [reviewed] = cli_home.run(("arrivals", "zones", "review", "--date", "2022-11-20"))
    assert reviewed.returncode == 0, reviewed.stderr
    result = json.loads(reviewed.stdout)
    assert result["date"] == "2022-11-20" and result["reviewed"] == 0
    [zh, en] = cli_home.run(
        ("arrivals", "zones", "announce", "--date", "2022-11-20"),
        ("arrivals", "zones", "announce", "--date", "2022-11-20", "--lang", "en"),
    )
    assert (
        zh.stdout.strip()
        == "11月20日6时至21日6时，解除封控区0处，尚有封控区0处；解除管控区0处，尚有管控区0处。"
    )
    assert en.stdout.startswith("From 06:00 on 20 November to 06:00 on 21 November:")
    [listed] = cli_home.run(("arrivals", "zones", "list", "--json"))
    assert listed.returncode == 0 and json.loads(listed.stdout) == []


def test_bad_input_exits_2(cli_home):
    [date, far, kind, lang] = cli_home.run(
        ("arrivals", "zones", "review", "--date", "2022-13-01"),
        ("arrivals", "zones", "announce", "--date", "9999-12-31"),
        ("arrivals", "zones", "list", "--kind", "red"),
        ("arrivals", "zones", "announce", "--lang", "fr"),
    )
    assert date.returncode == 2 and date.stderr.startswith("error: zone.bad_date")
    assert far.returncode == 2 and far.stderr.startswith("error: zone.bad_date")
    assert kind.returncode == 2 and kind.stderr.count("\n") == 1
    assert lang.returncode == 2
