"""Labs and members, receiving tubes, retest tasks, turnaround, and the audit trail."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from fangkong.core import clock
from fangkong.models import AuditLog
from fangkong.models.testing import Tube
from fangkong.testing import barcodes
from testing.results.helpers import API, lab_user, line, staffed_lab
from testing.world import OTHER_GRID, make_lab, make_resident, make_tube


def test_officer_creates_edits_and_staffs_a_lab(app_client, session, staff):
    body = {"name": "道里第二检测中心", "region_code": "230102", "address": "测试路1号"}
    made = app_client.post(f"{API}/labs", json=body, headers=staff["officer"])
    assert made.status_code == 201, made.text
    lab_id = made.json()["id"]
    twice = app_client.post(f"{API}/labs", json=body, headers=staff["officer"])
    assert (twice.status_code, twice.json()["code"]) == (409, "testing.lab_name_taken")
    outside = app_client.post(f"{API}/labs", json=body | {"name": "x", "region_code": "230103"},
                              headers=staff["officer"])  # fmt: skip
    assert outside.json()["code"] == "testing.lab_region_invalid"
    edited = app_client.patch(f"{API}/labs/{lab_id}", json={"tubes_per_hour": 5000},
                              headers=staff["officer"])  # fmt: skip
    assert edited.json()["tubes_per_hour"] == 5000
    user_id = lab_user(session).id
    joined = app_client.post(f"{API}/labs/{lab_id}/members", json={"user_id": user_id},
                             headers=staff["officer"])  # fmt: skip
    assert joined.status_code == 201
    assert [lab["id"] for lab in app_client.get(f"{API}/labs", headers=staff["lab"]).json()] == [
        lab_id
    ]
    actions = session.scalars(select(AuditLog.action).where(AuditLog.object_type == "lab")).all()
    assert {"testing.lab_create", "testing.lab_update", "testing.lab_member_add"} <= set(actions)
    app_client.delete(f"{API}/labs/{lab_id}/members/{user_id}", headers=staff["officer"])
    assert app_client.get(f"{API}/labs", headers=staff["lab"]).json() == []


def test_receive_marks_sealed_tubes_and_refuses_the_rest(app_client, session, settings, staff):
    lab = staffed_lab(session)
    person = make_resident(session, settings)
    sealed = make_tube(session, [person])
    opened = make_tube(session, [make_resident(session, settings)], status="open")
    foreign = make_tube(session, [make_resident(session, settings)])
    foreign.lab_id = make_lab(session, name="外区检测中心").id
    session.commit()
    barcodes_ = [sealed.barcode, sealed.barcode, opened.barcode, foreign.barcode,
                 barcodes.with_check_digit("88888888888"), "12345678"]  # fmt: skip
    response = app_client.post(f"{API}/tubes/receive", json={"barcodes": barcodes_},
                               headers=staff["lab"])  # fmt: skip
    assert response.status_code == 200, response.text
    report = response.json()
    assert (report["lab_id"], report["received"], report["already_received"]) == (lab.id, 1, 1)
    assert [r["code"] for r in report["refused"]] == [
        "testing.tube_not_sealed", "testing.tube_other_lab", "testing.unknown_tube",
        "testing.bad_barcode",
    ]  # fmt: skip
    session.expire_all()
    stored = session.get(Tube, sealed.id)
    assert (stored.status, stored.lab_id) == ("received", lab.id)
    assert stored.received_at is not None


def test_tasks_list_by_status_and_region(app_client, session, settings, staff):
    staffed_lab(session)
    here = make_resident(session, settings, name="张三")
    there = make_resident(session, settings, name="李四", grid=OTHER_GRID)
    pool = make_tube(session, [here, there])
    session.commit()
    body = {"results": [line(pool, "阳性", ct_n=30)]}
    app_client.post(f"{API}/results", json=body, headers=staff["lab"])
    listed = app_client.get(f"{API}/tasks?status=open", headers=staff["officer"]).json()
    assert [(t["person_id"], t["kind"]) for t in listed["items"]] == [(here.id, "pool_retest")]
    assert listed["items"][0]["name_masked"] == "张*"
    worker = app_client.get(f"{API}/tasks", headers=staff["worker"]).json()["items"]
    assert [t["person_id"] for t in worker] == [here.id]
    other = app_client.get(f"{API}/tasks", headers=staff["nangang"]).json()["items"]
    assert [t["person_id"] for t in other] == [there.id]
    none = app_client.get(f"{API}/tasks?status=done", headers=staff["officer"]).json()
    assert none["items"] == []


def test_turnaround_per_day(app_client, session, settings, staff):
    lab = staffed_lab(session)
    hours = [2, 4, 6, 8, 10]
    tubes = [make_tube(session, [make_resident(session, settings)],
                       sampled_at=clock.now() - timedelta(hours=h)) for h in hours]  # fmt: skip
    session.commit()
    body = {"results": [line(tube, "阴性") for tube in tubes]}
    app_client.post(f"{API}/results", json=body, headers=staff["lab"])
    found = app_client.get(f"{API}/labs/{lab.id}/turnaround", headers=staff["lab"]).json()
    [day] = found["days"]
    assert day["count"] == 5
    assert abs(day["median_hours"] - 6) < 0.1
    assert abs(day["p90_hours"] - 9.2) < 0.1  # inclusive quantiles: no value past the slowest


def test_upload_writes_one_audit_row(app_client, session, settings, staff):
    staffed_lab(session)
    tube = make_tube(session, [make_resident(session, settings)])
    session.commit()
    report = app_client.post(f"{API}/results", json={"results": [line(tube, "阴性")]},
                             headers=staff["lab"]).json()  # fmt: skip
    row = session.scalars(select(AuditLog).where(AuditLog.object_id == report["upload_ref"])).one()
    assert (row.action, row.after["accepted"]) == ("testing.results_upload", 1)
