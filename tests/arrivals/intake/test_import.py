"""Pushed lists: matched and unmatched rows, every refused row with its reason, people outside
the importer's jurisdiction refused, re-import a no-op, unmatched then matched; trips listed,
shown and reclassified over the API."""

from __future__ import annotations

import pickle
import shutil
from datetime import timedelta

from sqlalchemy import func, select

from arrivals.intake.helpers import NINTH, activate, trips_of
from arrivals.world import DAOLI, NANGANG, make_resident, make_risk_area
from factories import make_tree, resident_id
from fangkong.arrivals.intake import importer, trips
from fangkong.arrivals.intake.checking import Checker, checked_chunks
from fangkong.arrivals.riskareas.matching import Match
from fangkong.core import clock
from fangkong.core.masking import mask_id_number, mask_phone
from fangkong.core.principal import Principal
from fangkong.db import Database, make_engine
from fangkong.models.arrivals import ArrivalReport, Trip
from fangkong.people.protect import Protector

IMPORT = "/api/v1/arrivals/import"
HEADER = "身份证号,手机号,姓名,来源省,来源市,来源区县,来源详细地址,出发日期,抵达时间,交通方式,车次航班车牌\n"


EXPECTED_CODES = {
    4: "arrival.unknown_origin", 5: "arrival.dates_order", 6: "arrival.arrived_in_future",
    7: "arrival.bad_id_number", 8: "arrival.bad_phone", 9: "arrival.duplicate_in_file",
    10: "arrival.outside_jurisdiction", 11: "arrival.arrived_at_invalid",
    12: "arrival.transport_invalid",
}  # fmt: skip


def _when(hours_ago: float) -> str:
    return (
        (clock.now() - timedelta(hours=hours_ago))
        .astimezone(clock.LOCAL_TZ)
        .strftime("%Y-%m-%d %H:%M")
    )


def _number(settings, person) -> str:
    return Protector(settings.data_key_bytes).open_id(person.id_number_enc)


def _list(settings, mine, theirs) -> str:
    today = clock.local_today()
    rows = [
        f"{_number(settings, mine)},,,北京市,北京市,朝阳区,望京街道,{today - timedelta(days=1)},{_when(3)},火车,G1",
        f",13900000001,赵六,北京,北京,朝阳,,,{_when(4)},飞机,CA1",  # unmatched
        f"{resident_id(55, region='110105')},,,火星省,火星市,某区,,,{_when(2)},,",  # unknown origin
        f"{resident_id(56, region='110105')},,,北京市,北京市,朝阳区,,{today + timedelta(days=2)},{_when(2)},,",
        f"{resident_id(57, region='110105')},,,北京市,北京市,朝阳区,,,{_when(-30)},,",  # future
        f"12345,,,北京市,北京市,朝阳区,,,{_when(2)},,",  # bad ID
        f",1234,,北京市,北京市,朝阳区,,,{_when(2)},,",  # bad phone
        f"{_number(settings, mine)},,,北京市,北京市,朝阳区,望京街道,,{_when(3)},火车,G1",  # dup
        f"{_number(settings, theirs)},,,北京市,北京市,朝阳区,,,{_when(3)},,",  # outside
        f"{resident_id(58, region='110105')},,,北京市,北京市,朝阳区,,,not a time,,",
        f"{resident_id(59, region='110105')},,,北京市,北京市,朝阳区,,,{_when(2)},火箭,",
        f"{_number(settings, mine)},,,上海市,上海市,黄浦区,,,{_when(1)},,",  # merges
    ]
    return HEADER + "\n".join(rows) + "\n"


def test_pushed_list_refuses_row_by_row_and_reimport_is_a_no_op(
    app_client, session, settings, staff
):
    activate(session, NINTH)
    make_risk_area(session, grade="high", area="望京街道")
    mine = make_resident(session, settings)
    theirs = make_resident(session, settings, grid=NANGANG + "001002003")
    session.commit()
    data = _list(settings, mine, theirs).encode()
    files = {"file": ("push.csv", data, "text/csv")}
    response = app_client.post(IMPORT, files=files, headers=staff["officer"])
    assert response.status_code == 200, response.text
    report = response.json()
    codes = {row["line"]: row["code"] for row in report["rejected_lines"]}
    assert codes == EXPECTED_CODES
    assert (report["accepted"], report["matched"], report["unmatched"]) == (3, 2, 1)
    assert (report["trips_new"], report["rejected"]) == (1, 9)
    [trip] = trips_of(session, mine)
    assert trip.report_count == 2 and trip.channels == ["pushed"]
    assert (trip.grade, trip.origin_area) == ("high", "望京街道")  # the worst origin wins
    assert trips_of(session, theirs) == []
    again = app_client.post(IMPORT, files=files, headers=staff["officer"]).json()
    assert (again["accepted"], again["unchanged"], again["trips_new"]) == (0, 3, 0)
    assert session.scalar(select(func.count()).select_from(ArrivalReport)) == 3


