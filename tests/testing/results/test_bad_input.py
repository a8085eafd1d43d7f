"""Every refused line has its code and line number; good lines of the same upload go in, no
line is written by half; file-level errors refuse the whole file."""

from __future__ import annotations

import io
from datetime import timedelta

from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from fangkong.core import clock
from fangkong.models.testing import Tube, TubeResult
from fangkong.testing import barcodes
from testing.results.helpers import API, SHANGHAI, line, staffed_lab
from testing.world import make_lab, make_resident, make_tube


def _tube(session, settings, **extra):
    return make_tube(session, [make_resident(session, settings)], **extra)


def test_each_bad_line_is_refused_with_its_reason(app_client, session, settings, staff):
    staffed_lab(session)
    good = _tube(session, settings)
    open_tube = _tube(session, settings, status="open")
    elsewhere = _tube(session, settings)
    elsewhere.lab_id = make_lab(session, name="南岗检测中心").id
    late = _tube(session, settings, sampled_at=clock.now() - timedelta(hours=1))
    unknown = barcodes.with_check_digit("99999999999")
    session.commit()
    bad_digit = good.barcode[:-1] + str((int(good.barcode[-1]) + 1) % 10)
    lines = [
        line(good, "阴性"),
        {**line(good, "阴性"), "barcode": bad_digit},
        {**line(good, "阴性"), "barcode": unknown},
        line(open_tube, "阴性"),
        line(elsewhere, "阴性"),
        line(late, "阴性", at=late.sampled_at - timedelta(minutes=1)),
        line(good, "阴性", at=clock.now() + timedelta(hours=2)),
        line(good, "阴性", ct_n=51),
        line(good, "阴性", ct_n="abc"),
        line(good, "可疑"),
        line(good, None),
        line(good, "阴性", ct_orf1ab=20),
        {**line(good, "阴性"), "tested_at": "yesterday"},
        line(good, "阴性"),
    ]
    response = app_client.post(f"{API}/results", json={"results": lines}, headers=staff["lab"])
    assert response.status_code == 200, response.text
    report = response.json()
    assert (report["accepted"], report["rejected"]) == (1, 13)
    assert [(r["line"], r["code"]) for r in report["rejected_lines"]] == [
        (2, "testing.bad_barcode"),
        (3, "testing.unknown_tube"),
        (4, "testing.tube_not_sealed"),
        (5, "testing.tube_other_lab"),
        (6, "testing.tested_before_sampling"),
        (7, "testing.tested_in_future"),
        (8, "testing.ct_out_of_range"),
        (9, "testing.ct_invalid"),
        (10, "testing.result_invalid"),
        (11, "testing.result_missing"),
        (12, "testing.result_disagrees_with_ct"),
        (13, "testing.tested_at_invalid"),
        (14, "testing.duplicate_in_file"),
    ]
    assert all(r["message"] for r in report["rejected_lines"])
    session.expire_all()
    assert session.get(Tube, open_tube.id).result is None
    assert session.get(Tube, elsewhere.id).result is None
    assert session.scalar(select(func.count()).select_from(TubeResult)) == 1


def test_messages_are_chinese_by_default_and_english_on_request(
    app_client, session, settings, staff
):
    staffed_lab(session)
    tube = _tube(session, settings)
    session.commit()
    body = {"results": [line(tube, "阴性", ct_n=99)]}
    zh = app_client.post(f"{API}/results", json=body, headers=staff["lab"]).json()
    en = app_client.post(f"{API}/results?lang=en", json=body, headers=staff["lab"]).json()
    assert en["rejected_lines"][0]["message"] == "A Ct value must lie above 0 and at most 50."
    assert zh["rejected_lines"][0]["code"] == "testing.ct_out_of_range"


def _xlsx(rows):
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_xlsx_upload_with_chinese_headers_and_local_times(app_client, session, settings, staff):
    staffed_lab(session)
    tube = _tube(session, settings)
    session.commit()
    local = clock.now().astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")
    data = _xlsx([["条码", "检测结果", "ORF1ab Ct值", "N Ct值", "检测时间"],
                  [tube.barcode, "阴性", None, None, local]])  # fmt: skip
    files = {"file": ("结果.xlsx", data, "application/octet-stream")}
    response = app_client.post(f"{API}/results/upload", files=files, headers=staff["lab"])
    assert response.status_code == 200, response.text
    assert response.json()["accepted"] == 1
    session.expire_all()
    stored = session.get(Tube, tube.id)
    assert stored.tested_at.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M") == local


def test_csv_upload_and_file_level_errors(app_client, session, settings, staff):
    staffed_lab(session)
    tube = _tube(session, settings)
    session.commit()
    csv = f"barcode,result,ct_orf1ab,ct_n,tested_at\n{tube.barcode},negative,,,{clock.now().isoformat()}\n"
    files = {"file": ("r.csv", csv.encode(), "text/csv")}
    ok = app_client.post(f"{API}/results/upload", files=files, headers=staff["lab"])
    assert ok.json()["accepted"] == 1
    missing = {"file": ("r.csv", b"barcode,result\n1,2\n", "text/csv")}
    refused = app_client.post(f"{API}/results/upload", files=missing, headers=staff["lab"])
    assert (refused.status_code, refused.json()["code"]) == (422, "import.missing_columns")
    empty = {"file": ("r.csv", b"barcode,tested_at\n", "text/csv")}
    nothing = app_client.post(f"{API}/results/upload", files=empty, headers=staff["lab"])
    assert nothing.json()["code"] == "testing.results_empty"


def test_template_has_the_chinese_headers(app_client, staff):
    csv = app_client.get(f"{API}/results/template", headers=staff["lab"])
    assert (
        csv.content.decode("utf-8-sig").splitlines()[0]
        == "条码,检测结果,ORF1ab Ct值,N Ct值,检测时间"
    )
    xlsx = app_client.get(f"{API}/results/template?format=xlsx", headers=staff["lab"])
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert [c.value for c in sheet[1]] == ["条码", "检测结果", "ORF1ab Ct值", "N Ct值", "检测时间"]


def test_an_officer_names_the_lab_and_a_lab_user_cannot_use_another(
    app_client, session, settings, staff
):
    staffed_lab(session)
    other = make_lab(session, name="另一检测中心")
    tube = _tube(session, settings)
    session.commit()
    body = {"results": [line(tube, "阴性")]}
    unnamed = app_client.post(f"{API}/results", json=body, headers=staff["officer"])
    assert unnamed.json()["code"] == "testing.lab_required"
    foreign = app_client.post(f"{API}/results", json=body | {"lab_id": other.id},
                              headers=staff["lab"])  # fmt: skip
    assert (foreign.status_code, foreign.json()["code"]) == (404, "testing.lab_not_found")
    named = app_client.post(f"{API}/results", json=body | {"lab_id": other.id},
                            headers=staff["officer"])  # fmt: skip
    assert named.json()["accepted"] == 1
