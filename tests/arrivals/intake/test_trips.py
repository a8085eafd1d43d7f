"""Merging reports into trips, classification per grade and edition, tasks, facts, and
reclassification (officer, a new report, the national list changing, a merge of people)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from arrivals.intake.helpers import (
    NINTH,
    TWENTIETH,
    activate,
    live_facts,
    self_report,
    tasks_of,
    trips_of,
)
from arrivals.world import ORIGIN_CODE, make_resident, make_risk_area
from fangkong.arrivals.events import RiskAreasChanged, TripClassified
from fangkong.arrivals.intake import service
from fangkong.arrivals.intake.schemas import ReclassifyIn
from fangkong.core import clock, events
from fangkong.core.principal import SYSTEM
from fangkong.models.arrivals import ArrivalReport

CASES = [
    # edition, grade listed (None: nothing), trip grade, measure, days, placement
    (NINTH, "high", "high", "centralized", 7, True),
    (NINTH, "medium", "medium", "home_isolation", 7, True),
    (NINTH, "low", "low", "self_monitor", 3, False),
    (NINTH, None, "none", "none", 0, False),
    (TWENTIETH, "high", "high", "home_isolation", 7, True),
    (TWENTIETH, "low", "low", "self_monitor", 3, False),
    (TWENTIETH, None, "none", "none", 0, False),
]


@pytest.mark.parametrize(("edition", "listed", "grade", "measure", "days", "placement"), CASES)
def test_classification_per_grade(
    session, settings, world, edition, listed, grade, measure, days, placement
):
    activate(session, edition)
    if listed:
        make_risk_area(session, grade=listed)
    person = make_resident(session, settings)
    report = self_report(session, person)
    [trip] = trips_of(session, person)
    assert report.trip_id == trip.id
    assert (trip.grade, trip.measure, trip.measure_days) == (grade, measure, days)
    assert trip.edition_id == edition
    tasks = tasks_of(session, trip, status=None)
    assert set(tasks) == {"landing_test", "screening"} | ({"placement"} if placement else set())
    if placement:  # the quarantine places a home measure at once; a room waits for an officer
        placed = measure != "centralized"
        assert tasks["placement"].status == ("done" if placed else "open")
    assert tasks["landing_test"].due_at == trip.arrived_at + timedelta(hours=24)
    assert tasks["screening"].due_at == trip.created_at + timedelta(hours=24)
    if days:
        assert trip.measure_ends_at == trip.arrived_at + timedelta(days=days)
    else:
        assert trip.measure_ends_at is None
    facts = live_facts(session, person)
    assert len(facts) == (1 if grade == "high" else 0)
    if facts:
        assert facts[0].ref == f"trip:{trip.id}"
        assert facts[0].until == trip.measure_ends_at


def test_medium_grade_is_unlisted_under_the_20th(session, settings, world):
    """The 20th edition has no medium grade: a medium area left on the list asks nothing."""
    activate(session, TWENTIETH)
    make_risk_area(session, grade="medium")
    person = make_resident(session, settings)
    self_report(session, person)
    [trip] = trips_of(session, person)
    assert (trip.grade, trip.measure) == ("medium", "none")


def test_affected_county_is_low(session, settings, world):
    activate(session, NINTH)
    make_risk_area(session, grade="high", area="望京街道")
    person = make_resident(session, settings)
    self_report(session, person, area="酒仙桥街道")
    [trip] = trips_of(session, person)
    assert (trip.grade, trip.affected_county, trip.measure) == ("low", True, "self_monitor")


def test_reports_inside_the_window_merge(session, settings, world):
    activate(session, NINTH)
    person = make_resident(session, settings)
    first = self_report(session, person, hours_ago=10)
    second = self_report(session, person, hours_ago=2)
    [trip] = trips_of(session, person)
    assert first.trip_id == second.trip_id == trip.id
    assert trip.report_count == 2
    assert trip.arrived_at == first.arrived_at


def test_reports_outside_the_window_open_a_new_trip(session, settings, world):
    activate(session, NINTH)
    person = make_resident(session, settings)
    self_report(session, person, hours_ago=60)
    self_report(session, person, hours_ago=2)
    assert len(trips_of(session, person)) == 2


def test_different_channels_merge_and_are_listed(session, settings, world):
    activate(session, NINTH)
    person = make_resident(session, settings)
    self_report(session, person, hours_ago=5)
    report = ArrivalReport(channel="pushed", person_id=person.id, origin_province="北京市",
                           origin_city="北京市", origin_district="朝阳区",
                           origin_code=ORIGIN_CODE, arrived_at=clock.now() - timedelta(hours=3),
                           region_code=person.grid_code)  # fmt: skip
    session.add(report)
    session.flush()
    from fangkong.arrivals.intake import trips
    from fangkong.healthcode import service as healthcode

    trips.attach(session, healthcode.current_edition(session), [report])
    [trip] = trips_of(session, person)
    assert trip.channels == ["self", "pushed"]
    assert trip.report_count == 2


def test_a_worse_origin_merged_in_wins(session, settings, world):
    """Safety first: a later report from a high-risk place raises the trip's grade."""
    activate(session, NINTH)
    make_risk_area(
        session, grade="high", county_code="310101", names=("上海市", "上海市", "黄浦区")
    )
    person = make_resident(session, settings)
    self_report(session, person, hours_ago=5)
    [trip] = trips_of(session, person)
    assert trip.grade == "none"
    self_report(session, person, hours_ago=3, origin=("上海市", "上海市", "黄浦区"))
    session.refresh(trip)
    assert (trip.grade, trip.origin_code, trip.measure) == ("high", "310101", "centralized")
    assert "placement" in tasks_of(session, trip)
    assert len(live_facts(session, person)) == 1
    # a milder report later does not lower it
    self_report(session, person, hours_ago=1)
    session.refresh(trip)
    assert trip.grade == "high"