def test_a_large_file_is_checked_in_a_second_process_with_the_same_result(
    session, settings, world, tmp_path, monkeypatch
):
    """The command's path: a file at least ``CHILD_MIN_BYTES`` long (here: any) is read,
    checked and sealed by a forked child; every refusal, the stored reports and a re-import
    (its stored lines still making their repeats duplicates) are as the upload's."""
    activate(session, NINTH)
    make_risk_area(session, grade="high", area="望京街道")
    mine = make_resident(session, settings)
    theirs = make_resident(session, settings, grid=NANGANG + "001002003")
    session.flush()
    path = tmp_path / "push.csv"
    path.write_text(_list(settings, mine, theirs), encoding="utf-8")
    monkeypatch.setattr(importer, "CHILD_MIN_BYTES", 0)
    spawned = []
    monkeypatch.setattr(importer.offload, "items", _counting(importer.offload.items, spawned))
    officer = Principal(id=None, username="officer", role="district_officer", region_code=DAOLI)
    first = importer.import_path(session, settings, actor=officer, path=path, in_child=True)
    # prefetched where the writer waits on a server (PostgreSQL), received in turn on SQLite
    assert spawned == [("fork", session.get_bind().dialect.name == "postgresql")]
    codes = {row.line: row.code for row in first.rejected_lines}
    assert codes == EXPECTED_CODES
    assert (first.accepted, first.matched, first.unmatched, first.trips_new) == (3, 2, 1, 1)
    reports = session.scalars(select(ArrivalReport).order_by(ArrivalReport.row_no)).all()
    assert [r.row_no for r in reports] == [2, 3, 13]
    assert reports[1].phone_masked == mask_phone("13900000001")
    assert Protector(settings.data_key_bytes).open_phone(reports[1].phone_enc) == "13900000001"
    assert reports[0].id_number_masked == mask_id_number(_number(settings, mine))
    again = importer.import_path(session, settings, actor=officer, path=path, in_child=True)
    assert (again.accepted, again.unchanged, again.trips_new) == (0, 3, 0)
    assert {row.line: row.code for row in again.rejected_lines} == EXPECTED_CODES


def test_the_child_finds_the_people_and_grades_the_origins_with_the_same_result(
    settings, cli_template, tmp_path, monkeypatch
):
    """The command's path (``child_reads``): the forked child also reads the database, over a
    connection of its own, so it sees only what is committed. A database file of this test's
    own (migrated) holds the committed world; the result is the upload's, and this process
    looked nobody up itself."""
    url = f"sqlite:///{tmp_path / 'own.db'}"
    shutil.copyfile(cli_template, tmp_path / "own.db")
    own = settings.model_copy(update={"database_url": url})
    database = Database(make_engine(url))
    with database.transaction() as session:
        make_tree(session, DAOLI)
        make_tree(session, NANGANG)
        activate(session, NINTH)
        make_risk_area(session, grade="high", area="望京街道")
        mine = make_resident(session, own)
        theirs = make_resident(session, own, grid=NANGANG + "001002003")
    path = tmp_path / "push.csv"
    path.write_text(_list(own, mine, theirs), encoding="utf-8")
    monkeypatch.setattr(importer, "CHILD_MIN_BYTES", 0)
    here: list[int] = []  # rows this process looked up
    find, grade = importer.find_people, trips.match_many
    monkeypatch.setattr(
        importer, "find_people", lambda s, rows: here.append(len(rows)) or find(s, rows)
    )
    graded: list[int] = []  # origins this process graded
    monkeypatch.setattr(
        trips, "match_many", lambda s, found: graded.append(len(found)) or grade(s, found)
    )
    officer = Principal(id=None, username="officer", role="district_officer", region_code=DAOLI)
    try:
        with database.transaction() as session:
            first = importer.import_path(
                session, own, actor=officer, path=path, in_child=True, child_reads=True
            )
            assert {row.line: row.code for row in first.rejected_lines} == EXPECTED_CODES
            assert (first.accepted, first.matched, first.unmatched) == (3, 2, 1)
            assert first.trips_new == 1
            [trip] = trips_of(session, mine)
            assert (trip.report_count, trip.grade, trip.origin_area) == (2, "high", "望京街道")
            assert trips_of(session, theirs) == []
            assert graded and not any(graded)  # every origin came graded
            # a later list merges into that trip: its stored origin is graded here, the
            # report's came graded, and the worst of the two still wins
            later = tmp_path / "later.csv"
            row = f"{_number(own, mine)},,,上海市,上海市,黄浦区,,,{_when(0.5)},,"
            later.write_text(HEADER + row + "\n", encoding="utf-8")
            graded.clear()
            again = importer.import_path(
                session, own, actor=officer, path=later, in_child=True, child_reads=True
            )
            assert (again.accepted, again.trips_new, again.trips_merged) == (1, 0, 1)
            assert graded == [1]
            [trip] = trips_of(session, mine)
            assert (trip.report_count, trip.grade, trip.origin_area) == (3, "high", "望京街道")
    finally:
        database.engine.dispose()
    assert here and not any(here)  # every row came looked up


