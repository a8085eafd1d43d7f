"""``fangkong testing sites ...`` and ``fangkong testing tubes show`` as an operator runs them
(subprocesses against their own SQLite file); bad input exits 2 with one line."""

from __future__ import annotations

import json

from fangkong.testing import barcodes

REGIONS = """code,name,level,parent_code
230104001,靖宇街道,street,230104
230104001001,靖宇社区,community,230104001
230104001001001,靖宇一网格,grid,230104001001
"""
GRID = "230104001001001"


def test_sites_create_list_queue_and_bad_input(cli_home, tmp_path):
    regions = tmp_path / "regions.csv"
    regions.write_text(REGIONS, encoding="utf-8")
    [made] = cli_home.run(("regions", "import", regions))
    assert made.returncode == 0, made.stderr
    create = ("testing", "sites", "create", "--name", "靖宇采样点", "--region", GRID,
              "--opens", "07:00", "--capacity", "60")  # fmt: skip
    [created] = cli_home.run(create)
    assert created.returncode == 0, created.stderr
    site_id = created.stdout.strip()
    [queued] = cli_home.run(
        ("testing", "sites", "queue", site_id, "--status", "busy", "--length", "30")
    )
    assert queued.returncode == 0, queued.stderr
    [listed] = cli_home.run(("testing", "sites", "list", "--json"))
    [site] = json.loads(listed.stdout)
    assert (site["name"], site["opens_at"], site["queue_length"]) == ("靖宇采样点", "07:00", 30)
    [lines] = cli_home.run(("testing", "sites", "list", "--region", "230104"))
    assert lines.stdout.startswith(f"{site_id}\t{GRID}\t靖宇采样点\t07:00-20:00\t60/h\tbusy 30")

    [twice] = cli_home.run(create)
    assert twice.returncode == 2 and twice.stderr.startswith("error: testing.site_duplicate_name")
    [hours] = cli_home.run(
        ("testing", "sites", "create", "--name", "x", "--region", GRID, "--opens", "7")
    )
    assert hours.returncode == 2 and hours.stderr.startswith("error: opens_at")
    [region] = cli_home.run(("testing", "sites", "list", "--region", "x"))
    assert region.returncode == 2 and len(region.stderr.strip().splitlines()) == 1


def test_tubes_show_refuses_bad_and_unknown_barcodes(cli_home):
    [bad] = cli_home.run(("testing", "tubes", "show", "12345678"))
    assert bad.returncode == 2 and bad.stderr.startswith("error: testing.bad_barcode")
    unknown = barcodes.with_check_digit("99900000001")
    [missing] = cli_home.run(("testing", "tubes", "show", unknown))
    assert missing.returncode == 2 and missing.stderr.startswith("error: testing.tube_not_found")


def test_tubes_show_prints_members_masked(session, settings, world, monkeypatch):
    """In process, on the test database: the tube's line and its members, masked."""
    from contextlib import contextmanager

    from typer.testing import CliRunner

    from fangkong.core import console
    from fangkong.testing.sampling.cli import app
    from testing.world import make_resident, make_site, make_tube

    person = make_resident(session, settings)
    tube = make_tube(session, [person], site=make_site(session))

    @contextmanager
    def same_session():
        yield session

    monkeypatch.setattr(console, "unit_of_work", same_session)
    shown = CliRunner().invoke(app, ["tubes", "show", tube.barcode])
    assert shown.exit_code == 0, shown.output
    assert shown.output.startswith(f"{tube.barcode}\tpooled 1/10\tsealed")
    assert "王*明" in shown.output and person.id_number_masked in shown.output
    as_json = json.loads(CliRunner().invoke(app, ["tubes", "show", tube.barcode, "--json"]).output)
    assert as_json["members"][0]["name"] == "王*明"
