"""The command office in the driver: each case's grid sealed and its community controlled (or
the case linked to the zones standing there), the zones' final screenings by household tube
in a round of their own, the daily review with its proposals approved, the positive
households' members retested, and the district rounds with their absentees."""

from __future__ import annotations

from collections import Counter
from datetime import date, time, timedelta
from types import SimpleNamespace

from sqlalchemy import select

from fangkong.arrivals.zones import service as zones
from fangkong.arrivals.zones.schemas import ZoneCreate
from fangkong.core import clock
from fangkong.models import KeyGroupMembership, Person
from fangkong.models.cases import Case
from fangkong.models.healthcode import HealthFact
from fangkong.models.testing import Campaign, Tube, TubeMember
from fangkong.models.testing import TestTask as Task
from fangkong.models.venue import Venue, VenueClosure
from fangkong.models.zones import Zone, ZoneCase
from fangkong.policy.types import ZoneKind
from fangkong.simulate.driver import Driver, Options
from fangkong.simulate.driver.command import Command
from fangkong.simulate.driver.lab import is_positive
from fangkong.simulate.driver.run import (
    DAY_END,
    MISSED_HOUR,
    PARTICIPATION,
    RETEST_HOUR,
    REVIEW_HOUR,
)
from fangkong.simulate.outbreak import Controls
from fangkong.tracing.trajectories import service as trajectories
from fangkong.venues import service as venues
from simulate.driver.test_driver_run import DAYS, SEED, SEED_CASES, build_city, run

SCREENING_DAY = 7  # a zone declared on day 0 is screened on its 7th clean day (9th edition)


def test_each_cases_grid_is_sealed_and_its_community_controlled_once(session, settings):
    build_city(session, settings)
    driver, _days, _lines = run(session, settings)
    registered = session.scalars(select(Case).where(Case.status != "pending")).all()
    assert registered
    grids = {case.person_id: driver._grid_code(case.person_id) for case in registered}
    linked = session.execute(select(ZoneCase.person_id, Zone.region_code)
                             .join(Zone, Zone.id == ZoneCase.zone_id)).all()  # fmt: skip
    homes = {(person, code) for person, grid in grids.items() for code in (grid, grid[:12])}
    assert set(linked) == homes and len(linked) == len(homes)
    declared = session.scalars(select(Zone)).all()
    assert sorted((z.kind, z.region_code) for z in declared) == sorted(
        {("sealed", grid) for grid in grids.values()}
        | {("controlled", grid[:12]) for grid in grids.values()})  # fmt: skip
    label = {"sealed": "封控区", "controlled": "管控区"}
    assert {(z.status, z.name) for z in declared} == {
        ("active", f"S{SEED} {label[z.kind]} {z.region_code}") for z in declared}  # fmt: skip
    locked = {driver.city.grid_codes[i] for i in driver.controls.locked_grids.tolist()}
    assert locked == set(grids.values())
    called = _rounds_called(registered, grids)
    assert driver.command.round_days == called
    rounds = session.scalars(select(Campaign.name).where(Campaign.name.contains("全员核酸")))
    last = driver._date(DAYS - 1)
    assert sorted(rounds) == sorted(f"S{SEED} {d} 全员核酸 {day:%m%d}"
                                    for d, days in called.items() for day in days if day <= last)  # fmt: skip


def _rounds_called(registered: list[Case], grids: dict[int, str]) -> dict[str, list[date]]:
    """The rule, restated: a district's first case calls rounds on the next three days; after
    them each case found outside control calls one, the next day or two days after the last
    round, unless one is called after that evening already."""
    called: dict[str, list[date]] = {}
    for case in sorted(registered, key=lambda c: (c.confirmed_at, c.id)):
        day = case.confirmed_at.astimezone(clock.LOCAL_TZ).date()
        days = called.setdefault(grids[case.person_id][:6], [])
        if not days:
            days += [day + timedelta(days=n) for n in (1, 2, 3)]
        elif case.channel != "under_control" and days[-1] <= day:
            days.append(max(day + timedelta(days=1), days[-1] + timedelta(days=2)))
    return called


