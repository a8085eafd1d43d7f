"""Policy editions over HTTP, on the page and on the command line; switching is audited."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, text

from factories import auth_headers, make_user, web_login
from fangkong.models import AuditLog, PolicyState
from fangkong.policy.loader import get_edition

API = "/api/v1/policy"
SHIPPED = ["cn-9th-2022-06", "cn-20-2022-11", "cn-new10-2022-12", "harbin-2022-12"]
DEFAULT = "cn-9th-2022-06"


def headers_for(session, settings, role: str = "city_admin", region: str = "230100"):
    user = make_user(session, role=role, region_code=region)
    session.commit()
    return auth_headers(settings, user)


def policy_audit(session) -> list[AuditLog]:
    return list(session.scalars(select(AuditLog).where(AuditLog.action == "policy.activate")))


def test_active_is_the_settings_default(app_client, session, settings):
    assert settings.policy == DEFAULT
    body = app_client.get(f"{API}/active", headers=headers_for(session, settings)).json()
    assert body["id"] == DEFAULT
    assert body == get_edition(DEFAULT).model_dump(mode="json")


def test_any_policy_reader_may_read(app_client, session, settings):
    headers = headers_for(session, settings, "lab", "230102")
    assert app_client.get(f"{API}/active", headers=headers).status_code == 200
    assert app_client.get(f"{API}/editions", headers=headers).status_code == 200


def test_anonymous_and_citizens_may_not_read(app_client, session, settings):
    assert app_client.get(f"{API}/active").status_code == 401
    assert app_client.get(f"{API}/editions").status_code == 401
    citizen = headers_for(session, settings, "citizen", "230102")
    response = app_client.get(f"{API}/active", headers=citizen)
    assert response.status_code == 403 and response.json()["code"] == "auth.forbidden"


def test_editions_lists_the_shipped_ones_with_exactly_one_active(app_client, session, settings):
    editions = app_client.get(f"{API}/editions", headers=headers_for(session, settings)).json()
    assert [e["id"] for e in editions] == SHIPPED  # by effective date
    assert [e["id"] for e in editions if e["active"]] == [DEFAULT]
    harbin = editions[-1]
    assert harbin == {
        "id": "harbin-2022-12",
        "title": "哈尔滨市疫情防控措施优化调整（2022年12月）",
        "title_en": "Harbin local measures, December 2022",
        "effective_on": "2022-12-08",
        "base": "cn-new10-2022-12",
        "active": False,
    }


def test_one_edition_and_an_unknown_one(app_client, session, settings):
    headers = headers_for(session, settings)
    body = app_client.get(f"{API}/editions/harbin-2022-12", headers=headers).json()
    assert body == get_edition("harbin-2022-12").model_dump(mode="json")
    assert body["id"] == "harbin-2022-12" and body["base"] == "cn-new10-2022-12"
    missing = app_client.get(f"{API}/editions/cn-99th", headers=headers)
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith("application/problem+json")
    assert missing.json()["code"] == "policy.edition_not_found"
    assert "cn-99th" in missing.json()["detail"]


def test_city_admin_switches_the_active_edition(app_client, session, settings):
    admin = make_user(session, role="city_admin", region_code="230100")
    session.commit()
    headers = auth_headers(settings, admin)
    response = app_client.put(
        f"{API}/active", json={"edition_id": "harbin-2022-12"}, headers=headers
    )
    assert response.status_code == 200, response.text
    assert response.json()["id"] == "harbin-2022-12" and response.json()["active"] is True

    assert app_client.get(f"{API}/active", headers=headers).json()["id"] == "harbin-2022-12"
    editions = app_client.get(f"{API}/editions", headers=headers).json()
    assert [e["id"] for e in editions if e["active"]] == ["harbin-2022-12"]
    state = session.get(PolicyState, 1)
    assert state.edition_id == "harbin-2022-12" and state.changed_by == admin.username
    [entry] = policy_audit(session)
    assert entry.actor_id == admin.id and entry.object_type == "policy"
    assert entry.object_id == "harbin-2022-12"
    assert entry.before == {"edition_id": DEFAULT}
    assert entry.after == {"edition_id": "harbin-2022-12"}

    # A second switch records the edition it replaced.
    app_client.put(f"{API}/active", json={"edition_id": "cn-20-2022-11"}, headers=headers)
    session.expire_all()
    assert session.get(PolicyState, 1).edition_id == "cn-20-2022-11"
    assert [(e.before, e.after) for e in policy_audit(session)][-1] == (
        {"edition_id": "harbin-2022-12"},
        {"edition_id": "cn-20-2022-11"},
    )


def test_district_officer_may_not_switch(app_client, session, settings):
    headers = headers_for(session, settings, "district_officer", "230102")
    response = app_client.put(
        f"{API}/active", json={"edition_id": "harbin-2022-12"}, headers=headers
    )
    assert response.status_code == 403
    assert session.get(PolicyState, 1) is None
    assert policy_audit(session) == []


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"edition_id": "cn-99th"}, 404, "policy.edition_not_found"),
        ({"edition_id": "../../etc/passwd"}, 404, "policy.edition_not_found"),
        ({}, 422, "request.invalid"),
        ({"edition_id": "harbin-2022-12", "force": True}, 422, "request.invalid"),
    ],
)
def test_bad_switch_writes_nothing(app_client, session, settings, body, status, code):
    headers = headers_for(session, settings)
    response = app_client.put(f"{API}/active", json=body, headers=headers)
    assert response.status_code == status
    assert response.json()["code"] == code
    assert session.get(PolicyState, 1) is None
    assert policy_audit(session) == []
    assert app_client.get(f"{API}/active", headers=headers).json()["id"] == DEFAULT


# --- the page ---------------------------------------------------------------------------


def test_policy_page_and_activate_form(app_client, session):
    admin = make_user(session, role="city_admin", region_code="230100")
    session.commit()
    web_login(app_client, admin.username)
    page = app_client.get("/policy")
    assert page.status_code == 200
    active = re.search(r'data-testid="active-edition">([^<]+)<', page.text)
    assert active and active.group(1) == get_edition(DEFAULT).title
    forms = re.findall(r'name="edition_id" value="([^"]+)"', page.text)
    assert sorted(forms) == sorted(set(SHIPPED) - {DEFAULT})  # none for the active edition
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)

    response = app_client.post(
        "/policy/activate",
        data={"csrf_token": token, "edition_id": "harbin-2022-12"},
        follow_redirects=False,
    )
    assert response.status_code == 303 and response.headers["location"] == "/policy"
    page = app_client.get("/policy")
    assert re.search(r'data-testid="active-edition">([^<]+)<', page.text).group(1) == (
        "哈尔滨市疫情防控措施优化调整（2022年12月）"
    )
    [entry] = policy_audit(session)
    assert entry.actor_id == admin.id and entry.after == {"edition_id": "harbin-2022-12"}


def test_policy_page_refuses_forged_and_unauthorised_switches(app_client, session):
    officer = make_user(session, role="district_officer", region_code="230102")
    session.commit()
    web_login(app_client, officer.username)
    page = app_client.get("/policy")
    assert page.status_code == 200
    assert 'action="/policy/activate"' not in page.text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    refused = app_client.post(
        "/policy/activate",
        data={"csrf_token": token, "edition_id": "harbin-2022-12"},
        follow_redirects=False,
    )
    assert refused.status_code == 403
    forged = app_client.post(
        "/policy/activate",
        data={"csrf_token": "x", "edition_id": "harbin-2022-12"},
        follow_redirects=False,
    )
    assert forged.status_code == 403
    assert session.get(PolicyState, 1) is None


# --- the CLI ----------------------------------------------------------------------------


def test_cli_list_show_and_activate(cli_home):
    url = cli_home.database_url
    listed, shown, unknown = cli_home.run(
        ("policy", "list"),
        ("policy", "show", "harbin-2022-12", "--json"),
        ("policy", "show", "cn-99th"),
    )
    assert listed.returncode == 0, listed.stderr
    rows = [(line[0], line[1:].split()) for line in listed.stdout.splitlines()]
    assert [(mark, words[0], words[1]) for mark, words in rows] == [
        ("*", DEFAULT, "2022-06-28"),
        (" ", "cn-20-2022-11", "2022-11-11"),
        (" ", "cn-new10-2022-12", "2022-12-07"),
        (" ", "harbin-2022-12", "2022-12-08"),
    ]

    assert shown.returncode == 0, shown.stderr
    assert json.loads(shown.stdout) == get_edition("harbin-2022-12").model_dump(mode="json")

    assert unknown.returncode == 2
    assert unknown.stdout == ""
    [line] = unknown.stderr.strip().splitlines()
    assert line.startswith("error: policy.edition_not_found: ") and "cn-99th" in line

    [activated] = cli_home.run(("policy", "activate", "harbin-2022-12"))
    assert activated.returncode == 0, activated.stderr
    assert activated.stdout.strip() == (
        "active edition: harbin-2022-12 (哈尔滨市疫情防控措施优化调整（2022年12月）)"
    )
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            assert (
                connection.scalar(text("SELECT edition_id FROM policy_state")) == "harbin-2022-12"
            )
            audit = (
                select(func.count())
                .select_from(AuditLog)
                .where(AuditLog.action == "policy.activate", AuditLog.actor_name == "cli")
            )
            assert connection.scalar(audit) == 1
    finally:
        engine.dispose()


def test_cli_check_names_every_bad_field(cli_home):
    shipped = Path(__file__).resolve().parents[2] / "src" / "fangkong" / "policies"
    good = shipped / "harbin-2022-12.yaml"
    bad = cli_home.home / "bad.yaml"
    text = (shipped / "cn-9th-2022-06.yaml").read_text(encoding="utf-8")
    bad.write_text(text.replace("centralized_days: 7", "centralized_days: -1") + "\nbogus_key: 1\n")
    ok, refused = cli_home.run(("policy", "check", good), ("policy", "check", bad))
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.startswith("ok: harbin-2022-12 ")
    assert refused.returncode == 2 and refused.stdout == ""
    [line] = refused.stderr.strip().splitlines()
    assert line.startswith("error: policy.invalid_edition: ")
    assert "contacts.close.centralized_days" in line and "bogus_key" in line
