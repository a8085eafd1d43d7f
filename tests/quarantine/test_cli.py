"""``fangkong quarantine sites list|add``, ``rooms add``, ``placements list`` and
``release-due`` as an operator runs them (subprocesses on their own SQLite file); bad input
exits 2 with one line."""

from __future__ import annotations

import json


def test_sites_rooms_placements_and_release_due(cli_home):
    region = "230102"  # the districts come with the migrations
    [added] = cli_home.run(("quarantine", "sites", "add", "命令行隔离酒店", "--region", region))
    assert added.returncode == 0, added.stderr
    site_id = added.stdout.split()[-1]
    [rooms] = cli_home.run(("quarantine", "rooms", "add", site_id, "801-830", "--beds", "2"))
    [again] = cli_home.run(("quarantine", "sites", "list", "--json"))
    assert rooms.returncode == 0 and rooms.stdout.strip() == "30 rooms added", rooms.stderr
    [site] = [s for s in json.loads(again.stdout) if s["id"] == int(site_id)]
    assert site["occupancy"]["beds"] == 60 and site["rooms"] == 30
    [listed, released] = cli_home.run(
        ("quarantine", "placements", "list", "--json"), ("quarantine", "release-due", "--json")
    )
    assert listed.returncode == 0 and json.loads(listed.stdout) == []
    assert released.returncode == 0 and json.loads(released.stdout) == {"released": []}


def test_bad_input_exits_2(cli_home):
    [kind, taken, measure, region] = cli_home.run(
        ("quarantine", "sites", "add", "坏", "--region", "230102", "--kind", "tent"),
        ("quarantine", "rooms", "add", "999999", "801-830"),
        ("quarantine", "placements", "list", "--measure", "jail"),
        ("quarantine", "sites", "add", "坏", "--region", "230199"),
    )
    for result in (kind, taken, measure, region):
        assert result.returncode == 2 and result.stderr.count("\n") == 1, result.stderr
    assert taken.stderr.startswith("error: quarantine.site_not_found")
    assert region.stderr.startswith("error: quarantine.unknown_region")
