"""The person's timeline across domains: codes and tests beside the record's own events, each
only for roles that may read that domain, in the request's language."""

from __future__ import annotations

from datetime import timedelta

from factories import auth_headers, make_user, web_login
from fangkong.core import clock
from fangkong.core.events import publish
from fangkong.healthcode.events import FactRaised
from fangkong.models.testing import Tube
from fangkong.policy.types import Reason
from testing.world import make_resident, make_tube

API = "/api/v1/people"


def _person_with_history(session, settings):
    person = make_resident(session, settings, name="赵时间")
    publish(session, FactRaised(person.id, Reason.ZONE_SEALED, source="t", ref="z"))
    tube = make_tube(session, [person], sampled_at=clock.now() - timedelta(hours=3))
    stored = session.get(Tube, tube.id)
    stored.status, stored.result = "resulted", "negative"
    session.commit()
    return person


def test_the_api_lists_codes_and_tests_newest_first_in_the_request_language(
    app_client, session, settings, officer
):
    person = _person_with_history(session, settings)
    url = f"{API}/{person.id}/timeline"
    zh = app_client.get(url, headers=officer).json()
    assert [e["domain"] for e in zh] == ["health_code", "testing"]
    assert zh[0]["text"] == "健康码红码：封控区内人员"
    assert zh[0]["tone"] == "alert"
    assert zh[1]["text"] == "采样（混采管，筛查）：阴性"
    en = app_client.get(url, params={"lang": "en"}, headers=officer).json()
    assert en[0]["text"] == "Health code Red: Resident of a sealed area"
    assert en[1]["text"] == "Sampled (Pooled tube, Screening): negative"


def test_a_role_without_the_domains_sees_only_the_record(app_client, session, settings, officer):
    person = _person_with_history(session, settings)
    sampler = make_user(session, role="sampler", region_code="230102")
    session.commit()
    got = app_client.get(f"{API}/{person.id}/timeline", headers=auth_headers(settings, sampler))
    assert (got.status_code, got.json()) == (200, [])


def test_another_districts_person_is_not_found(app_client, session, settings, officer):
    person = _person_with_history(session, settings)
    nangang = make_user(session, role="district_officer", region_code="230103")
    session.commit()
    got = app_client.get(f"{API}/{person.id}/timeline", headers=auth_headers(settings, nangang))
    assert got.status_code == 404


def test_the_person_page_shows_them_beside_the_record_events(app_client, session, settings, grids):
    person = _person_with_history(session, settings)
    make_user(session, username="daoli", role="district_officer", region_code="230102")
    session.commit()
    web_login(app_client, "daoli")
    page = app_client.get(f"/people/{person.id}")
    assert 'data-testid="timeline-health_code"' in page.text
    assert "健康码红码：封控区内人员" in page.text
    assert "采样（混采管，筛查）：阴性" in page.text
    assert page.text.index("健康码红码") < page.text.index("采样（混采管")  # newest first
