"""Passenger records on the person's timeline (``fangkong.people.timeline``), for roles that
read tracing."""

from __future__ import annotations

from factories import auth_headers, make_user
from outbreak_world import at, make_resident
from tracing.trajectories.helpers import make_travel


def test_a_train_shows_on_the_persons_timeline(app_client, session, settings, staff):
    person = make_resident(session, settings)
    make_travel(session, person, at(2, 8), at(2, 12))
    session.commit()
    url = f"/api/v1/people/{person.id}/timeline"
    en = app_client.get(url, params={"lang": "en"}, headers=staff["officer"]).json()
    assert [e["text"] for e in en if e["domain"] == "tracing"] == [
        "Travelled by train G1234, 哈尔滨西→长春, seat 05 12F"
    ]


def test_roles_that_do_not_read_tracing_do_not_see_travel(app_client, session, settings, staff):
    person = make_resident(session, settings)
    make_travel(session, person, at(2, 8), at(2, 12))
    sampler = make_user(session, role="sampler", region_code="230102")
    session.commit()
    got = app_client.get(f"/api/v1/people/{person.id}/timeline",
                         headers=auth_headers(settings, sampler))  # fmt: skip
    assert [e for e in got.json() if e["domain"] == "tracing"] == []
