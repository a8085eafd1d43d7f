"""Region imports: the API report, CSV and XLSX, Chinese headers, dry runs, and the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.orm import Session

from factories import auth_headers, make_region, make_tree, make_user
from fangkong.auth.service import principal_of
from fangkong.core.tabular import MissingColumns, UnreadableFile, read_file
from fangkong.models import AuditLog, Region
from fangkong.regions import service

URL = "/api/v1/regions/import"
HEADER = "code,name,level,parent_code"
LONG_NAME = "长" * 65

# Line numbers count the header as line 1; the blank line 16 is skipped without a report.
MIXED = f"""{HEADER}
230102002,新街道,street,230102
230102002001,新社区,community,230102002
230102002001001,新网格,grid,230102002001
230102001,区划001,street,230102
230102001002,改名社区,community,230102001
230102003,坏级别,district,230102
2301020031,坏长度,street,230102
230102004001,错上级,community,230102005
230102006001,无上级,community,230102006
230103009,外区,street,230103
230102002,新街道,street,230102
230102007,,street,230102
230102001002003,区划003,street,230102001002
230102008,{LONG_NAME},street,230102

230102009001,孤儿社区,community,230102009
"""
MIXED_REJECTED = [
    (7, "region.invalid_level"),
    (8, "region.bad_code"),
    (9, "region.wrong_parent"),
    (10, "region.unknown_parent"),
    (11, "region.outside_jurisdiction"),
    (12, "region.duplicate_in_file"),
    (13, "region.invalid_name"),
    (14, "region.bad_code"),  # an existing grid's code declared as a street
    (15, "region.invalid_name"),
    (17, "region.unknown_parent"),
]
MESSAGES = {
    "zh_CN": {
        "region.outside_jurisdiction": "该区划不在您的辖区内。",
        "region.duplicate_in_file": "该代码在文件中重复出现。",
        "region.invalid_level": "级别必须是街道、社区或网格。",
    },
    "en": {
        "region.outside_jurisdiction": "The region lies outside your jurisdiction.",
        "region.duplicate_in_file": "The code appears more than once in the file.",
        "region.invalid_level": "The level must be street, community or grid.",
    },
}


def upload(client, headers, content: str | bytes, **params: str):
    data = content.encode() if isinstance(content, str) else content
    files = {"file": ("regions.csv", data, "text/csv")}
    return client.post(URL, files=files, params=params, headers=headers)


def district_officer(session: Session, settings, region: str = "230102") -> dict[str, str]:
    user = make_user(session, role="district_officer", region_code=region)
    session.commit()
    return auth_headers(settings, user)


def region_names(session: Session, prefix: str = "2301") -> dict[str, str]:
    session.expire_all()
    rows = session.execute(select(Region.code, Region.name).where(Region.code.startswith(prefix)))
    return {code: name for code, name in rows}


def audit_count(session: Session, action: str) -> int:
    statement = select(func.count()).where(AuditLog.action == action)
    return session.scalar(statement) or 0


def test_mixed_file_reports_every_row(app_client, session, settings):
    make_tree(session, "230102")
    make_tree(session, "230103")
    headers = district_officer(session, settings)
    before = region_names(session)

    response = upload(app_client, headers, MIXED)
    assert response.status_code == 200, response.text
    report = response.json()
    assert (report["created"], report["updated"], report["unchanged"]) == (3, 1, 1)
    assert [(r["row"], r["code"]) for r in report["rejected"]] == MIXED_REJECTED
    for rejected in report["rejected"]:
        expected = MESSAGES["zh_CN"].get(rejected["code"])
        if expected:
            assert rejected["message"] == expected

    after = region_names(session)
    added = {code: name for code, name in after.items() if code not in before}
    assert added == {
        "230102002": "新街道",
        "230102002001": "新社区",  # its parent came earlier in the same file
        "230102002001001": "新网格",
    }
    assert after["230102001002"] == "改名社区"
    assert {c: n for c, n in after.items() if c in before and c != "230102001002"} == {
        c: n for c, n in before.items() if c != "230102001002"
    }
    assert audit_count(session, "region.create") == 3
    assert audit_count(session, "region.rename") == 1


def test_messages_follow_the_request_language(app_client, session, settings):
    make_tree(session, "230102")
    headers = district_officer(session, settings)
    report = upload(app_client, headers, MIXED, lang="en", dry_run="true").json()
    by_code = {r["code"]: r["message"] for r in report["rejected"]}
    for code, message in MESSAGES["en"].items():
        assert by_code[code] == message


def test_reimporting_the_same_file_changes_nothing(app_client, session, settings):
    make_tree(session, "230102")
    headers = district_officer(session, settings)
    first = upload(app_client, headers, MIXED).json()
    names = region_names(session)
    audits = session.scalar(select(func.count()).select_from(AuditLog))

    again = upload(app_client, headers, MIXED).json()
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 5)
    assert [(r["row"], r["code"]) for r in again["rejected"]] == [
        (r["row"], r["code"]) for r in first["rejected"]
    ]
    assert region_names(session) == names
    assert session.scalar(select(func.count()).select_from(AuditLog)) == audits


def test_a_renamed_row_counts_as_updated(app_client, session, settings):
    make_region(session, "230102001", name="旧街道")
    headers = district_officer(session, settings)
    report = upload(app_client, headers, f"{HEADER}\n230102001,新街道,street,230102\n").json()
    assert report == {"created": 0, "updated": 1, "unchanged": 0, "rejected": []}
    assert region_names(session, "230102001") == {"230102001": "新街道"}
    [entry] = session.scalars(select(AuditLog).where(AuditLog.action == "region.rename"))
    assert entry.before == {"name": "旧街道", "name_en": None}
    assert entry.after == {"name": "新街道", "name_en": None}


def test_dry_run_reports_but_writes_nothing(app_client, session, settings):
    make_tree(session, "230102")
    headers = district_officer(session, settings)
    names = region_names(session)
    audits = session.scalar(select(func.count()).select_from(AuditLog))

    report = upload(app_client, headers, MIXED, dry_run="true").json()
    assert (report["created"], report["updated"], report["unchanged"]) == (3, 1, 1)
    assert len(report["rejected"]) == len(MIXED_REJECTED)
    assert region_names(session) == names
    assert session.scalar(select(func.count()).select_from(AuditLog)) == audits


def test_chinese_headers_and_level_names(app_client, session, settings):
    headers = district_officer(session, settings)
    content = (
        "代码,名称,级别,上级代码\n"
        "230102011,尚志街道,街道,230102\n"
        "230102011001,红星社区,社区,230102011\n"
    )
    report = upload(app_client, headers, content).json()
    assert report == {"created": 2, "updated": 0, "unchanged": 0, "rejected": []}
    assert region_names(session, "230102011") == {
        "230102011": "尚志街道",
        "230102011001": "红星社区",
    }
    assert session.get(Region, "230102011001").level.value == "community"


def test_utf8_bom_and_header_case_are_accepted(app_client, session, settings):
    headers = district_officer(session, settings)
    content = "\ufeffCode, Name ,LEVEL,Parent_Code\n230102012,安静街道,Street,230102\n".encode()
    report = upload(app_client, headers, content).json()
    assert report["created"] == 1 and report["rejected"] == []


@pytest.mark.parametrize(
    ("content", "code"),
    [
        pytest.param(
            "代码,名称,级别,上级代码\n230102011,尚志街道,街道,230102\n".encode("gbk"),
            "import.unreadable_file",
            id="gbk",
        ),
        pytest.param(b"", "import.unreadable_file", id="empty"),
        pytest.param(b"code,name\n230102011,x\n", "import.missing_columns", id="missing-columns"),
    ],
)
def test_unreadable_files_are_422_and_write_nothing(app_client, session, settings, content, code):
    headers = district_officer(session, settings)
    names = region_names(session)
    response = upload(app_client, headers, content)
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["code"] == code
    assert region_names(session) == names


def test_missing_columns_names_them(app_client, session, settings):
    headers = district_officer(session, settings)
    problem = upload(app_client, headers, b"code,name\n230102011,x\n", lang="en").json()
    assert problem["title"] == "The file lacks required columns."
    assert problem["detail"] == "level, parent_code"


def test_a_file_is_required(app_client, session, settings):
    headers = district_officer(session, settings)
    response = app_client.post(URL, headers=headers)
    assert response.status_code == 422
    assert response.json()["code"] == "request.invalid"


# --- the service with an XLSX file ------------------------------------------------------


def write_xlsx(path: Path, rows: list[list[object]]) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def test_service_imports_an_xlsx_file(session, tmp_path):
    make_region(session, "230102001", name="区划001")
    actor = principal_of(make_user(session, role="district_officer", region_code="230102"))
    path = write_xlsx(
        tmp_path / "regions.xlsx",
        [
            ["代码", "名称", "级别", "上级代码"],
            [230102013, "工农街道", "街道", 230102],  # codes typed as numbers, as offices do
            ["230102013001", "工农社区", "社区", "230102013"],
            [None, None, None, None],
            ["230102001", "区划001", "street", "230102"],
            ["230103001", "南岗街道", "street", "230103"],
            ["230102014", "  ", "street", "230102"],
        ],
    )
    rows = read_file(path, service.IMPORT_COLUMNS, {"code", "name", "level", "parent_code"})
    report = service.import_regions(session, actor=actor, rows=rows)
    assert (report.created, report.updated, report.unchanged) == (2, 0, 1)
    assert [(r.row, r.code) for r in report.rejected] == [
        (6, "region.outside_jurisdiction"),
        (7, "region.invalid_name"),
    ]
    assert session.get(Region, "230102013001").parent_code == "230102013"


def test_read_file_refuses_broken_xlsx_and_missing_columns(tmp_path):
    columns, required = service.IMPORT_COLUMNS, {"code", "name", "level", "parent_code"}
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a zip file")
    with pytest.raises(UnreadableFile):
        list(read_file(broken, columns, required))
    partial = write_xlsx(tmp_path / "partial.xlsx", [["代码", "名称"], ["230102013", "x"]])
    with pytest.raises(MissingColumns):
        list(read_file(partial, columns, required))


# --- the CLI ----------------------------------------------------------------------------


def cli_regions(url: str, prefix: str) -> dict[str, str]:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            statement = text("SELECT code, name FROM regions WHERE code LIKE :p ORDER BY code")
            return {code: name for code, name in connection.execute(statement, {"p": prefix + "%"})}
    finally:
        engine.dispose()


CLI_FILE = f"""{HEADER}
230104001,靖宇街道,street,230104
230104001001,靖宇社区,community,230104001
230104002,,street,230104
"""
ZH_INVALID_NAME = "名称须为 1 到 64 个字符。"


def test_cli_import_summary_dry_run_json_and_missing_file(cli_home, tmp_path):
    url = cli_home.database_url
    path = tmp_path / "regions.csv"
    path.write_text(CLI_FILE, encoding="utf-8")

    dry, missing = cli_home.run(
        ("regions", "import", path, "--dry-run"), ("regions", "import", tmp_path / "nope.csv")
    )
    assert dry.returncode == 0, dry.stderr
    assert dry.stdout.strip() == "created 2, renamed 0, unchanged 0, rejected 1 (dry run)"
    assert dry.stderr.strip() == f"row 4: region.invalid_name: {ZH_INVALID_NAME}"
    assert cli_regions(url, "230104") == {"230104": "道外区"}
    assert missing.returncode == 2
    assert missing.stderr.strip().splitlines() == [f"error: {tmp_path / 'nope.csv'}: no such file"]

    [done] = cli_home.run(("regions", "import", path, "--json"))
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {
        "created": 2,
        "updated": 0,
        "unchanged": 0,
        "rejected": [{"row": 4, "code": "region.invalid_name", "message": ZH_INVALID_NAME}],
    }
    assert cli_regions(url, "230104") == {
        "230104": "道外区",
        "230104001": "靖宇街道",
        "230104001001": "靖宇社区",
    }


def test_xlsx_upload_over_the_api(app_client, session, settings, tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["代码", "名称", "级别", "上级代码"])
    sheet.append(["230102001", "兆麟街道", "街道", "230102"])
    sheet.append(["230102001001", "兆麟社区", "社区", "230102001"])
    sheet.append(["23010200100", "坏代码", "网格", "230102001"])
    path = tmp_path / "regions.xlsx"
    workbook.save(path)
    headers = district_officer(session, settings)
    files = {"file": ("regions.xlsx", path.read_bytes(), "application/vnd.ms-excel")}
    report = app_client.post(URL, headers=headers, files=files).json()
    assert report["created"] == 2
    assert [(r["row"], r["code"]) for r in report["rejected"]] == [(4, "region.bad_code")]
    assert region_names(session)["230102001001"] == "兆麟社区"


def test_broken_xlsx_upload_is_unreadable(app_client, session, settings):
    headers = district_officer(session, settings)
    files = {
        "file": ("regions.xlsx", b"PK\x03\x04 not really a workbook", "application/octet-stream")
    }
    response = app_client.post(URL, headers=headers, files=files)
    assert response.status_code == 422 and response.json()["code"] == "import.unreadable_file"
