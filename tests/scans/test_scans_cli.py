"""``fangkong scans ingest FILE``: counts, a line per refused row, idempotent, exit 2 on a bad file."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select

from cli_support import CliHome
from factories import make_tree
from fangkong.config import Settings
from fangkong.db import Database, make_engine
from fangkong.models.scan import Scan
from scans.world import make_resident, make_venue


def seed(cli_home: CliHome) -> tuple[int, int, str]:
    settings = Settings(database_url=cli_home.database_url, data_key=cli_home.data_key)  # type: ignore[arg-type]
    engine = make_engine(cli_home.database_url)
    try:
        with Database(engine).transaction() as session:
            make_tree(session, "230102")
            venue = make_venue(session, name="命令行超市")
            person, number = make_resident(session, settings, name="命令行")
            return venue.id, person.id, number
    finally:
        engine.dispose()


def test_ingest_file_twice_and_a_bad_file(cli_home: CliHome, tmp_path: Path) -> None:
    venue_id, person_id, number = seed(cli_home)
    at = (datetime.now(UTC) - timedelta(hours=2)).isoformat()
    good = tmp_path / "scans.ndjson"
    lines = [
        json.dumps({"venue_id": venue_id, "id_number": number, "scanned_at": at}),
        json.dumps(
            {"venue_id": venue_id, "person_id": person_id, "scanned_at": at, "temperature": 20}
        ),
        "{oops",
    ]
    good.write_text("\n".join(lines) + "\n", encoding="utf-8")
    bad = tmp_path / "bad.csv"
    bad.write_text("who,where\n1,2\n", encoding="utf-8")

    [first] = cli_home.run(("scans", "ingest", good))
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith("accepted 1, duplicates 0, rejected 2")
    lines = first.stderr.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("line 2: scan.temperature_out_of_range: ")
    assert lines[1].startswith("line 3: scan.bulk_malformed: ")
    again, refused, as_json = cli_home.run(
        ("scans", "ingest", good), ("scans", "ingest", bad), ("scans", "ingest", good, "--json")
    )
    assert again.stdout.startswith("accepted 0, duplicates 1, rejected 2")
    assert refused.returncode == 2
    assert refused.stderr.strip().startswith("error: scan.bulk_columns: ")
    report = json.loads(as_json.stdout)
    assert (report["accepted"], report["duplicates"], report["rejected"]) == (0, 1, 2)
    assert cli_home.one(select(func.count()).select_from(Scan))[0] == 1
