"""Carriers' passenger lists: matched by ID number and by phone, unmatched kept, every bad row
refused with its reason, the same list again (CSV or XLSX) changes nothing; seats parsed; the
list masked; the template's headers accepted as they are."""

from __future__ import annotations

import io

from openpyxl import Workbook
from sqlalchemy import func, select

from factories import resident_id
from fangkong.models.tracing import TravelRecord
from fangkong.people.protect import Protector
from fangkong.tracing.trajectories import importer
from fangkong.tracing.trajectories.rows import Refused, seat_of
from outbreak_world import NANGANG, make_resident

IMPORT = "/api/v1/travel-records/import"
HEADER = "交通方式,班次/车次,日期,车厢,座位,姓名,证件号码,手机号,出发站,到达站,出发时间,到达时间"


def _number(settings, person) -> str:
    return Protector(settings.data_key_bytes).open_id(person.id_number_enc)


def _rows(settings, by_id, by_phone, theirs) -> list[str]:
    return [
        f"火车,G1234,2022-11-02,05,12F,,{_number(settings, by_id)},,哈尔滨西,长春,08:30,10:10",
        "飞机,CA1602,2022-11-02,,12A,乘客乙,,13912345678,哈尔滨,北京,09:00,11:05",  # by phone
        f"火车,g1234,2022-11-02,,05车14A,未登记,{resident_id(77, region='110105')},,哈尔滨西,长春,,",
        f"火箭,X1,2022-11-02,,1A,,{resident_id(78)},,,,,",  # unknown mode
        f"火车,G1234,2022-13-40,,1A,,{resident_id(79)},,,,,",  # bad date
        f"火车,G1234,2022-11-02,,1排A座,,{resident_id(80)},,,,,",  # bad seat
        "火车,G1234,2022-11-02,,1A,,12345,,,,,",  # bad ID
        "火车,G1234,2022-11-02,,1A,,,,,,,",  # nobody
        f"火车,G1234,2022-11-02,,1A,,{_number(settings, by_id)},,,,,",  # again in the file
        f"火车,G1234,2022-11-02,,2A,,{_number(settings, theirs)},,,,,",  # outside
        f"火车,G1234,2022-11-02,,2A,,{resident_id(81)},,,,25:99,",  # bad time
    ]


def _csv(rows: list[str]) -> bytes:
    return (HEADER + "\n" + "\n".join(rows) + "\n").encode()


def _post(client, headers, name: str, data: bytes):
    return client.post(IMPORT, files={"file": (name, data, "text/csv")}, headers=headers)


def test_passengers_are_matched_refused_row_by_row_and_reimport_is_a_no_op(
    app_client, session, settings, staff
):
    by_id = make_resident(session, settings, name="乘客甲")
    by_phone = make_resident(session, settings, name="乘客乙", phone="13912345678")
    theirs = make_resident(session, settings, grid=NANGANG + "001002003")
    session.commit()
    rows = _rows(settings, by_id, by_phone, theirs)
    response = _post(app_client, staff["officer"], "g1234.csv", _csv(rows))
    assert response.status_code == 200, response.text
    report = response.json()
    assert {r["line"]: r["code"] for r in report["rejected_lines"]} == {
        5: "travel.unknown_mode", 6: "travel.bad_date", 7: "travel.bad_seat",
        8: "travel.bad_id_number", 9: "travel.identity_missing",
        10: "travel.duplicate_in_file", 11: "travel.outside_jurisdiction", 12: "travel.bad_time",
    }  # fmt: skip
    assert all(r["message"] for r in report["rejected_lines"])
    assert (report["accepted"], report["matched"], report["unmatched"]) == (3, 2, 1)
    records = session.scalars(select(TravelRecord).order_by(TravelRecord.row_no)).all()
    assert [(r.person_id, r.carriage, r.seat, r.seat_row) for r in records] == [
        (by_id.id, "05", "12F", 12),
        (by_phone.id, "", "12A", 12),
        (None, "05", "14A", 14),
    ]
    assert records[2].region_code == "230102" and records[2].number == "G1234"
    again = _post(app_client, staff["officer"], "g1234.csv", _csv(rows)).json()
    # the repeated line now meets the stored passenger: unchanged too
    assert (again["accepted"], again["unchanged"], again["rejected"]) == (0, 4, 7)
    assert session.scalar(select(func.count(TravelRecord.id))) == 3


