"""Who may reach the round and key-group routes: 401 anonymous, 403 without the permission
(and readers cannot change), 404 for another district's round."""

from __future__ import annotations

import pytest

from testing.campaigns.helpers import API, GROUPS, new_round
from testing.world import DAOLI


@pytest.fixture
def campaign_id(session, staff):
    campaign = new_round(session, (DAOLI,))
    session.commit()
    return campaign.id


def read_urls(campaign_id):
    url = f"{API}/{campaign_id}"
    return [
        f"{url}", f"{url}/coverage", f"{url}/untested", f"{url}/untested.xlsx",
    ]  # fmt: skip


LISTS = [API, GROUPS, f"{GROUPS}/overdue", f"{GROUPS}/overdue/summary", f"{GROUPS}/overdue.xlsx"]


def change_urls(campaign_id):
    return [f"{API}/{campaign_id}/close", f"{API}/{campaign_id}/refresh-target"]


def test_anonymous_is_401(app_client, campaign_id):
    for url in [*read_urls(campaign_id), *LISTS]:
        response = app_client.get(url)
        assert response.status_code == 401, url
        assert response.json()["code"] == "auth.required"
    for url in [API, *change_urls(campaign_id)]:
        assert app_client.post(url, json={}).status_code == 401, url


@pytest.mark.parametrize("role", ["lab", "sampler", "inspector"])
def test_roles_without_testing_read_get_403(app_client, staff, campaign_id, role):
    for url in [*read_urls(campaign_id), *LISTS]:
        response = app_client.get(url, headers=staff[role])
        assert response.status_code == 403, (role, url)
        assert response.json()["code"] == "auth.forbidden"


def test_readers_cannot_change(app_client, staff, campaign_id):
    for url in [API, *change_urls(campaign_id)]:
        response = app_client.post(url, json={}, headers=staff["worker"])
        assert response.status_code == 403, url


def test_another_districts_round_is_404(app_client, staff, campaign_id):
    for url in read_urls(campaign_id):
        response = app_client.get(url, headers=staff["nangang"])
        assert response.status_code == 404, url
        assert response.json()["code"] == "testing.campaign_not_found"
    for url in change_urls(campaign_id):
        assert app_client.post(url, headers=staff["nangang"]).status_code == 404, url
    listed = app_client.get(API, headers=staff["nangang"]).json()
    assert listed["items"] == []
