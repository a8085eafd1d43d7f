"""``fangkong people import | template | recount | rotate-key`` as an operator runs them: the real
command in a subprocess against its own SQLite file (see ``cli_support``).

Each test has its own database, copied from one into which the grids were imported once, so
the tests run in any order and on any worker.
"""

from __future__ import annotations

import csv
import io
import json
import random
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from cli_support import CliHome, Input
from fangkong.config import decode_key
from fangkong.core import security
from fangkong.models import AuditLog, Person
from fangkong.people import idcard
from fangkong.people.import_columns import COLUMN_HEADERS
from fangkong.people.protect import Protector

GRID = "230104001001001"
REGIONS = """code,name,level,parent_code
230104001,靖宇街道,street,230104
230104001001,靖宇社区,community,230104001
230104001001001,靖宇一网格,grid,230104001001
"""
SUMMARY = re.compile(
    r"^inserted (\d+), updated (\d+), unchanged (\d+), rejected (\d+), "
    r"flagged (\d+) likely duplicates in [0-9.]+ s( \(dry run\))?$"
)


def resident_id(seed: int) -> str:
    born = date(1960, 1, 1) + timedelta(days=seed)
    return idcard.synthesize(random.Random(seed), region_code="230104", birth_date=born, sex="1")


def people_csv(rows: list[dict[str, str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMN_HEADERS.values())
    for row in rows:
        writer.writerow([row.get(name, "") for name in COLUMN_HEADERS])
    return buffer.getvalue()


def person_row(seed: int, **values: str) -> dict[str, str]:
    base = {"name": f"居民{seed}", "id_number": resident_id(seed), "grid_code": GRID}
    return base | {"phone": f"137{seed:08d}"} | values


GOOD_ROWS = [
    person_row(1, household_ref="J1", is_head="是"),
    person_row(2, household_ref="J1"),
    person_row(3, phone="123"),  # line 4: refused
]


def summary(stdout: str) -> tuple[int, ...]:
    match = SUMMARY.match(stdout.strip())
    assert match, stdout
    return tuple(int(n) for n in match.groups()[:5])


@pytest.fixture(scope="module")
def grids_database(tmp_path_factory: pytest.TempPathFactory, cli_template: Path) -> Path:
    """The migrated template with this module's street, community and grid imported."""
    home = CliHome(tmp_path_factory.mktemp("people-cli-grids"))
    home.copy_database(cli_template)
    regions = home.home / "regions.csv"
    regions.write_text(REGIONS, encoding="utf-8")
    [grids] = home.run(("regions", "import", regions))
    assert grids.returncode == 0, grids.stderr
    return home.home / "cli.db"


@pytest.fixture
def cli_home(tmp_path_factory: pytest.TempPathFactory, grids_database: Path) -> CliHome:
    """A home of this test alone, its database a copy of ``grids_database``."""
    home = CliHome(tmp_path_factory.mktemp("people-cli"))
    home.copy_database(grids_database)
    return home


def people_count(cli_home) -> int:
    return cli_home.one(select(func.count()).select_from(Person))[0]


def test_import_reports_rows_and_refuses_bad_files(cli_home, tmp_path):
    good = tmp_path / "people.csv"
    good.write_text(people_csv(GOOD_ROWS), encoding="utf-8-sig")
    refused = tmp_path / "refused.csv"
    refused.write_text(people_csv(GOOD_ROWS).replace("姓名", "名字"), encoding="utf-8")
    many = tmp_path / "many.csv"
    many.write_text(people_csv([person_row(100 + n, phone="1") for n in range(60)]))

    dry, unknown, missing, long_list = cli_home.run(
        ("people", "import", good, "--dry-run"),
        ("people", "import", refused),
        ("people", "import", tmp_path / "nope.csv"),
        ("people", "import", many, "--dry-run"),
    )
    assert dry.returncode == 0, dry.stderr
    assert summary(dry.stdout) == (2, 0, 0, 1, 0) and dry.stdout.strip().endswith("(dry run)")
    assert dry.stderr.startswith("row 4: person.invalid_phone: ")
    assert len(dry.stderr.strip().splitlines()) == 1
    assert people_count(cli_home) == 0

    assert unknown.returncode == 2
    [line] = unknown.stderr.strip().splitlines()
    assert line.startswith("error: import.unknown_columns: ") and line.endswith("(名字)")
    assert missing.returncode == 2
    assert missing.stderr.strip() == f"error: {tmp_path / 'nope.csv'}: no such file"

    assert long_list.returncode == 0
    lines = long_list.stderr.strip().splitlines()
    assert len(lines) == 51 and lines[0].startswith("row 2: person.invalid_phone")
    assert lines[-1] == "... and 10 more rejected rows (--json lists them all)"
    assert summary(long_list.stdout) == (0, 0, 0, 60, 0)


def test_import_json_reimport_and_stdin(cli_home, tmp_path):
    good = tmp_path / "people.csv"
    good.write_text(people_csv(GOOD_ROWS), encoding="utf-8-sig")

    [done] = cli_home.run(("people", "import", good, "--json"))
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert (report["inserted"], report["updated"], report["unchanged"]) == (2, 0, 0)
    assert [(r["row"], r["code"]) for r in report["rejected"]] == [(4, "person.invalid_phone")]
    assert report["dry_run"] is False
    assert people_count(cli_home) == 2
    key = Protector(decode_key(cli_home.data_key))
    stored = cli_home.one(select(Person.id_number_enc).order_by(Person.id))
    assert key.open_id(stored[0]) == GOOD_ROWS[0]["id_number"]
    audit = cli_home.one(select(AuditLog.after).where(AuditLog.action == "person.import"))
    assert audit[0]["inserted"] == 2

    again, from_stdin = cli_home.run(
        ("people", "import", good),
        Input(("people", "import", "-"), people_csv([person_row(4)])),
    )
    assert summary(again.stdout) == (0, 0, 2, 1, 0)
    assert from_stdin.returncode == 0, from_stdin.stderr
    assert summary(from_stdin.stdout) == (1, 0, 0, 0, 0)


def test_template_and_recount(cli_home, tmp_path):
    output = tmp_path / "template.xlsx"
    csv_template, xlsx_template, recount = cli_home.run(
        ("people", "template"),
        ("people", "template", "--format", "xlsx", "--output", output),
        ("people", "recount"),
    )
    assert csv_template.returncode == 0
    header, example = list(csv.reader(io.StringIO(csv_template.stdout)))[:2]
    assert header[0] == "\ufeff姓名" and header[1:] == list(COLUMN_HEADERS.values())[1:]
    assert idcard.is_valid(example[2], today=date(2024, 1, 1))
    assert xlsx_template.returncode == 0
    assert load_workbook(output).sheetnames == ["人员", "说明"]
    assert recount.returncode == 0
    assert re.fullmatch(r"recounted \d+ grids", recount.stdout.strip())


def test_rotate_key_refuses_a_bad_key_then_rotates(cli_home):
    [imported] = cli_home.run(Input(("people", "import", "-"),
                                    people_csv([*GOOD_ROWS[:2], person_row(4)])))  # fmt: skip
    assert summary(imported.stdout) == (3, 0, 0, 0, 0)
    new_key = security.new_key()
    bad, no_stdin = cli_home.run(
        Input(("people", "rotate-key", "--new-key-stdin"), "not-a-key\n"),
        ("people", "rotate-key"),
    )
    assert bad.returncode == 2
    assert bad.stderr.strip().startswith("error: the new key is not valid: ")
    assert no_stdin.returncode == 2

    [rotated] = cli_home.run(Input(("people", "rotate-key", "--new-key-stdin"), new_key + "\n"))
    assert rotated.returncode == 0, rotated.stderr
    assert rotated.stdout.startswith("re-encrypted 3 people")
    assert "FANGKONG_DATA_KEY" in rotated.stdout

    new, old = Protector(decode_key(new_key)), Protector(decode_key(cli_home.data_key))
    stored = cli_home.one(select(Person.id_number_enc, Person.id_number_hash).order_by(Person.id))
    assert new.open_id(stored[0]) == GOOD_ROWS[0]["id_number"]
    assert stored[1] == new.id_hash("resident_id", GOOD_ROWS[0]["id_number"])
    assert stored[1] != old.id_hash("resident_id", GOOD_ROWS[0]["id_number"])


def test_help_lists_the_commands(cli_home):
    [help_text] = cli_home.run(("people", "--help"))
    for command in ("import", "template", "rotate-key", "recount"):
        assert command in help_text.stdout
