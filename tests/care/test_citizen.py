"""A citizen's own livelihood requests (民生诉求): asked from their code page or the citizens'
API, taken inside a sealed or controlled zone (a medical visit from anywhere), refused
outside one with ``care.not_in_zone`` and nothing written; each citizen sees only their own."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from care.conftest import DAOLI_GRID, NANGANG_GRID, seal
from citizens.conftest import Codes, sign_in
from citizens.factories import make_resident as make_citizen
from fangkong.models.care import CareRequest

pytestmark = pytest.mark.usefixtures("districts")
MINE = "/api/v1/me/care-requests"


def _csrf(html: str) -> str:
    return html.split('name="csrf_token" value="')[1].split('"', maxsplit=1)[0]


def _requests(session) -> int:
    return session.scalar(select(func.count()).select_from(CareRequest))


@pytest.fixture
def people(session, settings):
    inside = make_citizen(session, settings, name="封控居民", phone="13812341001", grid=DAOLI_GRID)
    outside = make_citizen(session, settings, name="区外居民", phone="13812341002",
                           grid=NANGANG_GRID)  # fmt: skip
    seal(session, DAOLI_GRID)
    session.commit()
    return {"inside": inside, "outside": outside}


@pytest.fixture
def codes(caplog) -> Codes:
    caplog.set_level("INFO", logger="fangkong.citizens.senders")
    return Codes(caplog)


def _bearer(client, codes, phone: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {sign_in(client, codes, phone)}"}


def test_a_resident_in_a_zone_asks_and_sees_it(app_client, session, people, codes):
    inside = _bearer(app_client, codes, "13812341001")
    made = app_client.post(MINE, headers=inside, json={"kind": "food", "text": "需要米面"})
    assert made.status_code == 201, made.text
    body = made.json()
    assert body["by_citizen"] and body["channel"] == "livelihood" and body["zone_kind"] == "sealed"
    assert body["person_id"] == people["inside"].id and body["status"] == "new"
    assert [r["id"] for r in app_client.get(MINE, headers=inside).json()] == [body["id"]]
    row = session.get(CareRequest, body["id"])
    assert row.community_code == DAOLI_GRID[:12] and row.created_by is None


def test_one_outside_is_refused_but_a_medical_visit_is_taken(app_client, session, people, codes):
    outside = _bearer(app_client, codes, "13812341002")
    refused = app_client.post(MINE, headers=outside, json={"kind": "medicine", "text": "药"})
    assert refused.status_code == 422 and refused.json()["code"] == "care.not_in_zone"
    assert _requests(session) == 0
    bad = app_client.post(MINE, headers=outside, json={"kind": "legal_aid", "text": "咨询"})
    assert bad.status_code == 422 and _requests(session) == 0
    medical = app_client.post(MINE, headers=outside, json={"kind": "medical", "text": "透析"})
    assert medical.status_code == 201 and medical.json()["emergency"]
    assert app_client.get(MINE).status_code == 401


def test_another_citizen_cannot_see_it(app_client, session, people, codes):
    inside = _bearer(app_client, codes, "13812341001")
    outside = _bearer(app_client, codes, "13812341002")
    app_client.post(MINE, headers=inside, json={"kind": "food", "text": "封控区需要米面"})
    assert app_client.get(MINE, headers=outside).json() == []


def _page_sign_in(client, codes, phone: str) -> None:
    login = client.get("/me/login?next=/me/care")
    sent = client.post("/me/login/code", data={
        "phone": phone, "next": "/me/care", "csrf_token": _csrf(login.text)})  # fmt: skip
    done = client.post("/me/login", follow_redirects=False, data={
        "phone": phone, "code": codes.last(), "next": "/me/care",
        "csrf_token": _csrf(sent.text)})  # fmt: skip
    assert done.status_code == 303, done.text


def test_the_citizen_page_asks_and_lists(app_client, session, people, codes):
    _page_sign_in(app_client, codes, "13812341001")
    assert 'href="/me/care"' in app_client.get("/me").text
    page = app_client.get("/me/care?lang=en")
    assert page.status_code == 200 and "No requests yet." in page.text
    token = _csrf(page.text)
    bad = app_client.post("/me/care", data={"csrf_token": token, "kind": "taxi", "text": "车"})
    assert bad.status_code == 422 and 'data-code="care.form_invalid"' in bad.text
    assert _requests(session) == 0
    asked = app_client.post("/me/care", follow_redirects=False,
                            data={"csrf_token": token, "kind": "medicine", "text": "降压药"})  # fmt: skip
    assert asked.status_code == 303
    listed = app_client.get("/me/care?lang=en").text.split('data-testid="my-care-requests"')[1]
    assert "降压药" in listed and "Medicine" in listed and "New" in listed


def test_the_citizen_page_shows_the_zone_refusal(app_client, session, people, codes):
    _page_sign_in(app_client, codes, "13812341002")
    token = _csrf(app_client.get("/me/care").text)
    refused = app_client.post("/me/care", data={"csrf_token": token, "kind": "food", "text": "米"})
    assert refused.status_code == 422 and 'data-code="care.not_in_zone"' in refused.text
    assert ">米</textarea>" in refused.text and _requests(session) == 0
