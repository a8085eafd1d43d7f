"""The export pages in zh and en: the people list's Export buttons post its filters, my
exports with progress and download links, the approvals page with approve and deny."""

from __future__ import annotations

import re

from exports.helpers import csv_rows
from factories import web_login
from fangkong.exports import runner
from fangkong.models.exports import Export


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match
    return match.group(1)


def test_export_from_the_people_list(app_client, users, session):
    web_login(app_client, users["officer"].username)
    people = app_client.get("/people?q=钱")
    assert people.status_code == 200 and 'data-testid="people-export"' in people.text
    assert 'name="q" value="钱"' in people.text
    posted = app_client.post(
        "/exports",
        data={"csrf_token": csrf_of(people.text), "kind": "people", "format": "csv", "q": "钱"},
        follow_redirects=False,
    )
    assert posted.status_code == 303 and posted.headers["location"].startswith("/exports#export-")
    mine = app_client.get("/exports")
    assert mine.status_code == 200 and 'data-testid="export-download"' in mine.text
    export = session.query(Export).one()
    got = app_client.get(f"/exports/{export.id}/file")
    assert got.status_code == 200 and [r[1] for r in csv_rows(got.content)[1:]] == ["钱二"]


def test_a_bad_form_shows_the_error(app_client, users, session):
    web_login(app_client, users["officer"].username)
    token = csrf_of(app_client.get("/exports").text)
    bad = app_client.post(
        "/exports", data={"csrf_token": token, "kind": "secrets", "format": "csv"}
    )
    assert bad.status_code == 422 and 'data-code="export.unknown_kind"' in bad.text
    assert session.query(Export).count() == 0


def test_progress_is_polled_while_queued(client_with, users, db, settings):
    with client_with(export_inline_rows=0) as client:
        web_login(client, users["officer"].username)
        token = csrf_of(client.get("/exports").text)
        client.post("/exports", data={"csrf_token": token, "kind": "people", "format": "xlsx"})
        page = client.get("/exports")
        assert 'hx-trigger="every 2s"' in page.text and 'data-status="queued"' in page.text
        export_id = re.search(r'data-export="(\d+)"', page.text).group(1)  # type: ignore[union-attr]
        runner.run_queued(db, settings)
        row = client.get(f"/exports/{export_id}/row")
    assert row.status_code == 200 and 'data-status="ready"' in row.text
    assert "hx-trigger" not in row.text and 'value="3"' in row.text


def test_approvals_page_approves_and_denies(client_with, users, session):
    with client_with(export_approval_rows=2) as client:
        web_login(client, users["officer"].username)
        token = csrf_of(client.get("/exports").text)
        for _ in range(2):
            client.post("/exports", data={"csrf_token": token, "kind": "people", "format": "csv"})
        first, second = session.query(Export).order_by(Export.id).all()
        assert first.status == "awaiting_approval"
        client.cookies.clear()
        web_login(client, users["admin"].username)
        page = client.get("/exports/approvals")
        assert page.status_code == 200 and f'data-export="{first.id}"' in page.text
        token = csrf_of(page.text)
        approved = client.post(
            f"/exports/{first.id}/approve", data={"csrf_token": token, "note": "同意"},
            follow_redirects=False,
        )  # fmt: skip
        denied = client.post(f"/exports/{second.id}/deny", data={"csrf_token": token})
        assert approved.status_code == 303 and denied.status_code == 200
    session.expire_all()
    assert (first.status, second.status) == ("queued", "denied")


def test_pages_in_zh_and_en(app_client, users):
    web_login(app_client, users["admin"].username)
    zh = app_client.get("/exports/approvals")
    en = app_client.get("/exports/approvals?lang=en")
    mine = app_client.get("/exports?lang=en")
    assert zh.status_code == en.status_code == mine.status_code == 200
    assert 'lang="zh' in zh.text and 'lang="en' in en.text
    assert "Exports awaiting approval" in en.text and "My exports" in mine.text
    nav = app_client.get("/?lang=en").text
    assert 'href="/exports"' in nav and 'href="/exports/approvals"' in nav


def test_roles_without_exports_see_no_button(app_client, users):
    web_login(app_client, users["sampler"].username)
    assert app_client.get("/exports").status_code == 403
    people = app_client.get("/people")
    assert people.status_code == 200 and 'data-testid="people-export"' not in people.text