def _sealed_on_day_zero(session, driver, grid_indices):
    made = []
    with clock.frozen(driver.local(0, DAY_END)):
        for index in grid_indices:
            grid = driver.city.grid_codes[index]
            data = ZoneCreate(name=f"封控 {grid}", kind=ZoneKind.SEALED, region_code=grid)
            made.append(zones.declare(session, actor=driver.actor, data=data))
    return made


def test_zones_are_screened_by_household_then_reviewed_and_retested(session, settings):
    """Two grids sealed on day 0, one holding people the model has positive on day 7: both
    are screened on day 7 in a round each; the clean one is downgraded at 06:00 on day 8, the
    other stays sealed and its positive households' members are retested singly."""
    build_city(session, settings)
    driver = Driver(settings, Options(days=10, seed=SEED, seed_cases=SEED_CASES))
    driver.setup(session)
    population, health = driver.city.population, driver.outbreak.health
    hot = Counter(int(population.grid[i]) for i in range(population.size)
                  if is_positive(health, i, SCREENING_DAY))  # fmt: skip
    sizes = Counter(int(g) for g in population.grid.tolist())
    clean = max((g for g in sizes if g not in hot), key=sizes.__getitem__)
    hot_zone, clean_zone = _sealed_on_day_zero(session, driver, [hot.most_common(1)[0][0], clean])
    assert driver._screenings(session, SCREENING_DAY - 1) == 0  # not yet

    sampled = driver._screenings(session, SCREENING_DAY)
    day = driver._date(SCREENING_DAY)
    rounds = {}
    for zone in (hot_zone, clean_zone):
        campaign = session.get(Campaign, zone.final_screening_campaign_id)
        assert (campaign.starts_on, campaign.ends_on) == (day, day)
        rounds[zone.id] = campaign.id
        residents = set(session.scalars(select(Person.id).where(
            Person.grid_code == zone.region_code)))  # fmt: skip
        members = session.execute(
            select(TubeMember.person_id, Person.household_id, Tube.kind, Tube.id)
            .join(Tube, Tube.id == TubeMember.tube_id).join(Person, Person.id == TubeMember.person_id)
            .where(TubeMember.campaign_id == campaign.id)
        ).all()  # fmt: skip
        assert {m.person_id for m in members} == residents and len(members) == len(residents)
        assert {m.kind for m in members} == {"household"}
        households = {m.household_id for m in members}
        assert len({m.id for m in members}) == len(households)  # one tube per household
    assert sampled == sum(sizes[g] for g in (hot.most_common(1)[0][0], clean))
    assert driver._screenings(session, SCREENING_DAY) == 0  # once a day

    driver.lab.report(session, until=driver.local(SCREENING_DAY, DAY_END))
    with clock.frozen(driver.local(SCREENING_DAY + 1, REVIEW_HOUR)):
        driver.command.review(session, driver._date(SCREENING_DAY + 1))
    assert (clean_zone.kind, clean_zone.pending) == ("controlled", None)
    assert (hot_zone.kind, hot_zone.pending) == ("sealed", None)

    positive_tubes = session.scalars(select(Tube.id).where(
        Tube.campaign_id == rounds[hot_zone.id], Tube.result == "positive")).all()  # fmt: skip
    in_positive = set(session.scalars(select(TubeMember.person_id).where(
        TubeMember.tube_id.in_(positive_tubes))))  # fmt: skip
    assert positive_tubes and in_positive >= {
        driver.city.person_id(i) for i in range(population.size)
        if is_positive(health, i, SCREENING_DAY) and int(population.grid[i]) == hot.most_common(1)[0][0]
    }  # fmt: skip
    assert driver._retests(session, SCREENING_DAY + 1) == len(in_positive)
    retested = session.execute(select(TubeMember.person_id, Tube.sampled_at).join(
        Tube, Tube.id == TubeMember.tube_id).where(Tube.purpose == "retest")).all()  # fmt: skip
    at = driver.local(SCREENING_DAY + 1, RETEST_HOUR)
    assert sorted(retested) == sorted((p, at) for p in in_positive)
    tasks = session.scalars(select(Task.person_id).where(Task.kind == "pool_retest"))
    assert set(tasks) == in_positive


