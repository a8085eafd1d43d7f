"""``fangkong testing labs create | list`` and ``fangkong testing results upload | template``
as an operator runs them (subprocesses on their own SQLite file); bad input exits 2."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from datetime import UTC, datetime, timedelta

from fangkong.testing import barcodes

REGIONS = "code,name,level,parent_code\n230102001,测试街道,street,230102\n"


def _sealed_tube(home, barcode: str) -> None:
    sampled = (datetime.now(UTC) - timedelta(hours=3)).replace(tzinfo=None).isoformat(" ")
    with closing(sqlite3.connect(home.home / "cli.db")) as db, db:
        db.execute(
            "INSERT INTO tubes (barcode, kind, capacity, purpose, region_code, status, "
            "member_count, opened_at, sampled_at, sealed_at, conflict) "
            "VALUES (?, 'single', 1, 'screening', '230102001', 'sealed', 0, ?, ?, ?, 0)",
            (barcode, sampled, sampled, sampled),
        )


def test_labs_and_upload(cli_home, tmp_path):
    regions = tmp_path / "regions.csv"
    regions.write_text(REGIONS, encoding="utf-8")
    assert cli_home.run(("regions", "import", regions))[0].returncode == 0
    [made] = cli_home.run(("testing", "labs", "create", "命令行检测中心", "--region", "230102"))
    assert made.returncode == 0, made.stderr
    lab_id = made.stdout.strip()
    [listed] = cli_home.run(("testing", "labs", "list"))
    assert f"{lab_id}\t230102\t命令行检测中心" in listed.stdout
    barcode = barcodes.with_check_digit("12312312312")
    _sealed_tube(cli_home, barcode)
    tested = (datetime.now(UTC) + timedelta(hours=7)).strftime("%Y-%m-%d %H:%M")
    results = tmp_path / "results.csv"
    results.write_text(f"条码,检测结果,ORF1ab Ct值,N Ct值,检测时间\n{barcode},阴性,,,{tested}\n"
                       f"{barcode[:-1]}0,阴性,,,{tested}\n", encoding="utf-8")  # fmt: skip
    [first] = cli_home.run(("testing", "results", "upload", results, "--lab", lab_id, "--json"))
    assert first.returncode == 0, first.stderr
    report = json.loads(first.stdout)
    assert (report["accepted"], report["rejected"]) == (1, 1)
    assert report["rejected_lines"][0]["code"] in {"testing.bad_barcode", "testing.unknown_tube"}
    [again] = cli_home.run(("testing", "results", "upload", results, "--lab", lab_id))
    assert again.returncode == 0, again.stderr
    assert "accepted 0 (negative 0, positive 0), unchanged 1, conflicts 0" in again.stdout


def test_bad_input_exits_2_with_one_line(cli_home, tmp_path):
    results = tmp_path / "r.csv"
    results.write_text("barcode,tested_at\n12345678,2026-01-01 10:00\n", encoding="utf-8")
    [no_lab] = cli_home.run(("testing", "results", "upload", results, "--lab", "999"))
    assert no_lab.returncode == 2
    assert len(no_lab.stderr.strip().splitlines()) == 1
    [missing] = cli_home.run(("testing", "results", "upload", tmp_path / "none.csv", "--lab", "1"))
    assert missing.returncode == 2
    [template] = cli_home.run(("testing", "results", "template"))
    assert (
        template.stdout.splitlines()[0].lstrip("\ufeff")
        == "条码,检测结果,ORF1ab Ct值,N Ct值,检测时间"
    )
