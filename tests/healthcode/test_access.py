"""Who may read, change and decide health codes: 401, 403, and 404 outside the jurisdiction."""

from __future__ import annotations

import pytest

from factories import auth_headers, make_user
from fangkong.core.events import publish
from fangkong.healthcode import service
from fangkong.healthcode.events import FactRaised
from fangkong.policy.types import Reason

API = "/api/v1/health-code"
NANGANG_GRID = "230103001002003"
READ_URLS = [f"{API}/people/1", f"{API}/codes", f"{API}/counts"]
CHANGE_READS = [f"{API}/change-requests"]
APPEAL_READS = [f"{API}/appeals"]
POSTS = [
    f"{API}/people/1/facts",
    f"{API}/people/1/facts/1/end",
    f"{API}/negative-tests",
    f"{API}/change-requests",
    f"{API}/change-requests/1/approve",
    f"{API}/change-requests/1/reject",
    f"{API}/appeals/1/decide",
]


@pytest.fixture
def outside(session, make_person):
    """A person of 南岗区 with a fact, an appeal and a pending change."""
    person = make_person(NANGANG_GRID)
    publish(session, FactRaised(person.id, Reason.CONTACT_CLOSE, source="t", ref="c"))
    appeal = service.file_appeal(session, person.id, "南岗")
    session.commit()
    return person, appeal


def test_anonymous_is_401_everywhere(app_client):
    for url in READ_URLS + CHANGE_READS + APPEAL_READS:
        response = app_client.get(url)
        assert (response.status_code, response.json()["code"]) == (401, "auth.required"), url
    for url in POSTS:
        assert app_client.post(url, json={}).status_code == 401, url


@pytest.mark.parametrize("role", ["lab", "citizen", "venue_operator", "inspector", "sampler"])
def test_roles_without_health_code_read_get_403(app_client, session, settings, world, role):
    user = make_user(session, role=role, region_code="230102")
    session.commit()
    headers = auth_headers(settings, user)
    for url in READ_URLS + CHANGE_READS + APPEAL_READS:
        assert app_client.get(url, headers=headers).status_code == 403, url
    for url in POSTS:
        assert app_client.post(url, json={}, headers=headers).status_code == 403, url


@pytest.mark.parametrize("role", ["grid_worker", "epidemiologist"])
def test_readers_cannot_change_or_decide(app_client, session, settings, world, make_person, role):
    person = make_person()
    user = make_user(session, role=role, region_code="230102001002003")
    session.commit()
    headers = auth_headers(settings, user)
    assert app_client.get(f"{API}/people/{person.id}", headers=headers).status_code == 200
    for url in CHANGE_READS + APPEAL_READS:
        assert app_client.get(url, headers=headers).status_code == 403, url
    body = {"reason": "zone.sealed", "ref": "x"}
    facts = app_client.post(f"{API}/people/{person.id}/facts", json=body, headers=headers)
    assert facts.status_code == 403


def test_other_jurisdiction_answers_404(app_client, session, officers, outside):
    person, appeal = outside
    headers = officers["a"]
    code = app_client.get(f"{API}/people/{person.id}", headers=headers)
    assert (code.status_code, code.json()["code"]) == (404, "person.not_found")
    fact = app_client.post(
        f"{API}/people/{person.id}/facts", json={"reason": "zone.sealed", "ref": "x"},
        headers=headers,
    )  # fmt: skip
    assert fact.status_code == 404
    negative = app_client.post(
        f"{API}/negative-tests",
        json={"person_id": person.id, "sampled_at": "2024-05-01T00:00:00Z"},
        headers=headers,
    )
    assert negative.status_code == 404
    decide = app_client.post(
        f"{API}/appeals/{appeal.id}/decide", json={"decision": "rejected", "text": "x"},
        headers=headers,
    )  # fmt: skip
    assert decide.status_code == 404


def test_lists_never_cross_the_boundary(app_client, session, officers, outside, make_person):
    make_person()
    session.commit()
    headers = officers["a"]
    assert app_client.get(f"{API}/codes", headers=headers).json()["items"] == []
    assert app_client.get(f"{API}/codes?region=230103", headers=headers).json()["items"] == []
    assert app_client.get(f"{API}/counts", headers=headers).json() == {
        "red": 0,
        "yellow": 0,
        "green": 0,
    }
    assert app_client.get(f"{API}/appeals", headers=headers).json()["items"] == []
    nangang = app_client.get(f"{API}/counts", headers=officers["nangang"]).json()
    assert nangang["red"] == 1
