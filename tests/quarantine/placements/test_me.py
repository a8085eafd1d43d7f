"""The person's own daily check-in on ``/me/quarantine``: the active placement shown, a check-in
recorded by the person (a second the same day replaces it), 35–42 °C or refused, and a person
under no measure told so."""

from __future__ import annotations

import re

from fangkong.models.quarantine import CheckIn
from outbreak_world import make_placement, make_resident
from testing.citizen.helpers import citizen_headers


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match
    return match.group(1)


def test_self_check_in(app_client, session, settings):
    person = make_resident(session, settings)
    placement = make_placement(session, person, measure="home_monitoring")
    headers = citizen_headers(session, person)
    session.commit()
    page = app_client.get("/me/quarantine?lang=en", headers=headers)
    assert page.status_code == 200 and "Home health monitoring" in page.text
    token = csrf_of(page.text)
    for temperature in ("36.4", "37.9"):
        done = app_client.post(
            "/me/quarantine",
            headers=headers,
            follow_redirects=False,
            data={"csrf_token": token, "temperature": temperature},
        )
        assert done.status_code == 303
    [row] = session.query(CheckIn).filter_by(placement_id=placement.id).all()
    assert (row.temperature, row.by_person) == (37.9, True)
    cold = app_client.post(
        "/me/quarantine", headers=headers, data={"csrf_token": token, "temperature": "30"}
    )
    assert cold.status_code == 422


def test_no_measure_and_no_login(app_client, session, settings):
    person = make_resident(session, settings)
    headers = citizen_headers(session, person)
    session.commit()
    page = app_client.get("/me/quarantine", headers=headers)
    assert page.status_code == 200 and 'data-testid="no-placement"' in page.text
    assert app_client.get("/me/quarantine", follow_redirects=False).status_code in (302, 303)