def test_officer_correction_reclassifies_and_ends_the_fact(session, settings, world):
    activate(session, NINTH)
    make_risk_area(session, grade="high")
    person = make_resident(session, settings)
    self_report(session, person)
    [trip] = trips_of(session, person)
    assert len(live_facts(session, person)) == 1
    data = ReclassifyIn(origin_province="上海市", origin_city="上海市", origin_district="黄浦区",
                        note="报备地址有误")  # fmt: skip
    service.reclassify_trip(session, actor=SYSTEM, trip_id=trip.id, data=data)
    assert (trip.grade, trip.measure, trip.origin_code) == ("none", "none", "310101")
    assert live_facts(session, person) == []
    assert "placement" not in tasks_of(session, trip)
    assert "placement" in tasks_of(session, trip, status="cancelled")


def test_risk_areas_changed_reclassifies_open_trips(session, settings, world):
    activate(session, NINTH)
    person = make_resident(session, settings)
    self_report(session, person, departed_days_ago=1)
    [trip] = trips_of(session, person)
    assert trip.grade == "none"
    seen = []
    handler = events.subscribe(TripClassified)(lambda s, e: seen.append(e))
    try:
        area = make_risk_area(
            session, grade="medium", effective_from=clock.now() - timedelta(days=3)
        )
        events.publish(session, RiskAreasChanged((ORIGIN_CODE,), area.effective_from, None))
    finally:
        events.unsubscribe(TripClassified, handler)
    session.refresh(trip)
    assert (trip.grade, trip.measure) == ("medium", "home_isolation")
    assert [e.trip_id for e in seen] == [trip.id]


def test_risk_areas_changed_elsewhere_leaves_trips(session, settings, world):
    activate(session, NINTH)
    person = make_resident(session, settings)
    self_report(session, person)
    [trip] = trips_of(session, person)
    make_risk_area(
        session, grade="high", county_code="310101", names=("上海市", "上海市", "黄浦区")
    )
    events.publish(session, RiskAreasChanged(("310101",), clock.now() - timedelta(days=9), None))
    session.refresh(trip)
    assert trip.grade == "none"


def test_person_merged_repoints_reports_trips_and_tasks(session, settings, world):
    from fangkong.people.events import PersonMerged

    activate(session, NINTH)
    kept = make_resident(session, settings, name="李四")
    merged = make_resident(session, settings, name="李四")
    self_report(session, merged)
    events.publish(session, PersonMerged(merged_id=merged.id, kept_id=kept.id, actor=SYSTEM))
    [trip] = trips_of(session, kept)
    assert all(t.person_id == kept.id for t in tasks_of(session, trip).values())
    reports = session.scalars(select(ArrivalReport).where(ArrivalReport.trip_id == trip.id))
    assert [r.person_id for r in reports] == [kept.id]
