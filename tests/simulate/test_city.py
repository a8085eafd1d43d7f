"""``simulate city``: a synthetic city that is valid, realistic enough, reproducible, counted."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cli_support import CliHome
from fangkong.config import Settings, decode_key
from fangkong.core import security
from fangkong.db import Database, make_engine
from fangkong.migrate import upgrade
from fangkong.models import (
    GridAssignment,
    GridCounts,
    Household,
    KeyGroup,
    KeyGroupMembership,
    Person,
    Region,
    RegionLevel,
    User,
)
from fangkong.people import idcard
from fangkong.people.protect import Protector
from fangkong.people.validation import is_under_three
from fangkong.simulate import city
from fangkong.simulate.generate import CitySpec

TODAY = date(2025, 6, 1)
NOW = datetime(2025, 6, 1, 2, 0, tzinfo=UTC)


def build(
    session: Session, settings: Settings, people: int, seed: int = 7, **options: object
) -> city.Summary:
    return city.build_city(
        session,
        people=people,
        seed=seed,
        today=TODAY,
        protector=Protector(settings.data_key_bytes),
        now=NOW,
        **options,  # type: ignore[arg-type]
    )


def age(born: date) -> int:
    return TODAY.year - born.year - ((TODAY.month, TODAY.day) < (born.month, born.day))


def test_small_city_every_id_number_decrypts_and_is_valid(session, settings):
    summary = build(session, settings, 2000)
    protector = Protector(settings.data_key_bytes)
    people = session.scalars(select(Person)).all()
    assert len(people) == summary.people == 2000
    hashes = set()
    for person in people:
        number = protector.open_id(person.id_number_enc)
        parsed = idcard.parse(number, today=TODAY)
        assert (parsed.birth_date, parsed.sex) == (person.birth_date, person.sex)
        assert person.registration_code == number[:6]
        assert person.id_number_hash == protector.id_hash("resident_id", number)
        assert (person.id_type, person.status) == ("resident_id", "active")
        if person.migrant:
            assert not number.startswith("23")
        else:
            assert number[:6] == person.grid_code[:6]  # the district of their grid
        hashes.add(person.id_number_hash)
    assert len(hashes) == len(people)
    assert 0.05 < sum(p.migrant for p in people) / len(people) < 0.16


def test_phones_are_mobile_numbers_and_small_children_have_none(session, settings):
    build(session, settings, 2000)
    protector = Protector(settings.data_key_bytes)
    people = session.scalars(select(Person)).all()
    with_phone = [p for p in people if p.phone_enc is not None]
    assert 0.8 < len(with_phone) / len(people) < 0.97
    for person in with_phone:
        phone = protector.open_phone(person.phone_enc)
        assert len(phone) == 11 and phone[0] == "1" and phone[1] in "3456789"
        assert person.phone_hash == protector.phone_hash(phone)
        assert person.match_key == protector.match_key(person.name, person.birth_date, phone)
    assert all(
        p.phone_enc is None and p.match_key is None for p in people if age(p.birth_date) < 12
    )


def test_everyone_lives_in_a_grid_of_a_well_formed_tree(session, settings):
    summary = build(session, settings, 2000)
    regions = {
        r.code: r for r in session.scalars(select(Region).where(func.length(Region.code) > 6))
    }
    levels = Counter(r.level for r in regions.values())
    assert (
        levels[RegionLevel.STREET],
        levels[RegionLevel.COMMUNITY],
        levels[RegionLevel.GRID],
    ) == (
        summary.streets,
        summary.communities,
        summary.grids,
    )
    expected_level = {9: RegionLevel.STREET, 12: RegionLevel.COMMUNITY, 15: RegionLevel.GRID}
    for region in regions.values():
        assert region.level == expected_level[len(region.code)]
        assert region.parent_code == region.code[:-3]
        assert region.name and region.name_en
    assert {r.name.endswith(("街道", "镇")) for r in regions.values() if len(r.code) == 9} == {True}
    grids = {c for c, r in regions.items() if r.level == RegionLevel.GRID}
    assert set(session.scalars(select(Person.grid_code).distinct())) <= grids
    assert summary.districts == 18  # 2,000 people are enough for every district


def test_households_have_their_head_among_their_members(session, settings):
    summary = build(session, settings, 2000)
    households = session.scalars(select(Household)).all()
    assert len(households) == summary.households
    members: dict[int, list[Person]] = {}
    for person in session.scalars(select(Person)):
        members.setdefault(person.household_id, []).append(person)
    for household in households:
        people = members[household.id]
        assert household.head_id in {p.id for p in people}
        assert {p.grid_code for p in people} == {household.grid_code}
        assert 1 <= len(people) <= 6
        assert age(next(p for p in people if p.id == household.head_id).birth_date) >= 18
    assert 2.2 < summary.people / summary.households < 2.6
    refs = Counter((h.grid_code, h.ref) for h in households)
    assert max(refs.values()) == 1


def test_age_pyramid_and_flags_follow_the_census_and_the_definitions(session, settings):
    build(session, settings, 5000, seed=11)
    people = session.scalars(select(Person)).all()
    sizes = Counter(p.household_id for p in people)
    ages = [age(p.birth_date) for p in people]
    assert 0.18 <= sum(a >= 60 for a in ages) / len(ages) <= 0.30
    assert 0.06 <= sum(a < 15 for a in ages) / len(ages) <= 0.14
    assert max(ages) < 100
    for person, years in zip(people, ages, strict=True):
        assert person.under_three == is_under_three(person.birth_date, TODAY)
        assert person.elderly_alone == (years >= 60 and sizes[person.household_id] == 1)
        assert not person.pregnant or (person.sex == "2" and 20 <= years <= 40)
        assert not person.chronic_disease or years >= 60
    assert any(p.elderly_alone for p in people) and any(p.under_three for p in people)
    assert (
        0.08
        < sum(p.chronic_disease for p in people if age(p.birth_date) >= 60)
        / sum(a >= 60 for a in ages)
        < 0.22
    )


def test_key_group_members_are_of_working_age(session, settings):
    summary = build(session, settings, 5000, seed=11)
    rows = session.execute(select(KeyGroupMembership, Person.birth_date).join(Person)).all()
    assert len(rows) == summary.key_group_members
    working = sum(18 <= age(b) < 60 for b in session.scalars(select(Person.birth_date)))
    assert 0.015 < len(rows) / working < 0.05
    for membership, born in rows:
        assert 18 <= age(born) < 60
        assert KeyGroup(membership.group) and membership.employer
        assert membership.start_date < TODAY and membership.end_date is None


def test_counts_cover_every_new_grid_and_add_up(session, settings):
    summary = build(session, settings, 2000)
    counts = session.scalars(select(GridCounts)).all()
    assert len(counts) == summary.grids
    assert sum(c.residents for c in counts) == 2000
    assert sum(c.households for c in counts) == summary.households
    migrants = session.scalar(select(func.count()).where(Person.migrant))
    assert sum(c.migrants for c in counts) == migrants
    assert sum(c.key_groups for c in counts) == summary.key_group_members


def test_grid_workers_are_assigned_and_cannot_log_in(session, settings):
    summary = build(session, settings, 5000, seed=3)
    workers = session.scalars(select(User).where(User.role == "grid_worker")).all()
    assignments = session.scalars(select(GridAssignment)).all()
    assert len(workers) == len(assignments) == summary.grid_workers
    by_user = {a.user_id: a.grid_code for a in assignments}
    for worker in workers:
        assert by_user[worker.id] == worker.region_code
        assert worker.username.startswith(f"gw{worker.region_code}")
        assert not security.verify_password(worker.password_hash, "!")
    per_grid = Counter(a.grid_code for a in assignments)
    assert set(per_grid.values()) <= {1, 2}
    assert summary.grids * 0.9 < len(workers) < summary.grids * 1.4


def test_streets_follow_those_a_district_already_has(session, settings):
    session.add(
        Region(code="230102001", name="已有街道", level=RegionLevel.STREET, parent_code="230102")
    )
    session.flush()
    build(session, settings, 2000)
    streets = session.scalars(select(Region.code).where(Region.parent_code == "230102")).all()
    assert sorted(streets) == ["230102001", "230102002"]
    assert session.get(Region, "230102001").name == "已有街道"


def test_a_failure_in_the_child_process_is_raised(settings):
    spec = CitySpec(
        people=10,
        seed=1,
        today=TODAY,
        now=NOW,
        data_key=settings.data_key_bytes,
        districts=(),
        first_person=1,
        first_household=1,
        first_membership=1,
        first_user=1,
    )
    with pytest.raises(city.CityError, match="no districts"):
        list(city._from_child(spec))


# --- reproducibility, on fresh databases -----------------------------------------------------


@pytest.fixture(scope="module")
def migrated(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("city") / "template.db"
    upgrade(f"sqlite:///{path}")
    return path


def city_on_fresh_database(
    template: Path, folder: Path, settings: Settings, seed: int, *, parallel: bool
) -> list[tuple[object, ...]]:
    """Build a 1,500-people city in a copy of ``template``; its people, comparable."""
    path = folder / f"seed{seed}-{parallel}.db"
    shutil.copy(template, path)
    engine = make_engine(f"sqlite:///{path}")
    try:
        with Database(engine).transaction() as session:
            build(session, settings, 1500, seed=seed, parallel=parallel)
        with Database(engine).transaction() as session:
            protector = Protector(settings.data_key_bytes)
            rows = session.execute(
                select(Person, Household.address, Household.ref).join(
                    Household, Person.household_id == Household.id
                )
            ).all()
            return sorted(
                (
                    p.name,
                    protector.open_id(p.id_number_enc),
                    p.phone_enc and protector.open_phone(p.phone_enc),
                    p.grid_code,
                    address,
                    ref,
                    p.disabled,
                    p.from_abroad,
                )
                for p, address, ref in rows
            )
    finally:
        engine.dispose()


def test_same_seed_same_city_in_process_or_in_a_child(migrated, tmp_path, settings):
    first = city_on_fresh_database(migrated, tmp_path, settings, 5, parallel=False)
    second = city_on_fresh_database(migrated, tmp_path, settings, 5, parallel=True)
    assert len(first) == 1500
    assert first == second


def test_another_seed_another_city(migrated, tmp_path, settings):
    one = city_on_fresh_database(migrated, tmp_path, settings, 5, parallel=False)
    other = city_on_fresh_database(migrated, tmp_path, settings, 6, parallel=False)
    assert {row[1] for row in one}.isdisjoint({row[1] for row in other})
    assert [row[0] for row in one] != [row[0] for row in other]


# --- the command -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def cli_runs(tmp_path_factory, cli_template):
    """Four commands side by side: two on an empty database, two on one with a city."""
    empty, full = (CliHome(tmp_path_factory.mktemp(name)) for name in ("empty", "full"))
    for home in (empty, full):
        home.copy_database(cli_template)
    engine = make_engine(full.database_url)
    with Database(engine).transaction() as session:
        city.build_city(
            session, people=50, seed=1, today=TODAY, now=NOW,
            protector=Protector(decode_key(full.data_key)),
        )  # fmt: skip
    engine.dispose()
    args = ("simulate", "city", "--people", "300", "--seed", "4", "--today", "2025-06-01")
    bad_day = ("simulate", "city", "--people", "3", "--seed", "1", "--today", "2025-13-01")
    with ThreadPoolExecutor(2) as pool:
        on_empty = pool.submit(empty.run, (*args, "--json"), bad_day)
        on_full = pool.submit(full.run, args, (*args, "--if-empty"))
        fresh, bad = on_empty.result()
        not_empty, if_empty = on_full.result()
    runs = {"fresh": fresh, "bad_day": bad, "not_empty": not_empty, "if_empty": if_empty}
    return {"empty": empty, "full": full}, runs


def test_cli_builds_a_city_and_prints_the_summary(cli_runs):
    homes, runs = cli_runs
    fresh = runs["fresh"]
    assert fresh.returncode == 0, fresh.stderr
    summary = json.loads(fresh.stdout)
    assert summary["people"] == 300 and summary["grids"] >= 1 and summary["seconds"] >= 0
    assert homes["empty"].one(select(func.count()).select_from(Person))[0] == 300


def test_cli_refuses_a_city_over_people_unless_if_empty(cli_runs):
    homes, runs = cli_runs
    not_empty, if_empty = runs["not_empty"], runs["if_empty"]
    assert not_empty.returncode == 2
    assert not_empty.stderr.startswith("error: ") and len(not_empty.stderr.splitlines()) == 1
    assert if_empty.returncode == 0, if_empty.stderr
    assert len(if_empty.stdout.splitlines()) == 1
    assert homes["full"].one(select(func.count()).select_from(Person))[0] == 50  # nothing added


def test_cli_rejects_a_bad_date_with_exit_2(cli_runs):
    bad_day = cli_runs[1]["bad_day"]
    assert bad_day.returncode == 2
    assert "--today" in bad_day.stderr and len(bad_day.stderr.splitlines()) == 1
