"""The outbreak driver on a small city: the platform's own pipeline reacts to the model's
outputs (fever-clinic positives → cases → contacts from the fed scans → placements), the
placements come back as the next day's controls, and the same seed gives the same run."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, time, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fangkong.arrivals.zones import service as zones
from fangkong.arrivals.zones.schemas import ZoneCreate
from fangkong.config import Settings
from fangkong.core import clock
from fangkong.healthcode import service as healthcode
from fangkong.models import KeyGroupMembership, Person, PersonAccess
from fangkong.models.arrivals import ArrivalReport, RiskArea, Trip
from fangkong.models.cases import Case
from fangkong.models.contacts import Contact, ContactLink
from fangkong.models.quarantine import Placement
from fangkong.models.scan import Scan
from fangkong.models.testing import Tube, TubeMember
from fangkong.people.protect import Protector
from fangkong.policy.types import ZoneKind
from fangkong.quarantine.placements import service as placements
from fangkong.simulate import city
from fangkong.simulate.driver import DEFAULT_START, DayLine, Driver, Options, arrivals
from fangkong.simulate.driver.arrivals import ORDINARY_ORIGIN, RISK_ORIGIN
from fangkong.simulate.driver.controls import read_controls
from fangkong.simulate.driver.errors import DriverError
from fangkong.simulate.driver.lab import is_positive
from fangkong.simulate.outbreak import CHANNELS, Day

PEOPLE, DAYS, SEED, SEED_CASES = 400, 5, 5, 20
SHORT = 4  # days enough for the first case and its contacts
CONVERTING_SEED = 11  # on this city, asymptomatic cases convert from day 3


def build_city(session: Session, settings: Settings) -> None:
    city.build_city(
        session, people=PEOPLE, seed=3, today=DEFAULT_START, now=datetime(2022, 10, 31, tzinfo=UTC),
        protector=Protector(settings.data_key_bytes),
    )  # fmt: skip


def run(
    session: Session, settings: Settings, seed: int = SEED, days: int = DAYS
) -> tuple[Driver, list[Day], list[DayLine]]:
    driver = Driver(settings, Options(days=days, seed=seed, seed_cases=SEED_CASES))
    driver.setup(session)
    steps = [driver.step(session) for _ in range(days)]
    return driver, [day for day, _ in steps], [line for _, line in steps]


@pytest.fixture
def outbreak(session, settings):
    build_city(session, settings)
    return run(session, settings)


def test_same_seed_same_platform_counts(session, settings):
    build_city(session, settings)
    runs = []
    for seed in (SEED, SEED, SEED + 1):
        with session.begin_nested() as nested:
            _driver, days, lines = run(session, settings, seed, SHORT)
            runs.append((lines, days[0].infections.infectee.tolist()))
            nested.rollback()
    assert runs[0] == runs[1]
    assert runs[0][0][-1].cases > 0 and runs[0][0][-1].placements > 0
    assert runs[0][1] != runs[2][1]  # another seed, other seed cases


def test_people_read_back_and_visits_become_scans_at_the_model_venues(session, outbreak):
    driver, days, lines = outbreak
    assert driver.city.population.size == session.scalar(select(func.count()).select_from(Person))
    assert [line.scans for line in lines] == [len(day.visits) for day in days]
    first = days[0].visits
    person, venue = (
        driver.city.person_id(int(first.person[0])),
        driver.places.venue_ids[int(first.venue[0])],
    )
    assert session.scalar(select(func.count()).select_from(Scan).where(
        Scan.person_id == person, Scan.venue_id == venue)) >= 1  # fmt: skip


def test_fever_clinic_positives_become_cases(session, outbreak):
    driver, days, lines = outbreak
    positive_visitors = {
        driver.city.person_id(int(p))
        for day in days
        for p in day.fever_clinic.person.tolist()
        if is_positive(driver.outbreak.health, p, day.day)
    }
    cases = session.execute(
        select(Case.person_id, Case.channel, Tube.site_id, Tube.purpose, Tube.campaign_id)
        .join(Tube, Tube.id == Case.tube_id)
    ).all()  # fmt: skip
    clinics = set(driver.places.sites.values())
    walk_ins = [c for c in cases if c.site_id in clinics and c.campaign_id is None]
    fever_cases = {c.person_id for c in walk_ins
                   if c.channel == "community_screening" and c.purpose == "screening"}  # fmt: skip
    assert fever_cases and fever_cases <= positive_visitors
    assert sum(line.positives for line in lines) >= len(fever_cases)
    # the rest: the command office's rounds, at its own sites, and retests at the clinics
    assert {c.site_id for c in cases} <= clinics | set(driver.command.sites.values())
    assert {c.purpose for c in cases if c.site_id not in clinics} <= {"screening"}


def test_cases_get_contacts_from_the_fed_scans_and_contacts_get_placements(session, outbreak):
    _driver, _days, _lines = outbreak
    venue_contacts = session.scalars(
        select(Contact.person_id).join(ContactLink, ContactLink.contact_id == Contact.id)
        .where(ContactLink.reason == "venue")
    ).all()  # fmt: skip
    assert venue_contacts
    placed = set(
        session.scalars(select(Placement.person_id).where(Placement.contact_id.is_not(None)))
    )
    confirmed = set(session.scalars(select(Contact.person_id).where(Contact.status == "confirmed")))
    assert confirmed and confirmed <= placed | _case_people(session)


def test_placed_people_are_isolated_in_the_next_days_controls(session, settings, outbreak):
    driver, _days, lines = outbreak
    placed = placements.people_placed(session, actor=driver.actor)
    isolated = {driver.city.person_id(int(i)) for i in driver.controls.isolated.tolist()}
    assert placed and set(placed) <= isolated
    assert _case_people(session) <= isolated
    assert lines[-1].isolated == len(isolated)


def test_quarantine_test_days_are_sampled_by_the_driver(session, outbreak):
    _driver, _days, lines = outbreak
    sampled_placed = session.scalar(
        select(func.count()).select_from(TubeMember)
        .join(Placement, Placement.person_id == TubeMember.person_id)
    )  # fmt: skip
    assert sampled_placed > 0
    assert sum(line.samples for line in lines) > sum(len(d.fever_clinic) for d in _days)


def test_key_group_members_are_sampled_at_eight_on_their_schedule(session, outbreak):
    """Each member of an edition key group never isolated in the run is sampled at 08:00 on
    day 0 and then every ``frequency_days`` (the shortest of their groups); nobody else is
    sampled at 08:00."""
    driver, days, _lines = outbreak
    every: dict[int, int] = {}
    groups = healthcode.current_edition(session).key_groups
    for person_id, group in session.execute(
        select(KeyGroupMembership.person_id, KeyGroupMembership.group)
    ):  # fmt: skip
        for g in groups:
            if str(group) in g.registry_groups:
                every[person_id] = min(every.get(person_id, g.frequency_days), g.frequency_days)
    isolated = _case_people(session) | set(session.scalars(select(Placement.person_id)))
    at_eight = {driver.local(day.day, time(8, 0)): day.day for day in days}
    sampled: dict[int, list[int]] = {}
    for person_id, at in session.execute(select(TubeMember.person_id, TubeMember.sampled_at)):
        if at in at_eight:
            sampled.setdefault(person_id, []).append(at_eight[at])
    assert set(sampled) <= set(every)
    steady = {p: f for p, f in every.items() if p not in isolated}
    assert {f for f in steady.values()} >= {1, 2}  # the city has daily and two-day members
    for person_id, frequency in steady.items():
        assert sorted(sampled[person_id]) == list(range(0, len(days), frequency)), person_id


def _case_people(session: Session) -> set[int]:
    return set(session.scalars(select(Case.person_id)))


def test_a_sealed_zone_locks_its_grids_in_the_controls(session, settings):
    build_city(session, settings)
    driver = Driver(settings, Options(days=1, seed=SEED, seed_cases=1))
    driver.setup(session)
    grid = driver.city.grid_codes[-1]
    with clock.frozen(driver.local(0, time(8, 0))):
        for kind, name in ((ZoneKind.SEALED, "封控一"), (ZoneKind.CONTROLLED, "管控一")):
            data = ZoneCreate(name=name, kind=kind, region_code=grid)
            zones.declare(session, actor=driver.actor, data=data)
        controls = read_controls(session, actor=driver.actor, city=driver.city)
    assert controls.locked_grids.tolist() == [len(driver.city.grid_codes) - 1]
    assert controls.isolated.size == 0
    driver.controls = controls
    day, _line = driver.step(session)
    population = driver.city.population
    for person, venue in zip(day.visits.person.tolist(), day.visits.venue.tolist(), strict=True):
        inside = int(population.grid[person]) == len(driver.city.grid_codes) - 1
        venue_inside = int(driver.outbreak.venues.grid[venue]) == len(driver.city.grid_codes) - 1
        assert inside == venue_inside  # nobody crosses the sealed grid's edge


def test_arrivals_become_reports_of_the_channel_that_heard_them(session, outbreak):
    _driver, days, lines = outbreak
    heard = Counter(CHANNELS[c] for day in days for c in day.arrival_reports.channel.tolist())
    filed = Counter(dict(session.execute(
        select(ArrivalReport.channel, func.count()).group_by(ArrivalReport.channel)
    ).all()))  # fmt: skip
    assert filed == heard and min(heard[channel] for channel in CHANNELS) > 0
    assert sum(line.arrival_reports for line in lines) == sum(filed.values())


def test_the_pushed_list_names_the_models_arrivals_by_id_number(session, outbreak):
    """Each day's pushed list is imported and matched to the model's people by ID number, at
    the model's minute, from a risk area or not; each number read is logged."""
    driver, days, _lines = outbreak
    expected, revealed = [], 0
    for day in days:
        reports = day.arrival_reports
        pushed = [(person, minute, risk) for person, minute, channel, risk in zip(
            reports.person.tolist(), reports.minute.tolist(), reports.channel.tolist(),
            reports.risk_area.tolist(), strict=True) if CHANNELS[channel] == "pushed"]  # fmt: skip
        midnight = driver.local(day.day, time(0, 0))
        expected += [(driver.city.person_id(person), midnight + timedelta(minutes=minute),
                      (RISK_ORIGIN if risk else ORDINARY_ORIGIN)[2])
                     for person, minute, risk in pushed]  # fmt: skip
        revealed += len({person for person, _, _ in pushed})
    stored = session.execute(
        select(ArrivalReport.person_id, ArrivalReport.arrived_at, ArrivalReport.origin_district)
        .where(ArrivalReport.channel == "pushed")
    ).all()  # fmt: skip
    assert sorted(map(tuple, stored)) == sorted(expected) and expected
    reveals = select(func.count()).where(PersonAccess.action == "reveal_id_number")
    assert session.scalar(reveals) == revealed


