"""``/api/v1/exports``: request → write → download for CSV and XLSX, masked numbers only,
scoping, the approval of large personal exports, progress, failure, audit rows and errors."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import select

from exports.helpers import csv_rows, xlsx_rows, xlsx_text
from fangkong.exports import kinds, runner
from fangkong.models import AuditLog, Person
from fangkong.models.exports import Export

API = "/api/v1/exports"
PEOPLE = {"kind": "people", "format": "csv"}


def _full_numbers(session, people: list[Person], settings) -> list[str]:
    """The people's full ID numbers and phones, decrypted: none may appear in a file."""
    from fangkong.people.protect import Protector

    protector = Protector(settings.data_key_bytes)
    numbers = []
    for person in people:
        numbers.append(protector.open_id(person.id_number_enc))
        if person.phone_enc:
            numbers.append(protector.open_phone(person.phone_enc))
    return numbers


def test_small_csv_is_written_at_once_and_downloaded(app_client, headers, world, session, settings):
    answer = app_client.post(API, json=PEOPLE, headers=headers["officer"])
    assert answer.status_code == 202, answer.text
    export = answer.json()
    assert export["status"] == "ready" and export["rows_total"] == export["rows_done"] == 3
    got = app_client.get(f"{API}/{export['id']}/file", headers=headers["officer"])
    assert got.status_code == 200 and got.headers["content-type"].startswith("text/csv")
    assert "attachment" in got.headers["content-disposition"]
    rows = csv_rows(got.content)
    assert rows[0][:6] == ["人员编号", "姓名", "性别", "出生日期", "证件号码", "手机号码"]
    assert sorted(r[1] for r in rows[1:]) == sorted(["赵一", "钱二", "孙三"])
    masked = {p.id_number_masked for p in world["daoli"]}
    assert {r[4] for r in rows[1:]} == masked and all("*" in r[5] for r in rows[1:])
    for number in _full_numbers(session, world["daoli"], settings):
        assert number not in got.text


def test_large_xlsx_runs_in_the_background(client_with, headers, world, session, settings, db):
    with client_with(export_inline_rows=0) as client:
        answer = client.post(API, json=PEOPLE | {"format": "xlsx"}, headers=headers["admin"])
        export_id = answer.json()["id"]
        assert answer.status_code == 202 and answer.json()["status"] == "queued"
        early = client.get(f"{API}/{export_id}/file", headers=headers["admin"])
        assert early.status_code == 409 and early.json()["code"] == "export.not_ready"
        assert runner.run_queued(db, settings) == [(export_id, "ready")]
        status = client.get(f"{API}/{export_id}", headers=headers["admin"]).json()
        got = client.get(f"{API}/{export_id}/file", headers=headers["admin"])
    assert status["status"] == "ready" and status["rows_done"] == 5
    assert got.status_code == 200 and "spreadsheetml" in got.headers["content-type"]
    rows = xlsx_rows(got.content)
    assert rows[0][1] == "姓名" and rows[0][4] == "证件号码" and len(rows) == 6
    everyone = world["daoli"] + world["nangang"]
    assert {r[4] for r in rows[1:]} == {p.id_number_masked for p in everyone}
    text = xlsx_text(got.content)
    for number in _full_numbers(session, everyone, settings):
        assert number not in text


def test_an_officer_exports_only_their_district(app_client, headers):
    answer = app_client.post(API, json=PEOPLE, headers=headers["nangang"])
    got = app_client.get(f"{API}/{answer.json()['id']}/file", headers=headers["nangang"])
    names = sorted(r[1] for r in csv_rows(got.content)[1:])
    assert names == sorted(["李四", "周五"])


def test_filters_narrow_the_export(app_client, headers):
    body = {"kind": "people", "format": "csv", "params": {"q": "钱", "region": "230102"}}
    answer = app_client.post(API, json=body, headers=headers["admin"])
    got = app_client.get(f"{API}/{answer.json()['id']}/file", headers=headers["admin"])
    assert [r[1] for r in csv_rows(got.content)[1:]] == ["钱二"]


def test_personal_export_over_the_threshold_waits_for_a_superior(
    client_with, headers, db, settings, session
):
    with client_with(export_approval_rows=2) as client:
        asked = client.post(API, json=PEOPLE, headers=headers["officer"]).json()
        assert asked["status"] == "awaiting_approval"
        url = f"{API}/{asked['id']}"
        own = client.post(f"{url}/approve", json={}, headers=headers["officer"])
        peer = client.post(f"{url}/approve", json={}, headers=headers["peer"])
        other = client.post(f"{url}/approve", json={}, headers=headers["nangang"])
        street = client.post(f"{url}/approve", json={}, headers=headers["street"])
        assert (own.status_code, own.json()["code"]) == (403, "export.self_approval")
        assert (peer.status_code, peer.json()["code"]) == (403, "export.not_superior")
        assert other.status_code == 404 and street.status_code == 404  # not their district
        waiting = client.get(f"{API}/approvals", headers=headers["admin"]).json()["items"]
        assert [e["id"] for e in waiting] == [asked["id"]]
        assert client.get(f"{API}/approvals", headers=headers["peer"]).json()["items"] == []
        seen = client.get(url, headers=headers["admin"])
        assert seen.status_code == 200
        approved = client.post(f"{url}/approve", json={"note": "同意"}, headers=headers["admin"])
        assert approved.status_code == 200 and approved.json()["status"] == "queued"
        again = client.post(f"{url}/deny", json={}, headers=headers["admin"])
        assert (again.status_code, again.json()["code"]) == (409, "export.not_awaiting_approval")
        runner.run_queued(db, settings)
        got = client.get(f"{url}/file", headers=headers["officer"])
        by_admin = client.get(f"{url}/file", headers=headers["admin"])
    assert got.status_code == 200 and len(csv_rows(got.content)) == 4
    assert by_admin.status_code == 404  # only the requester downloads


