"""A pushed list places its trips in bulk (``TripsClassified``): the placements, test days,
placement tasks and audit rows are what one self-report of the same journey makes; a trip
that already has its placement keeps it when a later list merges into it."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from arrivals.intake.helpers import NINTH, activate, journey, self_report, tasks_of, trips_of
from arrivals.world import make_resident, make_risk_area
from fangkong.arrivals.events import TripsClassified
from fangkong.arrivals.intake import importer, service
from fangkong.arrivals.intake.schemas import SelfReport
from fangkong.core import clock, events
from fangkong.core.principal import SYSTEM
from fangkong.models import AuditLog, Person
from fangkong.models.quarantine import Placement, QuarantineTest
from fangkong.people.protect import Protector

HEADER = "身份证号,手机号,姓名,来源省,来源市,来源区县,来源详细地址,出发日期,抵达时间,交通方式,车次航班车牌\n"
AREAS = {"high": "望京街道", "medium": "酒仙桥街道"}


def _row(settings, person: Person, area: str, hours_ago: float) -> str:
    number = Protector(settings.data_key_bytes).open_id(person.id_number_enc)
    at = (clock.now() - timedelta(hours=hours_ago)).astimezone(clock.LOCAL_TZ)
    return f"{number},,,北京市,北京市,朝阳区,{area},,{at:%Y-%m-%d %H:%M},火车,G1"


def _push(session: Session, settings, rows: list[str]) -> None:
    data = (HEADER + "\n".join(rows) + "\n").encode()
    importer.import_upload(session, settings, actor=SYSTEM, filename="push.csv", data=data)


def _placed(session: Session, person: Person) -> dict[str, object]:
    """The person's placements as comparable facts (ids and instants left out)."""
    [trip] = trips_of(session, person)
    placements = list(session.scalars(select(Placement).where(Placement.person_id == person.id)))
    [placement] = placements
    tests = session.scalars(select(QuarantineTest).where(QuarantineTest.placement_id == placement.id)
                            .order_by(QuarantineTest.day_no)).all()  # fmt: skip
    day0 = placement.day0_at.astimezone(clock.LOCAL_TZ).date()
    audits = session.scalars(select(AuditLog.action).where(
        AuditLog.object_type == "placement", AuditLog.object_id == str(placement.id))).all()  # fmt: skip
    done = tasks_of(session, trip, status="done")
    return {
        "placement": (placement.measure, placement.status, placement.basis, placement.days,
                      placement.test_days, placement.region_code, placement.household_id,
                      placement.edition_id, placement.trip_id == trip.id,
                      placement.day0_at == trip.arrived_at, placement.ends_at - placement.day0_at),
        "tests": [(t.day_no, t.status, (t.due_on - day0).days, t.person_id == person.id)
                  for t in tests],
        "audit": sorted(audits),
        "open_tasks": sorted(tasks_of(session, trip)),
        "done_tasks": {kind: task.done_ref == f"placement:{placement.id}"
                       for kind, task in done.items()},
    }  # fmt: skip


def _compared(session: Session, settings) -> tuple[dict[str, Person], dict[str, Person]]:
    """A high- and a medium-risk area; a resident of each who reported alone, and one of each
    left for the test to file another way."""
    activate(session, NINTH)
    for grade, area in AREAS.items():
        make_risk_area(session, grade=grade, area=area)
    alone = {grade: make_resident(session, settings) for grade in AREAS}
    other = {grade: make_resident(session, settings) for grade in AREAS}
    for grade, area in AREAS.items():
        self_report(session, alone[grade], area=area, hours_ago=3)
    return alone, other


def test_pushed_list_places_as_a_self_report_does(session, settings, world):
    alone, listed = _compared(session, settings)
    _push(session, settings, [_row(settings, listed[g], a, 3) for g, a in AREAS.items()])
    session.expire_all()
    for grade in AREAS:
        assert _placed(session, listed[grade]) == _placed(session, alone[grade])
    high, medium = _placed(session, listed["high"]), _placed(session, listed["medium"])
    assert high["placement"][:2] == ("centralized", "pending")
    assert "placement" in high["open_tasks"] and high["done_tasks"] == {}
    assert medium["placement"][:2] == ("home_isolation", "active")
    assert medium["done_tasks"] == {"placement": True}
    assert [t[0] for t in high["tests"]] == [1, 2, 3, 5, 7]


def test_a_later_list_merging_into_a_placed_trip_places_nothing_more(session, settings, world):
    activate(session, NINTH)
    make_risk_area(session, grade="high", area=AREAS["high"])
    person = make_resident(session, settings)
    _push(session, settings, [_row(settings, person, AREAS["high"], 2)])
    _push(session, settings, [_row(settings, person, AREAS["high"], 5)])  # earlier: reclassified
    session.expire_all()
    [trip] = trips_of(session, person)
    assert trip.report_count == 2 and trip.arrived_at < clock.now() - timedelta(hours=4)
    count = select(func.count()).select_from(Placement).where(Placement.person_id == person.id)
    assert session.scalar(count) == 1
    assert _placed(session, person)["placement"][:2] == ("centralized", "pending")


def test_reports_filed_together_place_as_reports_filed_alone(session, settings, world):
    """A queue of residents' reports is classified together and its trips placed in bulk:
    the same placements, tests, tasks and audit rows as each report filed by itself."""
    alone, together = _compared(session, settings)
    queue = [(together[g].id, SelfReport.model_validate(journey(area=a, hours_ago=3)))
             for g, a in AREAS.items()]  # fmt: skip
    service.self_reports(session, queue)
    session.expire_all()
    for grade in AREAS:
        assert _placed(session, together[grade]) == _placed(session, alone[grade])
    assert _placed(session, together["high"])["placement"][:2] == ("centralized", "pending")


def test_the_chunks_event_tells_new_trips_from_merged_ones(session, settings, world):
    """Placements look up only the trips that existed before the chunk (a new trip has none
    yet), so the event must mark a trip that a later list merged into as not new."""
    activate(session, NINTH)
    make_risk_area(session, grade="high", area=AREAS["high"])
    first, second = make_resident(session, settings), make_resident(session, settings)
    _push(session, settings, [_row(settings, first, AREAS["high"], 2)])
    seen: list[TripsClassified] = []

    def record(_session: Session, event: TripsClassified) -> None:
        seen.append(event)

    events.subscribe(TripsClassified)(record)
    try:
        _push(session, settings, [_row(settings, first, AREAS["high"], 5),
                                  _row(settings, second, AREAS["high"], 3)])  # fmt: skip
    finally:
        events.unsubscribe(TripsClassified, record)
    [event] = seen
    flags = {trip.person_id: trip.new for trip in event.trips}
    assert flags == {first.id: False, second.id: True}
    count = select(func.count()).select_from(Placement).where(Placement.person_id == second.id)
    assert session.scalar(count) == 1