def test_a_district_round_pools_its_residents_by_ten_and_samples_some_alone(session, settings):
    """The round called for a district: everyone there who comes and is not isolated, in
    pools of ten but for those the edition samples alone (here the key-group members) in
    single tubes; the positive pools' members get retest tasks."""
    build_city(session, settings)
    driver = Driver(settings, Options(days=10, seed=SEED, seed_cases=SEED_CASES))
    driver.setup(session)
    population, health, day = driver.city.population, driver.outbreak.health, SCREENING_DAY
    hot = Counter(driver.city.grid_codes[int(population.grid[i])][:6]
                  for i in range(population.size) if is_positive(health, i, day))  # fmt: skip
    district = hot.most_common(1)[0][0]
    residents = driver._residents_of(district)
    joining = driver._joining(district, day)
    assert joining == driver._joining(district, day) and set(joining) < set(residents)
    driver.controls = Controls.of(isolated=joining[-3:])
    driver.command.round_days[district] = [driver._date(day)]
    sampled = driver._district_rounds(session, day)
    expected = {driver.city.person_id(i) for i in joining[:-3]}
    assert sampled == len(expected)
    [campaign] = session.scalars(select(Campaign).where(Campaign.name.contains("全员核酸"))).all()
    assert (campaign.starts_on, campaign.ends_on) == (driver._date(day), driver._date(day))
    members = session.execute(select(TubeMember.person_id, Tube.kind, Tube.id).join(
        Tube, Tube.id == TubeMember.tube_id).where(TubeMember.campaign_id == campaign.id)).all()  # fmt: skip
    assert {m.person_id for m in members} == expected and len(members) == len(expected)
    key_group = set(session.scalars(select(KeyGroupMembership.person_id)))
    alone = {m.person_id for m in members if m.kind == "single"}
    assert alone == expected & key_group and alone
    pools = Counter(m.id for m in members if m.kind == "pooled")
    assert max(pools.values()) == 10 and sum(pools.values()) == len(expected - alone)

    driver.lab.report(session, until=driver.local(day, DAY_END))
    positive = session.scalars(select(Tube.id).where(Tube.campaign_id == campaign.id,
                                                     Tube.result == "positive")).all()  # fmt: skip
    in_positive_pools = {m.person_id for m in members if m.id in positive and m.kind == "pooled"}
    truth = {driver.city.person_id(i) for i in joining[:-3] if is_positive(health, i, day)}
    assert positive and {m.id for m in members if m.person_id in truth} == set(positive)
    tasks = session.scalars(select(Task.person_id).where(Task.kind == "pool_retest"))
    assert set(tasks) == in_positive_pools


def test_about_ninety_seven_in_a_hundred_residents_come_to_a_round(session, settings):
    build_city(session, settings)
    driver = Driver(settings, Options(days=10, seed=SEED, seed_cases=SEED_CASES))
    driver.setup(session)
    districts = sorted({code[:6] for code in driver.city.grid_codes})
    residents = sum(len(driver._residents_of(d)) for d in districts) * 60
    came = sum(len(driver._joining(d, day)) for d in districts for day in range(60))
    assert abs(came / residents - PARTICIPATION) < 0.01
    assert driver._joining(districts[0], 1) != driver._joining(districts[0], 2)