def test_a_denied_export_is_never_written(client_with, headers, db, settings):
    with client_with(export_approval_rows=2) as client:
        asked = client.post(API, json=PEOPLE, headers=headers["officer"]).json()
        denied = client.post(
            f"{API}/{asked['id']}/deny", json={"note": "范围过大"}, headers=headers["admin"]
        )
        assert denied.json()["status"] == "denied" and denied.json()["decision_note"] == "范围过大"
        assert runner.run_queued(db, settings) == []
        got = client.get(f"{API}/{asked['id']}/file", headers=headers["officer"])
    assert got.status_code == 409
    assert not list(settings.export_dir.glob("*")) if settings.export_dir.exists() else True


def test_a_city_admin_export_is_approved_by_another_city_admin(client_with, headers):
    with client_with(export_approval_rows=2) as client:
        asked = client.post(API, json=PEOPLE, headers=headers["admin"]).json()
        assert asked["status"] == "awaiting_approval"
        own = client.post(f"{API}/{asked['id']}/approve", json={}, headers=headers["admin"])
        other = client.post(f"{API}/{asked['id']}/approve", json={}, headers=headers["admin2"])
    assert own.status_code == 403 and other.json()["status"] == "queued"


def test_progress_is_recorded_chunk_by_chunk(client_with, headers, db, settings, monkeypatch):
    seen: list[int] = []
    real = runner.repository.set_progress

    def recording(session, export_id, rows_done):
        seen.append(rows_done)
        real(session, export_id, rows_done)

    monkeypatch.setattr(runner, "CHUNK_ROWS", 2)
    monkeypatch.setattr(runner.repository, "set_progress", recording)
    with client_with(export_inline_rows=0) as client:
        asked = client.post(API, json=PEOPLE, headers=headers["admin"]).json()
        runner.run_queued(db, settings)
        done = client.get(f"{API}/{asked['id']}", headers=headers["admin"]).json()
    assert seen == [2, 4, 5] and done["rows_done"] == 5 and done["rows_total"] == 5


def test_a_failure_leaves_no_file(client_with, headers, db, settings, monkeypatch):
    calls = []
    people = kinds.kind_of("people")
    real = people.chunk

    def failing(session, actor, params, after, limit):
        calls.append(after)
        if len(calls) > 1:
            raise RuntimeError("database went away")
        return real(session, actor, params, after, limit)

    monkeypatch.setattr(runner, "CHUNK_ROWS", 2)
    monkeypatch.setitem(kinds.KINDS, "people", dataclasses.replace(people, chunk=failing))
    with client_with(export_inline_rows=0) as client:
        asked = client.post(API, json=PEOPLE | {"format": "xlsx"}, headers=headers["admin"])
        assert runner.run_queued(db, settings) == [(asked.json()["id"], "failed")]
        status = client.get(f"{API}/{asked.json()['id']}", headers=headers["admin"]).json()
        got = client.get(f"{API}/{asked.json()['id']}/file", headers=headers["admin"])
    assert status["status"] == "failed" and "database went away" in status["error"]
    assert got.status_code == 409
    assert list(settings.export_dir.iterdir()) == []  # no part file, no half file


def test_every_step_is_audited(client_with, headers, db, settings, session):
    with client_with(export_approval_rows=2) as client:
        asked = client.post(API, json=PEOPLE, headers=headers["officer"]).json()
        client.post(f"{API}/{asked['id']}/approve", json={}, headers=headers["admin"])
        runner.run_queued(db, settings)
        client.get(f"{API}/{asked['id']}/file", headers=headers["officer"])
        denied = client.post(API, json=PEOPLE, headers=headers["officer"]).json()
        client.post(f"{API}/{denied['id']}/deny", json={}, headers=headers["admin"])
    rows = session.scalars(
        select(AuditLog).where(AuditLog.object_type == "export").order_by(AuditLog.id)
    ).all()
    actions = [(r.action, r.object_id) for r in rows]
    first, second = str(asked["id"]), str(denied["id"])
    assert actions == [
        ("export.request", first),
        ("export.approve", first),
        ("export.download", first),
        ("export.request", second),
        ("export.deny", second),
    ]


@pytest.mark.parametrize(
    ("body", "role", "status", "code"),
    [
        ({"kind": "secrets", "format": "csv"}, "officer", 422, "export.unknown_kind"),
        ({"kind": "people", "format": "pdf"}, "officer", 422, "export.unknown_format"),
        ({"kind": "people", "params": {"region": "230103"}}, "officer", 403,
         "export.region_out_of_jurisdiction"),
        ({"kind": "people"}, "sampler", 403, "auth.forbidden"),
        ({"kind": "people", "params": {"flags": ["rich"]}}, "officer", 422, "request.invalid"),
    ],
)  # fmt: skip
def test_bad_requests(app_client, headers, session, body, role, status, code):
    answer = app_client.post(API, json=body, headers=headers[role])
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert answer.json()["code"] == code
    assert session.scalars(select(Export)).all() == []


def test_others_exports_are_not_found(app_client, headers):
    mine = app_client.post(API, json=PEOPLE, headers=headers["officer"]).json()
    for role in ("peer", "nangang", "admin"):
        for suffix in ("", "/file"):
            got = app_client.get(f"{API}/{mine['id']}{suffix}", headers=headers[role])
            assert got.status_code == 404 and got.json()["code"] == "export.not_found"
    listed = app_client.get(API, headers=headers["peer"]).json()
    assert listed["items"] == []
    assert [e["id"] for e in app_client.get(API, headers=headers["officer"]).json()["items"]] == [
        mine["id"]
    ]
