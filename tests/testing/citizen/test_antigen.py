"""Antigen self-reports: a citizen files one with a photo sniffed from its bytes; a positive
reddens the code and owes a confirming NAT; officers list them and open photos (audited)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from fangkong.core import clock
from fangkong.models import AuditLog
from fangkong.models.testing import AntigenReport
from fangkong.models.testing import TestTask as Task
from fangkong.testing.citizen import service
from testing.citizen.helpers import JPEG, PNG, REPORTS, WEBP, citizen_headers, report
from testing.world import GRID, OTHER_GRID, make_resident


@pytest.fixture
def person(session, settings, world):
    return make_resident(session, settings, name="李小红")


@pytest.fixture
def me(session, person):
    headers = citizen_headers(session, person)
    session.commit()
    return headers


def code_of(app_client, headers):
    return app_client.get("/api/v1/me/health-code", headers=headers).json()


def test_negative_report_is_stored_without_a_task(app_client, session, person, me):
    response = report(app_client, me, photo=JPEG, filename="x.png")
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["result"] == "negative" and body["photo_type"] == "image/jpeg"
    row = session.get(AntigenReport, body["id"])
    assert row.photo == JPEG and row.region_code == GRID and row.person_id == person.id
    assert session.scalars(select(Task)).all() == []
    assert code_of(app_client, me)["colour"] == "green"
    audit = session.scalars(select(AuditLog).where(AuditLog.object_type == "antigen_report"))
    assert [a.action for a in audit] == ["testing.antigen_reported"]


def test_positive_report_reddens_and_owes_a_nat(app_client, session, person, me):
    response = report(app_client, me, result="positive", photo=WEBP, filename="x.jpg")
    assert response.status_code == 201, response.text
    report_id = response.json()["id"]
    assert response.json()["photo_type"] == "image/webp"
    [task] = session.scalars(select(Task).where(Task.person_id == person.id)).all()
    assert (task.kind, task.source_ref, task.status) == (
        "antigen_confirm",
        f"antigen:{report_id}",
        "open",
    )
    code = code_of(app_client, me)
    assert code["colour"] == "red"
    assert [r["code"] for r in code["reasons"]] == ["case.pending_confirmation"]
    mine = app_client.get("/api/v1/me/testing/results", headers=me).json()
    assert [(t["id"], t["kind"]) for t in mine["open_tasks"]] == [(task.id, "antigen_confirm")]
    listed = app_client.get("/api/v1/me/testing/antigen", headers=me).json()
    assert [r["id"] for r in listed] == [report_id]


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"photo": b"GIF89a" + b"\x00" * 40}, "testing.antigen.photo_type"),
        ({"photo": b"%PDF-1.4 not an image"}, "testing.antigen.photo_type"),
        ({"photo": PNG + b"\x00" * (5 * 1024 * 1024)}, "testing.antigen.photo_too_large"),
        ({"tested_at": clock.now() + timedelta(hours=2)}, "testing.antigen.tested_at_invalid"),
    ],
)
def test_bad_reports_write_nothing(app_client, session, me, change, code):
    response = report(app_client, me, result="positive", **change)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["code"] == code
    assert session.scalars(select(AntigenReport)).all() == []
    assert session.scalars(select(Task)).all() == []


def test_bad_form_fields_are_422(app_client, me):
    for data in ({"result": "maybe", "tested_at": clock.now().isoformat()}, {"result": "negative"}):
        files = {"photo": ("a.png", PNG, "image/png")}
        response = app_client.post("/api/v1/me/testing/antigen", data=data, files=files, headers=me)
        assert response.status_code == 422
    response = app_client.post(
        "/api/v1/me/testing/antigen",
        data={"result": "negative", "tested_at": clock.now().isoformat()},
        headers=me,
    )
    assert response.status_code == 422


def test_messages_in_chinese_and_english(app_client, me):
    bad = {"photo": b"nothing"}
    zh = report(app_client, {**me, "Accept-Language": "zh-CN"}, **bad).json()
    en = report(app_client, {**me, "Accept-Language": "en"}, **bad).json()
    assert en["title"] == "The photo must be a JPEG, PNG or WebP image."
    assert zh["code"] == en["code"] == "testing.antigen.photo_type"


def test_officers_list_filter_and_open_photos(app_client, session, settings, staff, me):
    other = make_resident(session, settings, name="赵大山", grid=OTHER_GRID)
    other_headers = citizen_headers(session, other)
    session.commit()
    first = report(app_client, me, result="positive").json()
    second = report(app_client, me, result="negative", photo=JPEG).json()
    report(app_client, other_headers, result="positive")

    listed = app_client.get(REPORTS, headers=staff["officer"]).json()["items"]
    assert [r["id"] for r in listed] == [second["id"], first["id"]]  # newest first, own district
    assert listed[1]["name"] == "李*红" and listed[1]["confirm_status"] == "open"
    positives = app_client.get(REPORTS, params={"result": "positive"}, headers=staff["officer"])
    assert [r["id"] for r in positives.json()["items"]] == [first["id"]]
    by_region = app_client.get(REPORTS, params={"region": "230103"}, headers=staff["officer"])
    assert by_region.json()["items"] == []
    worker = app_client.get(REPORTS, headers=staff["worker"]).json()["items"]
    assert len(worker) == 2
    later = app_client.get(
        REPORTS,
        params={"tested_from": (clock.now() + timedelta(minutes=1)).isoformat()},
        headers=staff["officer"],
    )
    assert later.json()["items"] == []

    photo = app_client.get(f"{REPORTS}/{second['id']}/photo", headers=staff["officer"])
    assert photo.status_code == 200
    assert photo.content == JPEG and photo.headers["content-type"] == "image/jpeg"
    assert photo.headers["cache-control"] == "no-store"
    viewed = session.scalars(
        select(AuditLog).where(AuditLog.action == "testing.antigen_photo_viewed")
    ).all()
    assert [(a.object_id, a.actor_id is not None) for a in viewed] == [(str(second["id"]), True)]


def test_paging(app_client, staff, me):
    ids = [report(app_client, me).json()["id"] for _ in range(3)]
    first = app_client.get(REPORTS, params={"limit": 2}, headers=staff["officer"]).json()
    assert [r["id"] for r in first["items"]] == ids[:0:-1]
    rest = app_client.get(
        REPORTS, params={"limit": 2, "cursor": first["next_cursor"]}, headers=staff["officer"]
    ).json()
    assert [r["id"] for r in rest["items"]] == [ids[0]] and rest["next_cursor"] is None


def test_a_negative_confirming_nat_clears_the_red(app_client, session, person, me):
    """What the results domain does when the person's single tube is negative: it closes the
    task, then calls ``end_cleared_antigens``."""
    report(app_client, me, result="positive")
    assert code_of(app_client, me)["colour"] == "red"
    [task] = session.scalars(select(Task).where(Task.person_id == person.id)).all()
    assert service.end_cleared_antigens(session, person_ids=[person.id]) == 0  # still open
    task.status, task.result, task.done_at = "done", "negative", clock.now()
    assert service.end_cleared_antigens(session, person_ids=[person.id]) == 1
    session.commit()
    assert code_of(app_client, me)["colour"] == "green"