def test_the_absent_of_a_district_round_turn_yellow_the_next_night(session, settings):
    """The driver runs the missed-rounds job at 00:30: the residents who did not come to
    yesterday's round and were not under control get the missed-round fact, no one else."""
    build_city(session, settings)
    driver = Driver(settings, Options(days=3, seed=SEED, seed_cases=SEED_CASES))
    driver.setup(session)
    district = sorted({code[:6] for code in driver.city.grid_codes})[0]
    driver.command.round_days[district] = [driver._date(0)]
    driver.step(session)
    rounds = select(Campaign).where(Campaign.name.contains("全员核酸"))
    assert [c.missed_marked_at for c in session.scalars(rounds)] == [None]
    driver.step(session)
    [campaign] = session.scalars(rounds).all()
    assert campaign.missed_marked_at == driver.local(1, MISSED_HOUR)
    came = set(session.scalars(select(TubeMember.person_id).where(
        TubeMember.campaign_id == campaign.id)))  # fmt: skip
    residents = {driver.city.person_id(i) for i in driver._residents_of(district)}
    absent = {driver.city.person_id(i) for i in driver._residents_of(district)
              if i not in set(driver._joining(district, 0))}  # fmt: skip
    marked = set(session.scalars(select(HealthFact.person_id).where(
        HealthFact.ref == f"campaign:{campaign.id}", HealthFact.reason == "testing.missed_screening")))  # fmt: skip
    assert marked and marked <= absent and not marked & came and marked < residents


def test_a_case_in_a_downgraded_grid_seals_it_again(session, settings, monkeypatch):
    """A grid whose zone was downgraded to controlled gets a new sealed zone for a new case,
    which is linked to the controlled zone too; the community is controlled once and a second
    case there is linked to every zone standing over its grid and its community."""
    build_city(session, settings)
    driver = Driver(settings, Options(days=3, seed=SEED, seed_cases=SEED_CASES))
    driver.setup(session)
    people = driver.city.population.ids.tolist()
    grid = driver._grid_code(people[0])
    first, second = [p for p in people if driver._grid_code(p) == grid][:2]
    with clock.frozen(driver.local(0, DAY_END)):
        data = ZoneCreate(name="曾封控", kind=ZoneKind.CONTROLLED, region_code=grid)
        old = zones.declare(session, actor=driver.actor, data=data)
    at = driver.local(0, time(9, 0))
    found = [SimpleNamespace(person_id=p, sampled_at=at, case_no=f"C{p}", channel="fever_clinic")
             for p in (first, second)]  # fmt: skip
    monkeypatch.setattr(Command, "_new_cases", lambda self, session: iter(found))
    monkeypatch.setattr(Command, "_close_venues", lambda self, session, case, shut: set())
    with clock.frozen(driver.local(0, DAY_END)):
        declared, linked = driver.command.zone_new_cases(session, driver._date(0))
    standing = {
        (k, r): i for k, r, i in session.execute(select(Zone.kind, Zone.region_code, Zone.id))
    }
    assert sorted(standing) == sorted([("controlled", grid), ("sealed", grid),
                                       ("controlled", grid[:12])])  # fmt: skip
    assert (declared, linked) == (2, 4)
    links = set(session.execute(select(ZoneCase.zone_id, ZoneCase.person_id)).all())
    assert links == {(zone, person) for zone in standing.values() for person in (first, second)}
    assert old.id == standing[("controlled", grid)]


def test_the_venues_on_each_cases_trajectory_are_closed_and_skipped(session, settings):
    """Every venue on a registered case's trajectory but hospitals is closed for three days
    from the evening of the case (once while closed), and the next day's controls close it in
    the model."""
    build_city(session, settings)
    driver, _days, _lines = run(session, settings)
    registered = session.scalars(select(Case).where(Case.status != "pending")).all()
    visited: set[int] = set()
    for case in registered:
        stops = trajectories.trajectory_of(session, actor=driver.actor, case_id=case.id)
        visited |= {stop.venue_id for stop in stops if stop.venue_id is not None}
    hospitals = set(session.scalars(select(Venue.id).where(Venue.type == "hospital")))
    closures = session.scalars(select(VenueClosure)).all()
    assert visited - hospitals and {c.venue_id for c in closures} == visited - hospitals
    assert all(c.ends_at - c.starts_at == timedelta(days=3) for c in closures)
    assert all(c.reason.startswith("病例活动轨迹涉及") for c in closures)
    with clock.frozen(driver.local(DAYS - 1, DAY_END)):
        open_now = set(venues.closed_venue_ids(session, actor=driver.actor))
    index = {venue_id: i for i, venue_id in enumerate(driver.places.venue_ids)}
    assert open_now and set(driver.controls.closed_venues.tolist()) == {index[v] for v in open_now}
