"""The grid worker's screening (排查) and to-do list: done in their grid, refused for another
grid, the trip screened, the overdue fact ended, audited; the list masked and sorted."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from arrivals.screening.helpers import API, open_facts, task_of
from arrivals.world import OTHER_GRID, make_resident, make_trip
from fangkong.arrivals.screening import service
from fangkong.core import clock
from fangkong.models import AuditLog, PersonAccess
from fangkong.models.arrivals import ArrivalTask, Trip
from fangkong.models.healthcode import HealthCode


def _screen(client, task_id, headers, outcome="informed", note="已告知居家健康监测"):
    return client.post(f"{API}/tasks/{task_id}/screen", json={"outcome": outcome, "note": note},
                       headers=headers)  # fmt: skip


def test_the_grid_worker_screens_an_arrival(app_client, session, settings, staff):
    trip = make_trip(session, make_resident(session, settings))
    task = task_of(session, trip, "screening")
    session.commit()
    response = _screen(app_client, task.id, staff["worker"])
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["status"], body["outcome"], body["note"]) == (
        "done",
        "informed",
        "已告知居家健康监测",
    )
    session.expire_all()
    done = session.get(ArrivalTask, task.id)
    assert done.done_at is not None and done.done_by is not None
    assert session.get(Trip, trip.id).status == "screened"
    audit = session.scalars(select(AuditLog).where(AuditLog.action == "arrivals.task.screen")).one()
    assert audit.object_id == str(task.id) and audit.after["status"] == "done"
    again = _screen(app_client, task.id, staff["worker"])
    assert (again.status_code, again.json()["code"]) == (409, "arrival.task_closed")


def test_another_grid_is_refused_and_officers_above_may(app_client, session, settings, staff):
    trip = make_trip(session, make_resident(session, settings))
    task = task_of(session, trip, "screening")
    session.commit()
    refused = _screen(app_client, task.id, staff["other_worker"])
    assert (refused.status_code, refused.json()["code"]) == (404, "arrival.task_not_found")
    assert _screen(app_client, task.id, staff["nangang"]).status_code == 404
    session.expire_all()
    assert session.get(ArrivalTask, task.id).status == "open"
    assert _screen(app_client, task.id, staff["street"], outcome="at_home").status_code == 200


def test_bad_screenings_are_refused(app_client, session, settings, staff):
    trip = make_trip(session, make_resident(session, settings))
    landing = task_of(session, trip, "landing_test")
    screening = task_of(session, trip, "screening")
    session.commit()
    wrong = _screen(app_client, landing.id, staff["worker"])
    assert (wrong.status_code, wrong.json()["code"]) == (422, "arrival.not_a_screening")
    unknown = _screen(app_client, screening.id, staff["worker"], outcome="maybe")
    assert (unknown.status_code, unknown.json()["code"]) == (422, "request.invalid")
    long_note = _screen(app_client, screening.id, staff["worker"], note="x" * 501)
    assert long_note.status_code == 422
    missing = _screen(app_client, 2**62, staff["worker"])
    assert missing.status_code == 404
    sampler = _screen(app_client, screening.id, staff["sampler"])
    assert (sampler.status_code, sampler.json()["code"]) == (403, "auth.forbidden")
    session.expire_all()
    assert session.get(ArrivalTask, screening.id).status == "open"


def test_screening_ends_the_overdue_fact(app_client, session, settings, staff):
    person = make_resident(session, settings)
    trip = make_trip(session, person, arrived_at=clock.now() - timedelta(hours=30))
    task = task_of(session, trip, "screening")
    service.escalate(session)
    session.commit()
    assert [f.ref for f in open_facts(session, person.id)] == [f"trip:{trip.id}"]
    assert session.get(HealthCode, person.id).colour == "yellow"
    assert _screen(app_client, task.id, staff["worker"]).status_code == 200
    session.expire_all()
    assert open_facts(session, person.id) == []
    assert session.get(HealthCode, person.id).colour == "green"


def test_the_todo_list_is_the_callers_grid_masked_and_by_due_time(
    app_client, session, settings, staff
):
    mine = make_resident(session, settings, name="王小明")
    theirs = make_resident(session, settings, name="李小红", grid=OTHER_GRID)
    late = make_trip(session, mine, arrived_at=clock.now() - timedelta(hours=30))
    soon = make_trip(session, mine, arrived_at=clock.now() - timedelta(hours=1))
    make_trip(session, theirs)
    session.commit()
    listed = app_client.get(f"{API}/tasks", params={"kind": "screening"}, headers=staff["worker"])
    assert listed.status_code == 200, listed.text
    items = listed.json()["items"]
    assert [i["trip_id"] for i in items] == [late.id, soon.id]
    assert {i["name_masked"] for i in items} == {"王*明"}
    assert "王小明" not in listed.text and "李小红" not in listed.text
    assert items[0]["overdue"] and items[0]["hours_overdue"] >= 5.9
    overdue = app_client.get(f"{API}/tasks", params={"overdue": "true"}, headers=staff["worker"])
    assert {i["trip_id"] for i in overdue.json()["items"]} == {late.id}
    everyone = app_client.get(f"{API}/tasks", params={"limit": 3}, headers=staff["admin"])
    page = everyone.json()
    assert len(page["items"]) == 3 and page["next_cursor"]
    rest = app_client.get(f"{API}/tasks", params={"limit": 3, "cursor": page["next_cursor"]},
                          headers=staff["admin"])  # fmt: skip
    ids = [i["id"] for i in page["items"] + rest.json()["items"]]
    assert len(ids) == len(set(ids)) == 6
    dues = [i["due_at"] for i in page["items"] + rest.json()["items"]]
    assert dues == sorted(dues)
    bad = app_client.get(f"{API}/tasks", params={"cursor": "!!"}, headers=staff["worker"])
    assert (bad.status_code, bad.json()["code"]) == (422, "pagination.invalid_cursor")


def test_the_phone_is_revealed_only_to_roles_that_may_and_logged(
    app_client, session, settings, staff
):
    person = make_resident(session, settings, phone="13912345678")
    trip = make_trip(session, person)
    task = task_of(session, trip, "screening")
    session.commit()
    listed = app_client.get(f"{API}/tasks", headers=staff["worker"]).json()["items"]
    assert "13912345678" not in str(listed) and listed[0]["phone_masked"].startswith("139")
    shown = app_client.post(f"{API}/tasks/{task.id}/phone", headers=staff["worker"])
    assert shown.status_code == 200 and shown.json()["phone"] == "13912345678"
    assert app_client.post(f"{API}/tasks/{task.id}/phone", headers=staff["other_worker"]
                           ).status_code == 404  # fmt: skip
    logged = session.scalars(select(PersonAccess).where(PersonAccess.action == "reveal_phone"))
    assert [row.person_id for row in logged] == [person.id]
