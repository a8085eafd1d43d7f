"""The citizen pages: sign in by form, the code card, its refresh, appeals, signing out."""

from __future__ import annotations

import re

import pytest

from citizens.factories import raise_fact
from fangkong.policy.types import Reason


def _csrf(html: str) -> str:
    return html.split('name="csrf_token" value="')[1].split('"', maxsplit=1)[0]


def _page_sign_in(client, codes, phone: str, next_url: str = "/me"):
    login = client.get(f"/me/login?next={next_url}")
    assert login.status_code == 200 and 'name="phone"' in login.text
    sent = client.post(
        "/me/login/code", data={"phone": phone, "next": next_url, "csrf_token": _csrf(login.text)}
    )
    assert sent.status_code == 200 and 'name="code"' in sent.text
    return client.post(
        "/me/login",
        data={
            "phone": phone,
            "code": codes.last(),
            "next": next_url,
            "csrf_token": _csrf(sent.text),
        },
        follow_redirects=False,
    )


@pytest.fixture
def signed_in(app_client, codes, resident):
    response = _page_sign_in(app_client, codes, resident.phone)
    assert response.status_code == 303 and response.headers["location"] == "/me"
    return app_client


def test_pages_need_a_signed_in_citizen(app_client):
    for url in ("/me", "/me/card", "/me/appeal", "/me/logout"):
        response = app_client.get(url, follow_redirects=False)
        assert response.status_code == 303, url
        assert response.headers["location"] == f"/me/login?next={url}"
    htmx = app_client.get("/me/card", headers={"HX-Request": "true"})
    assert htmx.status_code == 204 and htmx.headers["HX-Redirect"].startswith("/me/login")


def test_signing_in_sets_a_safe_cookie(app_client, codes, resident):
    response = _page_sign_in(app_client, codes, resident.phone)
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("fk_citizen=fkc_")
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie.replace("Lax", "lax")
    assert "Secure" not in cookie  # test settings: plain HTTP


def test_the_cookie_is_secure_when_the_settings_say_so(settings, db, codes, resident):
    from fastapi.testclient import TestClient

    from fangkong.main import create_app

    secure = settings.model_copy(update={"secure_cookies": True})
    with TestClient(create_app(secure, database=db), base_url="https://testserver") as client:
        response = _page_sign_in(client, codes, resident.phone)
    assert "Secure" in response.headers["set-cookie"]


def test_a_wrong_code_shows_an_error_and_counts(app_client, codes, resident, session):
    login = app_client.get("/me/login")
    sent = app_client.post(
        "/me/login/code", data={"phone": resident.phone, "csrf_token": _csrf(login.text)}
    )
    wrong = "".join(str((int(c) + 1) % 10) for c in codes.last())
    response = app_client.post(
        "/me/login", data={"phone": resident.phone, "code": wrong, "csrf_token": _csrf(sent.text)}
    )
    assert response.status_code == 400 and 'data-code="citizen.otp_invalid"' in response.text
    from sqlalchemy import select

    from fangkong.models.citizen import CitizenOtp

    assert session.scalars(select(CitizenOtp.attempts)).one() == 1


def test_forms_need_the_csrf_token(app_client, resident, codes):
    app_client.get("/me/login")
    response = app_client.post("/me/login/code", data={"phone": resident.phone})
    assert response.status_code == 403
    assert codes.lines() == []


def test_the_next_page_stays_on_the_site(app_client, codes, resident):
    response = _page_sign_in(app_client, codes, resident.phone, next_url="//evil.example")
    assert response.headers["location"] == "/me"


def test_the_code_page_shows_a_coloured_qr_and_the_masked_name(signed_in, session, resident):
    page = signed_in.get("/me")
    assert page.status_code == 200
    html = page.text
    assert 'class="code-card code-green"' in html and "<svg" in html
    assert "王*明" in html and "王小明" not in html and resident.phone not in html
    assert 'id="clock"' in html and "/static/js/me.js" in html
    assert re.search(r'hx-trigger="refresh, every \d+s"', html)
    assert "<script>" not in html and "style=" not in html  # the CSP forbids both inline
    raise_fact(session, resident.person.id, Reason.CONTACT_CLOSE)
    session.commit()
    card = signed_in.get("/me/card", headers={"HX-Request": "true"})
    assert card.status_code == 200 and "code-red" in card.text
    assert f'data-code="{Reason.CONTACT_CLOSE.value}"' in card.text
    assert "<html" not in card.text


def test_each_card_carries_a_new_payload(signed_in):
    def payload(html: str) -> str:
        return html.split('data-payload="')[1].split('"', maxsplit=1)[0]

    assert payload(signed_in.get("/me/card").text) != payload(signed_in.get("/me/card").text)


def test_the_page_speaks_english(signed_in):
    html = signed_in.get("/me?lang=en").text
    assert "Green code" in html and 'lang="en"' in html


def test_an_appeal_is_filed_from_the_page(signed_in):
    page = signed_in.get("/me/appeal")
    assert page.status_code == 200 and 'name="text"' in page.text
    response = signed_in.post(
        "/me/appeal",
        data={"text": "我的核酸是阴性\r\n请复核", "csrf_token": _csrf(page.text)},
        follow_redirects=False,
    )
    assert response.status_code == 303
    listed = signed_in.get(response.headers["location"]).text
    assert 'data-testid="filed"' in listed and 'data-status="open"' in listed
    assert "我的核酸是阴性" in listed
    empty = signed_in.post("/me/appeal", data={"text": "  ", "csrf_token": _csrf(page.text)})
    assert empty.status_code == 422 and "citizen.appeal_text_invalid" in empty.text


def test_signing_out_from_the_page(signed_in):
    page = signed_in.get("/me/logout")
    response = signed_in.post(
        "/me/logout", data={"csrf_token": _csrf(page.text)}, follow_redirects=False
    )
    assert response.status_code == 303 and response.headers["location"] == "/me/login"
    assert signed_in.get("/me", follow_redirects=False).status_code == 303


def test_the_sign_in_page_sends_a_signed_in_citizen_on(signed_in):
    response = signed_in.get("/me/login?next=/me/appeal", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/me/appeal"
