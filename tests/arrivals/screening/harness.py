"""The screening part of arrivals in the generic harness (``tests/harness``): per district a
resident arrived 30 hours ago (screening overdue, escalated, the unscreened fact raised by the
escalation service), a second one whose screening the grid worker recorded; the id kinds of
the task routes, and the bad inputs of screening and the figures.

Trips and tasks are the intake engineer's to create; the seed writes them directly (as
``tests/arrivals/world.make_trip`` does) and then runs this sub-package's own services.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy.orm import Session

from factories import resident_id
from fangkong.arrivals.screening import service
from fangkong.arrivals.screening.schemas import Outcome, ScreenIn
from fangkong.config import Settings
from fangkong.core import clock
from fangkong.core.masking import mask_person_name
from fangkong.core.principal import Principal
from fangkong.models import Person
from fangkong.models.arrivals import ArrivalReport, ArrivalTask, Trip
from fangkong.people import service as people
from fangkong.people.protect import Protector
from fangkong.people.schemas import PersonCreate
from harness.registry import BadInput, District, Domain, Ids, Seeded, register

BASE = "/api/v1/arrivals"
TASKS = f"{BASE}/tasks"
HOURS = "hours overdue are counted to the current minute, so they move between calls"


def _actor(district: District) -> Principal:
    return Principal(id=None, username="probe-screening", role="district_officer",
                     region_code=district.code)  # fmt: skip


def _resident(session: Session, settings: Settings, district: District, n: int) -> Person:
    number = resident_id(5000 + int(district.code) % 1000 * 4 + n, region=district.code)
    name = f"{district.tag[-1]}抵返排查{n}"  # masked: 甲****1, distinct per district
    data = PersonCreate(name=name, id_number=number, grid_code=district.grid)
    protector = Protector(settings.data_key_bytes)
    return people.create_person(session, actor=_actor(district), protector=protector, data=data)[0]


def _trip(session: Session, person: Person, hours_ago: int) -> dict[str, ArrivalTask]:
    at = clock.now() - timedelta(hours=hours_ago)
    place = {"origin_province": "北京市", "origin_city": "北京市", "origin_district": "朝阳区",
             "origin_code": "110105", "arrived_at": at}  # fmt: skip
    trip = Trip(person_id=person.id, channels=["self"], grade="none", matched_area_ids=[],
                measure="none", test_days=[], edition_id="cn-9th-2022-06",
                grid_code=person.grid_code, **place)  # fmt: skip
    session.add(trip)
    session.flush()
    session.add(ArrivalReport(channel="self", person_id=person.id, trip_id=trip.id,
                              region_code=person.grid_code, **place))  # fmt: skip
    tasks = {kind: ArrivalTask(trip_id=trip.id, person_id=person.id, kind=kind,
                               grid_code=person.grid_code, arrived_at=at,
                               due_at=at + timedelta(hours=24))
             for kind in ("landing_test", "screening")}  # fmt: skip
    session.add_all(tasks.values())
    session.flush()
    return tasks


def seed(session: Session, settings: Settings, district: District) -> Seeded:
    late = _resident(session, settings, district, 1)
    answered = _resident(session, settings, district, 2)
    overdue = _trip(session, late, 30)
    done = _trip(session, answered, 3)
    service.escalate(session)
    screened = ScreenIn(outcome=Outcome.INFORMED, note=f"{district.tag}已排查")
    service.screen(session, actor=_actor(district), task_id=done["screening"].id, data=screened)
    return Seeded(
        ids={"arrival_task": str(overdue["screening"].id),
             "landing_task": str(overdue["landing_test"].id),
             "done_task": str(done["screening"].id)},
        markers=(f"{district.tag}已排查", mask_person_name(late.name)),
    )  # fmt: skip


def _screen_in(ids: Ids) -> dict[str, Any]:
    return {"json": {"outcome": "informed", "note": "探针"}}


BAD_INPUTS = (
    BadInput("screening a landing test", "post", TASKS + "/{landing_task}/screen", 422,
             "arrival.not_a_screening", json={"outcome": "informed"}),
    BadInput("screening a task already screened", "post", TASKS + "/{done_task}/screen", 409,
             "arrival.task_closed", json={"outcome": "informed"}),
    BadInput("screening a task that does not exist", "post", TASKS + "/4611686018427387904/screen",
             404, "arrival.task_not_found", json={"outcome": "informed"}),
    BadInput("a screening with an outcome outside the list", "post",
             TASKS + "/{arrival_task}/screen", 422, "request.invalid", json={"outcome": "maybe"}),
    BadInput("a screening note over 500 characters", "post", TASKS + "/{arrival_task}/screen",
             422, "request.invalid", json={"outcome": "informed", "note": "长" * 501}),
    BadInput("the phone of a person who gave none", "post", TASKS + "/{arrival_task}/phone", 404,
             "arrival.no_phone"),
    BadInput("tasks of a status that does not exist", "get", TASKS, 422, "request.invalid",
             params={"status": "lost"}),
    BadInput("a to-do list page from a forged cursor", "get", TASKS, 422,
             "pagination.invalid_cursor", params={"cursor": "bm90LWEtY3Vyc29y"}),
    BadInput("overdue screenings at a level that does not exist", "get", BASE + "/overdue", 422,
             "request.invalid", params={"level": "planet"}),
    BadInput("overdue screenings of a region that does not exist", "get", BASE + "/overdue", 422,
             "arrival.region_invalid", params={"region": "230102999"}),
    BadInput("overdue screenings of another district", "get", BASE + "/overdue", 422,
             "arrival.region_invalid", params={"region": "230103"}),
    BadInput("an accountability report of a future day", "get", BASE + "/accountability", 422,
             "arrival.bad_date", params={"date": "2999-01-01"}),
    BadInput("an accountability report of a malformed day", "get", BASE + "/accountability", 422,
             "request.invalid", params={"date": "3 March"}),
    BadInput("an accountability report of a day before 2000", "get", BASE + "/accountability",
             422, "arrival.bad_date", params={"date": "0001-01-01"}),
    BadInput("tasks due before a time without a time zone", "get", TASKS, 422,
             "request.invalid", params={"due_before": "2026-03-03T12:00:00"}),
    BadInput("tasks due before the year 1", "get", TASKS, 422, "arrival.bad_date",
             params={"due_before": "0001-01-01T00:00:00+14:00"}),
    BadInput("figures of a future day", "get", BASE + "/figures", 422, "arrival.bad_date",
             params={"date": "2999-01-01"}),
    BadInput("an overview of another district", "get", BASE + "/overview", 422,
             "arrival.region_invalid", params={"region": "230103"}),
)  # fmt: skip


DOMAIN = register(
    Domain(
        name="arrivals.screening",
        prefixes=(
            TASKS,
            f"{BASE}/overdue",
            f"{BASE}/accountability",
            f"{BASE}/figures",
            f"{BASE}/overview",
        ),
        seed=seed,
        order=72,
        id_names={"task_id": "arrival_task"},
        requests={f"POST {TASKS}/{{task_id}}/screen": _screen_in},
        volatile={
            f"GET {TASKS}": HOURS,
            f"GET {BASE}/overdue": HOURS,
            f"GET {BASE}/accountability": HOURS + " (and the report's computed_at)",
            f"GET {BASE}/accountability.xlsx": HOURS,
        },
        bad_inputs=BAD_INPUTS,
    )
)