def test_a_sealed_row_keeps_no_plain_id_number_or_phone(settings):
    """What crosses from the checking process to the writer: hashes, ciphertexts, masks."""
    number = resident_id(60, region="110105")
    raw = {"id_number": number, "phone": "13900000002", "origin_province": "北京市",
           "origin_city": "北京市", "origin_district": "朝阳区", "arrived_at": _when(2)}  # fmt: skip
    checker = Checker(now=clock.now(), today=clock.local_today())
    protect = Protector(settings.data_key_bytes)
    [chunk] = checked_chunks([(2, raw)], checker, protect)
    [row] = chunk.rows
    assert (row.id_number, row.phone) == (None, None)
    assert row.id_masked == mask_id_number(number) and row.phone_masked == mask_phone("13900000002")
    assert protect.open_id(row.id_enc) == number
    assert row.id_hash == protect.id_hash("resident_id", number)


def test_a_chunk_crosses_the_pipe_whole_and_its_equal_grades_are_one_object(settings):
    """A checked chunk pickled (as the checking process sends it) comes back equal, row by row,
    graded or not; rows of one grade share one (frozen) ``Match``."""
    raws = [{"id_number": resident_id(70 + n, region="110105"), "origin_province": "北京市",
             "origin_city": "北京市", "origin_district": "朝阳区", "arrived_at": _when(2 + n)}
            for n in range(4)]  # fmt: skip
    checker = Checker(now=clock.now(), today=clock.local_today())
    [chunk] = checked_chunks(
        list(enumerate(raws, start=2)), checker, Protector(settings.data_key_bytes)
    )
    high = [Match("high", False, (7,)), Match("high", False, (7,))]
    for row, match in zip(chunk.rows, [*high, Match("none", False, ()), None], strict=True):
        row.match, row.person_id, row.looked_up = match, row.line * 10, True
    back = pickle.loads(pickle.dumps(chunk))
    assert back == chunk and [row.match for row in back.rows] == [row.match for row in chunk.rows]
    assert back.rows[0].match is back.rows[1].match and back.rows[3].match is None


def _counting(items, calls):
    def counted(*args, **kwargs):
        calls.append((kwargs.get("start"), kwargs.get("prefetch")))
        return items(*args, **kwargs)

    return counted


def test_unmatched_then_matched(app_client, session, settings, staff):
    activate(session, NINTH)
    person = make_resident(session, settings)
    session.commit()
    csv = HEADER + f",13900000002,钱七,北京市,北京市,朝阳区,,,{_when(3)},,\n"
    app_client.post(IMPORT, files={"file": ("p.csv", csv.encode(), "text/csv")},
                    headers=staff["officer"])  # fmt: skip
    listed = app_client.get("/api/v1/arrivals/unmatched", headers=staff["officer"]).json()
    [row] = listed["items"]
    assert row["phone_masked"] != "13900000002" and row["person_id"] is None
    assert app_client.get("/api/v1/arrivals/unmatched",
                          headers=staff["nangang"]).json()["items"] == []  # fmt: skip
    path = f"/api/v1/arrivals/unmatched/{row['id']}/match"
    denied = app_client.post(path, json={"person_id": person.id}, headers=staff["nangang"])
    assert denied.json()["code"] == "arrival.report_not_found"
    matched = app_client.post(path, json={"person_id": person.id}, headers=staff["officer"])
    assert matched.status_code == 200, matched.text
    [trip] = trips_of(session, person)
    assert matched.json()["trip_id"] == trip.id
    twice = app_client.post(path, json={"person_id": person.id}, headers=staff["officer"])
    assert twice.status_code == 404


