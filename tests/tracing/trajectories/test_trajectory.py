"""The assembled trajectory of a hand-built case: scans, a trip, a train record and an interview
entry inside the trace-back window come back in time order, each with its source and reference;
a scan before the window does not. Interview entries: inside the window or refused, audited,
deleted."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from fangkong.healthcode.service import current_edition
from fangkong.models import AuditLog
from fangkong.models.tracing import InterviewEntry
from fangkong.tracing.trajectories import service
from fangkong.tracing.window import trace_window
from outbreak_world import ADMIN, at, make_case, make_resident
from tracing.trajectories.helpers import make_scan, make_travel, make_trip, make_venue

CASES = "/api/v1/cases"


def _case_with_places(session, settings):
    person = make_resident(session, settings, name="轨迹病例")
    case = make_case(session, person, sampled_at=at(3, 8))  # window: 30 Oct 00:00 to 3 Nov 14:00
    market, gym = make_venue(session, "道里菜市场"), make_venue(session, "健身房")
    made = {
        "early": make_scan(session, person, market, at(1, 0) - timedelta(days=5)),  # 27 Oct
        "trip": make_trip(session, person, at(1, 9)),
        "market": make_scan(session, person, market, at(1, 10)),
        "train": make_travel(session, person, at(2, 8), at(2, 12)),
        "gym": make_scan(session, person, gym, at(2, 19)),
    }
    session.commit()
    return case, made


def test_window_is_four_days_before_the_first_positive_sample(session, settings, world):
    person = make_resident(session, settings)
    case = make_case(session, person, sampled_at=at(3, 8))
    start, end = trace_window(case, current_edition(session))
    assert (start, end) == (at(3, 0) - timedelta(days=4), case.confirmed_at)


def test_trajectory_is_exactly_the_stops_inside_the_window_in_order(
    app_client, session, settings, staff
):
    case, made = _case_with_places(session, settings)
    entry = {"place": "朋友家聚餐", "start_at": at(2, 14).isoformat(),
             "end_at": at(2, 16).isoformat(), "activity": "聚餐"}  # fmt: skip
    added = app_client.post(f"{CASES}/{case.id}/interview", json=entry, headers=staff["epi"])
    assert added.status_code == 201, added.text
    response = app_client.get(f"{CASES}/{case.id}/trajectory", headers=staff["epi"])
    assert response.status_code == 200, response.text
    stops = response.json()["stops"]
    assert [(s["source"], s["ref"]) for s in stops] == [
        ("trip", f"trip:{made['trip'].id}"),
        ("scan", f"scan:{made['market'].id}"),
        ("travel", f"travel:{made['train'].id}"),
        ("interview", f"interview:{added.json()['id']}"),
        ("scan", f"scan:{made['gym'].id}"),
    ]
    assert [s["place"] for s in stops] == ["北京市朝阳区", "道里菜市场", "哈尔滨西→长春",
                                           "朋友家聚餐", "健身房"]  # fmt: skip
    assert stops[2]["detail"] == "G1234 05 12F" and stops[3]["end_at"] is not None
    assert service.trajectory_of(session, actor=ADMIN, case_id=case.id)[1].ref == stops[1]["ref"]


def test_interview_outside_the_window_or_backwards_is_refused(app_client, session, settings, staff):
    case, _ = _case_with_places(session, settings)
    url = f"{CASES}/{case.id}/interview"
    early = {"place": "某地", "start_at": at(1, 0).isoformat(), "end_at": at(1, 1).isoformat()}
    early["start_at"] = (at(1, 0) - timedelta(days=6)).isoformat()
    backwards = {"place": "某地", "start_at": at(2, 10).isoformat(), "end_at": at(2, 9).isoformat()}
    nowhere = {"place": "某地", "start_at": at(2, 9).isoformat(), "end_at": at(2, 10).isoformat(),
               "venue_id": 999999}  # fmt: skip
    for body, code in ((early, "trajectory.outside_window"),
                       (backwards, "trajectory.end_before_start"),
                       (nowhere, "trajectory.unknown_venue")):  # fmt: skip
        response = app_client.post(url, json=body, headers=staff["epi"])
        assert (response.status_code, response.json()["code"]) == (422, code)
    assert session.scalar(select(func.count(InterviewEntry.id))) == 0


def test_interview_entries_are_listed_deleted_and_audited(app_client, session, settings, staff):
    case, _ = _case_with_places(session, settings)
    url = f"{CASES}/{case.id}/interview"
    body = {"place": "超市", "start_at": at(2, 9).isoformat(), "end_at": at(2, 10).isoformat()}
    entry_id = app_client.post(url, json=body, headers=staff["epi"]).json()["id"]
    assert [e["id"] for e in app_client.get(url, headers=staff["epi"]).json()] == [entry_id]
    assert app_client.delete(f"{url}/{entry_id}", headers=staff["epi"]).status_code == 204
    assert app_client.delete(f"{url}/{entry_id}", headers=staff["epi"]).status_code == 404
    assert app_client.get(url, headers=staff["epi"]).json() == []
    actions = session.scalars(
        select(AuditLog.action).where(AuditLog.object_type == "interview_entry")
    )
    assert sorted(actions) == ["trajectory.interview_added", "trajectory.interview_deleted"]


def test_scans_of_a_record_merged_into_the_person_count(app_client, session, settings, staff):
    person = make_resident(session, settings, name="合并病例")
    duplicate = make_resident(session, settings, name="合并病例")
    duplicate.merged_into_id = person.id
    case = make_case(session, person)
    scan = make_scan(session, duplicate, make_venue(session, "合并商场"), at(2, 10))
    session.commit()
    stops = app_client.get(f"{CASES}/{case.id}/trajectory", headers=staff["epi"]).json()["stops"]
    assert [s["ref"] for s in stops] == [f"scan:{scan.id}"]
