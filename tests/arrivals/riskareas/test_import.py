"""Importing the national list: CSV, XLSX and JSON; a snapshot closes absent places; a grade
change closes and opens; re-importing changes nothing; every refused row with its reason and
nothing written; an audit row and one RiskAreasChanged per import."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from arrivals.riskareas.helpers import API, BEIJING, HEADER, SHANGHAI, csv_of, json_of, line, upload
from fangkong.arrivals.events import RiskAreasChanged
from fangkong.core import events
from fangkong.core.principal import SYSTEM
from fangkong.models import AuditLog
from fangkong.models.arrivals import RiskArea
from fangkong.policy import service as policy

MARCH_1 = "2022-03-01"
MARCH_5 = "2022-03-05"
UTC_MARCH_1 = datetime(2022, 2, 28, 16, 0, tzinfo=UTC)  # 2022-03-01 00:00 Asia/Shanghai
UTC_MARCH_5 = datetime(2022, 3, 4, 16, 0, tzinfo=UTC)


@pytest.fixture
def heard():
    found: list[RiskAreasChanged] = []

    def handler(session, event):
        found.append(event)

    events.subscribe(RiskAreasChanged)(handler)
    yield found
    events.unsubscribe(RiskAreasChanged, handler)


def _rows(session):
    session.expire_all()
    return session.scalars(select(RiskArea).order_by(RiskArea.id)).all()


def test_csv_snapshot_opens_rows(app_client, session, staff, heard):
    data = csv_of(line(BEIJING, "建外街道某小区", "高"), line(SHANGHAI, "", "低"))
    response = upload(app_client, staff["admin"], data, as_of=MARCH_1)
    assert response.status_code == 200, response.text
    report = response.json()
    assert (report["rows"], report["opened"], report["rejected"]) == (2, 2, 0)
    high, low = _rows(session)
    assert (high.county_code, high.grade, high.area_key) == ("110105", "high", "建外街道某小区")
    assert (low.county_code, low.area, low.grade) == ("310115", "", "low")
    assert high.effective_from == UTC_MARCH_1 and high.effective_to is None
    assert high.batch_ref == report["batch_ref"] and high.source == "import"
    [event] = heard
    assert event.county_codes == ("110105", "310115") and event.start == UTC_MARCH_1
    audit = session.scalars(select(AuditLog).where(AuditLog.action == "risk_area.import")).one()
    assert audit.after["opened"] == 2


def test_xlsx_import(app_client, session, staff):
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER.split(","))
    sheet.append(["北京", "北京", "朝阳", "望京街道", "中", datetime(2022, 3, 2, 8, 0), None])
    buffer = io.BytesIO()
    book.save(buffer)
    response = upload(app_client, staff["admin"], buffer.getvalue(), name="list.xlsx",
                      mode="changes", as_of=MARCH_1)  # fmt: skip
    assert response.status_code == 200, response.text
    [row] = _rows(session)
    assert (row.county_code, row.grade, row.area) == ("110105", "medium", "望京街道")
    assert row.effective_from == datetime(2022, 3, 2, 0, 0, tzinfo=UTC)  # 08:00 +08:00


def test_json_file_and_json_body(app_client, session, staff):
    data = json_of(line(BEIJING, "A小区", "high"))
    first = upload(app_client, staff["admin"], data, name="list.json", as_of=MARCH_1)
    assert first.status_code == 200 and first.json()["opened"] == 1, first.text
    body = {
        "mode": "changes",
        "as_of": MARCH_5,
        "rows": [{"province": "上海", "city": "上海", "district": "浦东新区", "grade": "高"}],
    }
    second = app_client.post(f"{API}/import", json=body, headers=staff["admin"])
    assert second.status_code == 200 and second.json()["opened"] == 1, second.text
    assert [(r.county_code, r.effective_to) for r in _rows(session)] == [
        ("110105", None),
        ("310115", None),
    ]  # changes: the Beijing row stays


def test_snapshot_closes_absent_places_and_grade_change_keeps_history(app_client, session, staff):
    march_1 = csv_of(line(BEIJING, "A小区", "高"), line(BEIJING, "B小区", "高"))
    assert upload(app_client, staff["admin"], march_1, as_of=MARCH_1).status_code == 200
    march_5 = csv_of(line(BEIJING, "A小区", "低"))
    report = upload(app_client, staff["admin"], march_5, as_of=MARCH_5).json()
    assert (report["opened"], report["changed"], report["closed"]) == (0, 1, 1)
    a_high, b_high, a_low = _rows(session)
    assert (a_high.grade, a_high.effective_to) == ("high", UTC_MARCH_5)
    assert (b_high.area, b_high.effective_to) == ("B小区", UTC_MARCH_5)
    assert (a_low.grade, a_low.effective_from, a_low.effective_to) == ("low", UTC_MARCH_5, None)


def test_reimporting_the_same_file_changes_nothing(app_client, session, staff, heard):
    data = csv_of(line(BEIJING, "A小区", "高"), line(SHANGHAI, "", "低"))
    first = upload(app_client, staff["admin"], data, as_of=MARCH_1).json()
    again = upload(app_client, staff["admin"], data, as_of=MARCH_5).json()
    assert again["batch_ref"] == first["batch_ref"]
    assert (again["opened"], again["changed"], again["closed"], again["unchanged"]) == (0, 0, 0, 2)
    assert len(_rows(session)) == 2 and len(heard) == 1


def test_an_end_in_the_file_ends_the_row(app_client, session, staff):
    upload(app_client, staff["admin"], csv_of(line(BEIJING, "A小区", "高")), as_of=MARCH_1)
    ended = csv_of(line(BEIJING, "A小区", "高", MARCH_1, MARCH_5))
    report = upload(app_client, staff["admin"], ended, mode="changes", as_of=MARCH_1).json()
    assert report["closed"] == 1
    [row] = _rows(session)
    assert row.effective_to == UTC_MARCH_5


REFUSED = [
    (line(("火星省", "某市", "某区"), "", "高"), "risk_area.unknown_place"),
    (line(BEIJING, "", "极高"), "risk_area.bad_grade"),
    (line(BEIJING, "", "高", "三月三日"), "risk_area.bad_time"),
    (line(BEIJING, "", "高", MARCH_5, MARCH_1), "risk_area.bad_dates"),
    (line(("", "北京市", "朝阳区"), "", "高"), "risk_area.place_missing"),
    (line(BEIJING, "x" * 201, "高"), "risk_area.too_long"),
]


@pytest.mark.parametrize(("bad", "code"), REFUSED, ids=[code for _, code in REFUSED])
def test_each_refused_row_has_its_reason_and_nothing_is_written(app_client, session, staff,
                                                                 bad, code):  # fmt: skip
    data = csv_of(line(SHANGHAI, "", "高"), bad)
    response = upload(app_client, staff["admin"], data, as_of=MARCH_1, mode="changes")
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["rejected"] == 1 and report["opened"] == 0
    [refused] = report["rejected_lines"]
    assert (refused["line"], refused["code"]) == (3, code) and refused["message"]
    assert _rows(session) == []


def test_duplicate_place_in_file(app_client, session, staff):
    data = csv_of(line(BEIJING, "A 小区", "高"), line(BEIJING, "A小区", "低"))
    report = upload(app_client, staff["admin"], data, as_of=MARCH_1).json()
    assert [r["code"] for r in report["rejected_lines"]] == ["risk_area.duplicate_in_file"]
    assert _rows(session) == []


def test_a_grade_the_edition_does_not_have_is_refused(app_client, session, staff, settings):
    policy.activate(session, actor=SYSTEM, edition_id="cn-20-2022-11",
                    default=settings.policy)  # fmt: skip
    session.commit()
    data = csv_of(line(BEIJING, "A小区", "中"), line(BEIJING, "B小区", "高"))
    report = upload(app_client, staff["admin"], data, as_of=MARCH_1).json()
    assert [(r["line"], r["code"]) for r in report["rejected_lines"]] == [
        (2, "risk_area.grade_not_in_force")
    ]
    assert _rows(session) == []


def test_refused_messages_in_english(app_client, staff):
    data = csv_of(line(("火星省", "某市", "某区"), "", "高"))
    headers = staff["admin"] | {"Accept-Language": "en"}
    report = upload(app_client, headers, data).json()
    assert report["rejected_lines"][0]["message"].startswith("No county-level place")


def test_bad_files_are_refused_whole(app_client, session, staff):
    broken = upload(app_client, staff["admin"], b"\xff\xfe\x00garbage", name="list.csv")
    assert (broken.status_code, broken.json()["code"]) == (422, "import.unreadable_file")
    no_grade = upload(app_client, staff["admin"], "省,区县\n北京,朝阳\n".encode())
    assert no_grade.json()["code"] == "import.missing_columns"
    empty = upload(app_client, staff["admin"], f"{HEADER}\n".encode())
    assert empty.json()["code"] == "risk_area.empty_import"
    bad_json = upload(app_client, staff["admin"], b'{"rows": 3}', name="x.json")
    assert bad_json.json()["code"] == "import.unreadable_file"
    bad_mode = upload(app_client, staff["admin"], csv_of(line(BEIJING, "", "高")), mode="all")
    assert bad_mode.status_code == 422
    bad_as_of = upload(app_client, staff["admin"], csv_of(line(BEIJING, "", "高")), as_of="x")
    assert bad_as_of.json()["code"] == "risk_area.bad_time"
    assert _rows(session) == []


def test_template_has_chinese_headers(app_client, staff):
    csv = app_client.get(f"{API}/template.csv", headers=staff["officer"])
    assert csv.status_code == 200
    assert csv.content.decode("utf-8-sig").splitlines()[0] == HEADER
    xlsx = app_client.get(f"{API}/template.xlsx", headers=staff["officer"])
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
