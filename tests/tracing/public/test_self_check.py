"""The citizen's self-check: a scan 20 minutes from a published stop matches, one 2 hours away
does not (the edition's 30-minute window); an overlay edition with another window changes the
answer; a withdrawn publication no longer matches; a citizen sees only their own scans."""

from __future__ import annotations

from datetime import datetime

import pytest

from fangkong.models.venue import Venue
from fangkong.policy import service as policy
from fangkong.policy.loader import load_edition_file
from outbreak_world import at, make_resident
from testing.citizen.helpers import citizen_token
from tracing.public.helpers import case_with_places, publish_all
from tracing.trajectories.helpers import make_scan

SELF_CHECK = "/api/v1/me/self-check"


@pytest.fixture
def published(session, settings, world):
    """A case at 光影影院 at 2 Nov 19:00, published; a citizen there at 19:20 and at 21:00."""
    case = case_with_places(session, settings)
    publication = publish_all(session, case)
    cinema = session.query(Venue).filter_by(name="光影影院").one()
    citizen = make_resident(session, settings, name="自查居民")
    make_scan(session, citizen, cinema, at(2, 19, 20))
    make_scan(session, citizen, cinema, at(2, 21))
    neighbour = make_resident(session, settings, name="邻居")
    session.commit()
    return {"citizen": citizen_token(session, citizen), "publication": publication,
            "neighbour": citizen_token(session, neighbour)}  # fmt: skip


def _check(app_client, token, lang="en"):
    response = app_client.get(SELF_CHECK, params={"lang": lang},
                              headers={"Authorization": f"Bearer {token}"})  # fmt: skip
    assert response.status_code == 200, response.text
    return response.json()


def test_a_scan_20_minutes_away_matches_and_2_hours_away_does_not(app_client, session, published):
    session.commit()
    result = _check(app_client, published["citizen"])
    assert result["window_minutes"] == 30
    [match] = result["matches"]
    assert (match["place"], match["label"]) == ("光影影院", "病例1")
    assert datetime.fromisoformat(match["scanned_at"]) == at(2, 19, 20)
    assert datetime.fromisoformat(match["stop_start_at"]) == at(2, 19)
    assert "community" in result["advice"]
    assert _check(app_client, published["neighbour"])["matches"] == []


def test_another_editions_window_changes_the_answer(
    app_client, session, published, tmp_path, monkeypatch
):
    overlay = tmp_path / "test-wide-window.yaml"
    overlay.write_text(
        "id: test-wide-window\nbase: cn-9th-2022-06\ntitle: 测试\ntitle_en: Test\n"
        "effective_on: 2022-11-01\nsource: test\ncontacts:\n  same_place_window_minutes: 150\n",
        encoding="utf-8",
    )
    wide = load_edition_file(overlay)
    monkeypatch.setattr(policy, "active_edition", lambda *_a, **_k: wide)
    result = _check(app_client, published["citizen"])
    assert result["window_minutes"] == 150 and len(result["matches"]) == 2
    narrow = wide.model_copy(update={"contacts": wide.contacts.model_copy(
        update={"same_place_window_minutes": 10})})  # fmt: skip
    monkeypatch.setattr(policy, "active_edition", lambda *_a, **_k: narrow)
    assert _check(app_client, published["citizen"])["matches"] == []


def test_a_withdrawn_publication_no_longer_matches(app_client, session, published):
    from fangkong.tracing.public import service
    from outbreak_world import ADMIN

    service.withdraw(session, actor=ADMIN, publication_id=published["publication"].id)
    session.commit()
    assert _check(app_client, published["citizen"])["matches"] == []
