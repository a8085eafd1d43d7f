"""Arrivals on the person's timeline (``fangkong.people.timeline``): each trip, for roles that
read arrivals."""

from __future__ import annotations

from arrivals.world import make_resident, make_trip
from factories import auth_headers, make_user


def test_a_trip_shows_on_the_persons_timeline(app_client, session, settings, staff):
    person = make_resident(session, settings)
    trip = make_trip(session, person, grade="high", measure="centralized")
    session.commit()
    url = f"/api/v1/people/{person.id}/timeline"
    zh = app_client.get(url, headers=staff["officer"]).json()
    assert [(e["domain"], e["text"], e["link"]) for e in zh if e["domain"] == "arrivals"] == [
        ("arrivals", "自北京市朝阳区抵达（高风险）：集中隔离", f"/arrivals/trips/{trip.id}")
    ]
    en = app_client.get(url, params={"lang": "en"}, headers=staff["officer"]).json()
    assert [e["text"] for e in en if e["domain"] == "arrivals"] == [
        "Arrived from 北京市朝阳区 (High risk): Centralized isolation"
    ]


def test_roles_that_do_not_read_arrivals_do_not_see_trips(app_client, session, settings, staff):
    person = make_resident(session, settings)
    make_trip(session, person)
    sampler = make_user(session, role="sampler", region_code="230102")
    session.commit()
    got = app_client.get(
        f"/api/v1/people/{person.id}/timeline", headers=auth_headers(settings, sampler)
    )
    assert [e for e in got.json() if e["domain"] == "arrivals"] == []
