"""The venue import: a reason for every refused row, idempotent re-import, dry run, XLSX, the
template with Chinese headers."""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from fangkong.models import AuditLog
from fangkong.models.venue import Venue
from fangkong.venues import importer
from venues.conftest import API, DAOLI_GRID, NANGANG_GRID

HEADER = ["名称", "类型", "区划代码", "地址"]


def csv_file(rows: list[list[str]], header: list[str] = HEADER) -> dict:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return {"file": ("venues.csv", out.getvalue().encode("utf-8-sig"), "text/csv")}


def upload(client, headers, files, **params):
    return client.post(f"{API}/import", files=files, params=params, headers=headers)


GOOD = [
    ["中央大街超市", "超市", DAOLI_GRID, "中央大街1号"],
    ["哈尔滨站", "station_airport", "230102001", ""],
    ["红星农贸市场", "农贸市场", "230102001002", "红星路8号"],
]


def count(session) -> int:
    return session.scalar(select(func.count()).select_from(Venue))


def test_import_then_reimport_changes_nothing(app_client, session, officers):
    first = upload(app_client, officers["daoli"], csv_file(GOOD))
    assert first.status_code == 200, first.text
    assert first.json() | {"rejected": []} == {
        "inserted": 3, "updated": 0, "unchanged": 0, "rejected": [], "dry_run": False,
    }  # fmt: skip
    audits = session.scalar(select(func.count()).select_from(AuditLog))
    again = upload(app_client, officers["daoli"], csv_file(GOOD)).json()
    assert (again["inserted"], again["updated"], again["unchanged"]) == (0, 0, 3)
    assert count(session) == 3
    assert session.scalar(select(func.count()).select_from(AuditLog)) == audits
    changed = [[*GOOD[0][:3], "中央大街2号"]]
    updated = upload(app_client, officers["daoli"], csv_file(changed)).json()
    assert updated["updated"] == 1
    venue = session.scalars(select(Venue).where(Venue.name == "中央大街超市")).one()
    assert venue.address == "中央大街2号"


def test_every_rejection_has_its_reason(app_client, session, officers):
    rows = [
        ["", "超市", DAOLI_GRID, ""],  # line 2
        ["名" * 101, "超市", DAOLI_GRID, ""],  # line 3
        ["太空站", "spaceport", DAOLI_GRID, ""],  # line 4
        ["南岗店", "超市", NANGANG_GRID, ""],  # line 5
        ["没有的区划", "超市", "230102009009009", ""],  # line 6
        ["乱码区划", "超市", "abc", ""],  # line 7
        ["长地址", "超市", DAOLI_GRID, "址" * 201],  # line 8
        ["重复", "超市", DAOLI_GRID, ""],  # line 9: good
        ["重复", "商店", DAOLI_GRID, ""],  # line 10: same key again
    ]
    report = upload(app_client, officers["daoli"], csv_file(rows)).json()
    reasons = {r["row"]: r["code"] for r in report["rejected"]}
    assert reasons == {
        2: "venue.invalid_name",
        3: "venue.invalid_name",
        4: "venue.invalid_type",
        5: "venue.region_out_of_jurisdiction",
        6: "venue.unknown_region",
        7: "venue.unknown_region",
        8: "venue.invalid_address",
        10: "venue.duplicate_row",
    }
    assert report["inserted"] == 1
    assert all(r["message"] for r in report["rejected"])


def test_rejection_messages_follow_the_language(app_client, officers):
    rows = [["太空站", "spaceport", DAOLI_GRID, ""]]
    headers = officers["daoli"] | {"Accept-Language": "en"}
    [rejected] = upload(app_client, headers, csv_file(rows)).json()["rejected"]
    assert rejected["message"] == "The venue type is not one of the policy edition's venue types."


def test_dry_run_writes_nothing(app_client, session, officers):
    report = upload(app_client, officers["daoli"], csv_file(GOOD), dry_run="true").json()
    assert report["inserted"] == 3 and report["dry_run"] is True
    assert count(session) == 0


def test_bad_files_are_refused_whole(app_client, session, officers):
    headers = officers["daoli"]
    unknown = upload(app_client, headers, csv_file(GOOD, header=[*HEADER, "备注"]))
    assert (unknown.status_code, unknown.json()["code"]) == (422, "import.unknown_columns")
    missing = upload(app_client, headers, csv_file([["店"]], header=["名称"]))
    assert (missing.status_code, missing.json()["code"]) == (422, "import.missing_columns")
    empty = upload(app_client, headers, {"file": ("v.csv", b"", "text/csv")})
    assert (empty.status_code, empty.json()["code"]) == (422, "import.unreadable_file")
    binary = upload(app_client, headers, {"file": ("v.csv", b"\xff\xfe\x00", "text/csv")})
    assert binary.json()["code"] == "import.unreadable_file"
    assert count(session) == 0


def test_xlsx_import(app_client, session, officers):
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in GOOD:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    files = {"file": ("venues.xlsx", out.getvalue(), "application/octet-stream")}
    assert upload(app_client, officers["daoli"], files).json()["inserted"] == 3


def test_template_has_the_chinese_headers_and_imports_cleanly(app_client, officers, session):
    headers = officers["daoli"]
    text = app_client.get(f"{API}/import-template", headers=headers)
    assert text.headers["content-type"].startswith("text/csv")
    assert text.content.decode("utf-8-sig").splitlines()[0] == ",".join(HEADER)
    book = app_client.get(f"{API}/import-template", params={"format": "xlsx"}, headers=headers)
    sheet = load_workbook(io.BytesIO(book.content)).active
    assert [c.value for c in sheet[1]] == HEADER
    files = {"file": ("t.csv", text.content, "text/csv")}
    assert upload(app_client, headers, files).json()["inserted"] == 1


def test_a_file_longer_than_a_chunk_counts_every_row_once(
    app_client, session, officers, monkeypatch
):
    """Rows go in chunks (here of two): a venue new in one chunk and repeated in a later one
    is a duplicate row; one stored before is unchanged or updated; each new venue is audited."""
    monkeypatch.setattr(importer, "CHUNK", 2)
    upload(app_client, officers["daoli"], csv_file(GOOD[:1]))
    rows = [
        [*GOOD[0][:3], "中央大街9号"],  # stored before, address changed
        ["新店甲", "商店", DAOLI_GRID, ""],
        ["新店乙", "商店", DAOLI_GRID, ""],
        ["新店甲", "商店", DAOLI_GRID, ""],  # the second row of 新店甲
        ["新店丙", "火星", DAOLI_GRID, ""],  # an unknown type
    ]
    found = upload(app_client, officers["daoli"], csv_file(rows)).json()
    assert (found["inserted"], found["updated"], found["unchanged"]) == (2, 1, 0)
    assert [(r["row"], r["code"]) for r in found["rejected"]] == [
        (5, "venue.duplicate_row"), (6, "venue.invalid_type"),
    ]  # fmt: skip
    assert count(session) == 3
    created = (
        select(func.count()).select_from(AuditLog).where(AuditLog.action == "venue.import_create")
    )
    assert session.scalar(created) == 3