def test_arrivals_from_the_risk_origin_are_classified_high_and_placed(session, outbreak):
    """The risk origin is listed high from a week before the run, once; each trip from it is
    classified high-risk and its person placed as the edition says, the others are not."""
    driver, _days, _lines = outbreak
    [listed] = session.scalars(select(RiskArea)).all()
    assert (listed.district, listed.grade, listed.effective_to) == (RISK_ORIGIN[2], "high", None)
    assert listed.effective_from == driver.local(0, time(0, 0)) - timedelta(days=7)
    trips = session.execute(select(Trip.id, Trip.origin_district, Trip.grade)).all()
    risky = {trip_id for trip_id, origin, _ in trips if origin == RISK_ORIGIN[2]}
    assert risky and {t: g for t, _, g in trips if t in risky} == dict.fromkeys(risky, "high")
    assert {g for t, _, g in trips if t not in risky} == {"none"}
    placed = set(session.scalars(select(Placement.trip_id).where(Placement.basis == "arrival")))
    assert placed == risky
    assert not arrivals.declare_risk_origin(session, actor=driver.actor,
                                            start=driver.local(0, time(0, 0)))  # fmt: skip
    assert session.scalar(select(func.count()).select_from(RiskArea)) == 1


def test_the_expert_group_classifies_every_case_by_the_models_symptoms(session, outbreak):
    """No case stays pending at the end of a day: confirmed with its onset date when the person
    had symptoms by then (model truth), else asymptomatic, and converted to confirmed at the
    end of the day the symptoms start while the case is open; the bulletin's counts see them."""
    driver, days, _ = outbreak
    made = session.execute(
        select(Case.person_id, Case.kind, Case.status, Case.onset_on, Case.confirmed_at,
               Case.converted_at)
    ).all()  # fmt: skip
    assert made and {c.status for c in made} <= {"active", "closed"}
    health, start, last = driver.outbreak.health, driver.options.start, len(days) - 1
    for person_id, kind, status, onset_on, confirmed_at, converted_at in made:
        onset = int(health.onset[driver.city.index_of(person_id)])
        if kind == "confirmed":
            assert onset_on == start + timedelta(days=onset)
            if converted_at is not None:  # asymptomatic when classified, symptoms later
                assert converted_at == driver.local(onset, time(23, 59)) > confirmed_at
        else:
            assert kind == "asymptomatic" and onset_on is None and converted_at is None
            assert status == "closed" or onset > last  # no symptoms while open


def test_asymptomatic_cases_convert_when_their_symptoms_start(session, settings):
    """A case classified asymptomatic whose person's symptoms start on a later day becomes
    confirmed at the end of that day, once, counted as a conversion."""
    build_city(session, settings)
    driver = Driver(settings, Options(days=5, seed=CONVERTING_SEED, seed_cases=SEED_CASES))
    driver.setup(session)
    for _ in range(5):
        driver.step(session)
    converted = session.scalars(select(Case).where(Case.converted_at.is_not(None))).all()
    assert converted  # the seed was chosen for it: conversions from day 3
    for case in converted:
        onset = int(driver.outbreak.health.onset[driver.city.index_of(case.person_id)])
        assert case.kind == "confirmed" and case.onset_on == driver.options.start + timedelta(
            days=onset)  # fmt: skip
        assert case.converted_at == driver.local(onset, time(23, 59)) > case.confirmed_at


def test_index_of_is_the_inverse_of_person_id(session, outbreak):
    driver, _, _ = outbreak
    for index in (0, 7, len(driver.city.population.ids) - 1):
        assert driver.city.index_of(driver.city.person_id(index)) == index
    with pytest.raises(DriverError):
        driver.city.index_of(-1)