def test_broken_file_is_refused_whole(app_client, session, staff):
    bad = app_client.post(IMPORT, files={"file": ("p.csv", b"foo,bar\n1,2\n", "text/csv")},
                          headers=staff["officer"])  # fmt: skip
    assert bad.status_code == 422 and bad.json()["code"] == "import.unknown_columns"
    empty = app_client.post(IMPORT, files={"file": ("p.csv", HEADER.encode(), "text/csv")},
                            headers=staff["officer"])  # fmt: skip
    assert empty.json()["code"] == "arrival.list_empty"


def test_template(app_client, staff):
    csv = app_client.get("/api/v1/arrivals/import/template", headers=staff["officer"])
    assert csv.status_code == 200 and "身份证号" in csv.content.decode("utf-8-sig")
    xlsx = app_client.get("/api/v1/arrivals/import/template?format=xlsx", headers=staff["officer"])
    assert xlsx.content[:2] == b"PK"


def test_xlsx_import(app_client, session, settings, staff):
    from io import BytesIO

    from openpyxl import Workbook

    person = make_resident(session, settings)
    session.commit()
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER.strip().split(","))
    sheet.append([_number(settings, person), "", "", "北京市", "北京市", "朝阳区", "", "",
                  _when(2), "自驾", "京A12345"])  # fmt: skip
    buffer = BytesIO()
    book.save(buffer)
    files = {"file": ("p.xlsx", buffer.getvalue(), "application/octet-stream")}
    report = app_client.post(IMPORT, files=files, headers=staff["officer"]).json()
    assert report["matched"] == 1, report


def test_trips_list_detail_and_reclassify(app_client, session, settings, staff):
    activate(session, NINTH)
    make_risk_area(session, grade="high")
    person = make_resident(session, settings, name="孙八")
    session.commit()
    number = _number(settings, person)
    csv = HEADER + f"{number},,,北京市,北京市,朝阳区,,,{_when(3)},,\n"
    app_client.post(IMPORT, files={"file": ("p.csv", csv.encode(), "text/csv")},
                    headers=staff["officer"])  # fmt: skip
    listed = app_client.get("/api/v1/trips?grade=high&name=孙", headers=staff["officer"]).json()
    [item] = listed["items"]
    assert item["person_name"] != "孙八" and item["person_name"].startswith("孙")
    assert app_client.get("/api/v1/trips?grade=low", headers=staff["officer"]).json()["items"] == []
    assert app_client.get("/api/v1/trips", headers=staff["nangang"]).json()["items"] == []
    path = f"/api/v1/trips/{item['id']}"
    shown = app_client.get(path, headers=staff["worker"]).json()
    assert {t["kind"] for t in shown["tasks"]} == {"landing_test", "screening", "placement"}
    assert shown["facts"] == ["arrival.high_risk"]
    assert [e["kind"] for e in shown["timeline"]][:1] == ["report"]
    assert number not in str(shown)
    assert app_client.get(path, headers=staff["nangang"]).status_code == 404
    body = {"origin_province": "上海", "origin_district": "黄浦", "note": "更正"}
    corrected = app_client.post(f"{path}/reclassify", json=body, headers=staff["officer"])
    assert corrected.status_code == 200, corrected.text
    assert (corrected.json()["grade"], corrected.json()["facts"]) == ("none", [])
    unknown = app_client.post(f"{path}/reclassify", json={"origin_province": "火星",
                              "origin_district": "某"}, headers=staff["officer"])  # fmt: skip
    assert unknown.json()["code"] == "arrival.unknown_origin"
    assert app_client.post(f"{path}/reclassify", json={},
                           headers=staff["worker"]).status_code == 403  # fmt: skip
    session.expire_all()
    assert session.get(Trip, item["id"]).origin_code == "310101"