def test_the_same_list_as_xlsx_changes_nothing_either(app_client, session, settings, staff):
    person = make_resident(session, settings)
    session.commit()
    row = ["火车", "K7086", "2022-11-01", "3", "015号下铺", "", _number(settings, person), "",
           "哈尔滨", "齐齐哈尔", "21:30", "06:10"]  # fmt: skip
    first = _post(app_client, staff["officer"], "k.csv", _csv([",".join(row)])).json()
    assert first["accepted"] == 1
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER.split(","))
    sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    second = _post(app_client, staff["officer"], "k.xlsx", buffer.getvalue()).json()
    assert (second["accepted"], second["unchanged"]) == (0, 1)
    record = session.scalars(select(TravelRecord)).one()
    assert (record.carriage, record.seat_row) == ("03", 15)
    assert record.arrived_at > record.departed_at  # an overnight train


def test_seats_parse_rows_and_carriages():
    assert seat_of("12A", "") == ("", "12A", 12)
    assert seat_of("05车12F", "") == ("05", "12F", 12)
    assert seat_of("12F", "5车厢") == ("05", "12F", 12)
    assert seat_of("", "") == ("", "", None)
    for bad in ("A12", "12AB", "车12"):
        try:
            seat_of(bad, "")
        except Refused as refused:
            assert refused.code == "travel.bad_seat"
        else:
            raise AssertionError(bad)


def test_list_is_masked_and_filtered(app_client, session, settings, staff):
    person = make_resident(session, settings, name="乘客丙", phone="13800001111")
    session.commit()
    number = _number(settings, person)
    rows = [f"火车,G1234,2022-11-02,05,12F,,{number},13800001111,哈尔滨西,长春,08:30,10:10",
            f"飞机,CA1602,2022-11-03,,1A,,{resident_id(90)},,哈尔滨,北京,08:00,10:00"]  # fmt: skip
    _post(app_client, staff["officer"], "mix.csv", _csv(rows))
    listed = app_client.get("/api/v1/travel-records", params={"mode": "train"},
                            headers=staff["epi"])  # fmt: skip
    [item] = listed.json()["items"]
    assert item["number"] == "G1234" and item["id_number_masked"].count("*") >= 8
    assert number not in listed.text and "13800001111" not in listed.text
    by_day = app_client.get("/api/v1/travel-records", params={"travel_on": "2022-11-03"},
                            headers=staff["epi"]).json()["items"]  # fmt: skip
    assert [i["number"] for i in by_day] == ["CA1602"]
    by_phone = _post(app_client, staff["officer"], "again.csv",
                     _csv(["火车,G1234,2022-11-02,05,12F,,,13800001111,哈尔滨西,长春,,"]))  # fmt: skip
    assert (by_phone.json()["accepted"], by_phone.json()["unchanged"]) == (0, 1)


def test_bad_files_are_refused_whole(app_client, session, staff):
    header_only = _post(app_client, staff["officer"], "x.csv", (HEADER + "\n").encode())
    assert (header_only.status_code, header_only.json()["code"]) == (422, "travel.list_empty")
    unknown = _post(app_client, staff["officer"], "x.csv", b"foo,bar\n1,2\n")
    assert unknown.json()["code"] == "import.unknown_columns"
    assert session.scalar(select(func.count(TravelRecord.id))) == 0


def test_the_template_imports_as_it_is():
    rows = list(importer.template_csv().decode("utf-8-sig").splitlines())
    assert rows[0].split(",") == list(importer.COLUMN_HEADERS.values())
