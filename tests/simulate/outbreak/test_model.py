"""The pure outbreak model: seeded, growing, controllable, and its truth is consistent."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from fangkong.simulate.outbreak import (
    Controls,
    Outbreak,
    OutbreakError,
    Parameters,
    Population,
    simulate,
)
from fangkong.simulate.outbreak import synthetic as make_population
from fangkong.simulate.outbreak.outputs import HOUSEHOLD, IMPORTED, VENUE, Day
from fangkong.simulate.outbreak.truth import TruthWriter

PEOPLE, DAYS, SEED_CASES = 8_000, 20, 15


def run(seed: int = 4, controls=None, days: int = DAYS):
    population = make_population(PEOPLE, seed=1)
    return population, list(
        simulate(population, days=days, seed=seed, seed_cases=SEED_CASES, controls=controls)
    )


def infected(days) -> int:
    return sum(len(day.infections) for day in days)


def test_same_seed_same_outputs_other_seed_differs():
    _, first = run(seed=4)
    _, again = run(seed=4)
    _, other = run(seed=5)
    assert [columns_of(day) for day in first] == [columns_of(day) for day in again]
    assert [columns_of(day) for day in first] != [columns_of(day) for day in other]


def columns_of(day: Day) -> list[list[int]]:
    """Every column of every output of a day, as plain lists (comparable with ==)."""
    tables = [getattr(day, name) for name in Day.__dataclass_fields__ if name != "day"]
    return [getattr(t, f).tolist() for t in tables for f in t.__dataclass_fields__]


def test_outbreak_grows_without_controls():
    _, days = run()
    assert infected(days) > 5 * SEED_CASES
    assert sum(len(d.onsets) for d in days) > 0 and sum(len(d.fever_clinic) for d in days) > 0


def measures(*, isolate: bool, lock: bool):
    """Isolate people two days after infection and/or lock the grids they live in."""

    def controls(day: int, outbreak: Outbreak) -> Controls:
        found = np.flatnonzero(outbreak.health.infected <= day - 2)
        grids = np.unique(outbreak.population.grid[found])
        return Controls.of(isolated=found if isolate else [], locked_grids=grids if lock else [])

    return controls


def test_isolating_the_infected_and_locking_grids_lowers_the_attack_rate():
    _, free = run()
    _, isolated = run(controls=measures(isolate=True, lock=False))
    _, locked = run(controls=measures(isolate=False, lock=True))
    _, both = run(controls=measures(isolate=True, lock=True))
    assert infected(isolated) < infected(free)
    assert infected(locked) < infected(free)
    assert infected(both) < infected(free) / 2


def test_locked_grids_have_no_visit_across_their_boundary():
    population = make_population(4_000, seed=3)
    outbreak = Outbreak(population, seed=1, seed_cases=3)
    locked = np.arange(0, population.grids, 2)
    visits = outbreak.step(Controls.of(locked_grids=locked)).visits
    home, there = population.grid[visits.person], outbreak.venues.grid[visits.venue]
    crossing = home != there
    assert not np.isin(home[crossing], locked).any()
    assert not np.isin(there[crossing], locked).any()
    assert (~crossing & np.isin(home, locked)).any()  # life inside a locked grid goes on


def test_venue_contacts_shared_the_venue_long_enough_and_household_ones_live_together():
    population, days = run(days=10)
    minutes = Parameters().contact_minutes
    for day in days[3:]:
        close = day.contacts
        home = close.setting == HOUSEHOLD
        assert np.array_equal(
            population.household[close.infectious[home]], population.household[close.contact[home]]
        )
        for i in np.flatnonzero(~home)[:200]:
            together = overlap(day.visits, close.infectious[i], close.contact[i], close.place[i])
            assert together == close.minutes[i] and together > 0
        transmitted = {
            (int(a), int(b))
            for a, b in zip(day.infections.infector, day.infections.infectee, strict=True)
        }
        short = (~home) & (close.minutes < minutes)
        assert all(
            (int(a), int(b)) in transmitted
            for a, b in zip(close.infectious[short], close.contact[short], strict=True)
        )


def overlap(visits, a, b, venue) -> int:
    at = visits.venue == venue
    first, second = at & (visits.person == a), at & (visits.person == b)
    start = max(visits.start[first][0], visits.start[second][0])
    return int(min(visits.end[first][0], visits.end[second][0]) - start)


def test_fever_clinic_visits_follow_symptom_onset():
    _, days = run()
    onset = {int(p): day.day for day in days for p in day.onsets.person}
    visits = [(int(p), day.day) for day in days for p in day.fever_clinic.person]
    assert visits and all(p in onset and onset[p] <= d for p, d in visits)


def test_infected_arrivals_are_imported_infections():
    population = make_population(PEOPLE, seed=1)
    parameters = Parameters(arrival_rate=0.01, infected_elsewhere=0.05)
    days = list(simulate(population, days=4, seed=2, seed_cases=1, parameters=parameters))
    for day in days:
        imported = day.infections.infectee[day.infections.setting == IMPORTED]
        assert sorted(imported.tolist()) == sorted(
            day.arrivals.person[day.arrivals.infected].tolist()
        )
    assert sum(int(day.arrivals.infected.sum()) for day in days) > 0


def test_population_from_plain_arrays_runs_like_the_synthetic_one():
    made = make_population(1_500, seed=7)
    columns = {name: getattr(made, name).tolist() for name in made.__slots__}
    rebuilt = Population.from_arrays(**columns)
    first = [columns_of(d) for d in simulate(made, days=3, seed=1, seed_cases=2)]
    assert first == [columns_of(d) for d in simulate(rebuilt, days=3, seed=1, seed_cases=2)]


def test_household_infections_stay_in_households_and_venue_ones_need_presence():
    population, days = run()
    settings = np.concatenate([day.infections.setting for day in days])
    assert (settings == HOUSEHOLD).any() and (settings == VENUE).any()
    for day in days:
        found = day.infections
        home = found.setting == HOUSEHOLD
        infectee_home = population.household[found.infectee[home]]
        assert np.array_equal(infectee_home, population.household[found.infector[home]])
        assert np.array_equal(infectee_home, found.place[home])
        for i in np.flatnonzero(found.setting == VENUE):
            assert present(day.visits, found.infector[i], found.place[i], found.minute[i])
            assert present(day.visits, found.infectee[i], found.place[i], found.minute[i])


def present(visits, person, venue, minute) -> bool:
    here = (visits.person == person) & (visits.venue == venue)
    return bool((here & (visits.start <= minute) & (minute < visits.end)).any())


def test_true_contacts_include_every_infector_infectee_pair():
    _, days = run()
    pairs = {
        (int(a), int(b), int(d))
        for day in days
        for a, b, d in zip(
            day.contacts.infectious, day.contacts.contact, day.contacts.day, strict=True
        )
    }
    transmitted = [
        (int(a), int(b), int(d))
        for day in days
        for a, b, d in zip(
            day.infections.infector, day.infections.infectee, day.infections.day, strict=True
        )
        if a >= 0
    ]
    assert transmitted and all(pair in pairs for pair in transmitted)


def test_closed_venues_and_isolated_people_have_no_visits():
    population = make_population(2_000, seed=2)
    outbreak = Outbreak(population, seed=1, seed_cases=3)
    closed, isolated = np.arange(0, outbreak.venues.size, 2), np.arange(0, 2_000, 3)
    day = outbreak.step(Controls.of(isolated=isolated, closed_venues=closed))
    assert not np.isin(day.visits.venue, closed).any()
    assert not np.isin(day.visits.person, isolated).any()


def test_arrivals_come_through_the_three_channels():
    _, days = run(days=5)
    channels = np.concatenate([d.arrival_reports.channel for d in days])
    assert set(channels.tolist()) == {0, 1, 2}


def test_truth_files_have_headers_and_one_row_per_infection(tmp_path: Path):
    population = make_population(3_000, seed=1)
    outbreak = Outbreak(population, seed=2, seed_cases=5)
    with TruthWriter(tmp_path, population, outbreak.venues) as truth:
        days = [outbreak.step() for _ in range(6)]
        for day in days:
            truth.write(day)
    lines = (tmp_path / "infections.csv").read_text().splitlines()
    assert lines[0] == "infectee_id,infector_id,setting,place,day,minute"
    assert len(lines) - 1 == sum(len(d.infections) for d in days)
    assert lines[1].split(",")[2] == "seed" and lines[1].split(",")[1] == ""
    assert (tmp_path / "contacts.csv").exists() and (tmp_path / "venues.csv").exists()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"days": 0}, "days"),
        ({"seed_cases": 0}, "seed cases"),
        ({"seed_cases": 1_001}, "seed cases"),
        ({"seed": -1}, "seed"),
        ({"parameters": Parameters(household_sar=1.5)}, "household_sar"),
        ({"parameters": Parameters(latent_mean_days=0)}, "latent_mean_days"),
        ({"parameters": Parameters(venue_hazard={"shop": 1.0})}, "venue_hazard"),
        ({"parameters": Parameters(contact_minutes=0)}, "contact_minutes"),
    ],
)
def test_impossible_parameters_raise(kwargs, message):
    arguments = {"days": 3, "seed": 1, "seed_cases": 2} | kwargs
    with pytest.raises(OutbreakError, match=message):
        list(simulate(make_population(1_000, seed=1), **arguments))


def test_bad_population_and_controls_raise():
    with pytest.raises(OutbreakError, match="one length"):
        Population.from_arrays(
            ids=[1, 2],
            household=[0],
            grid=[0, 0],
            age=[3, 4],
            student=[0, 0],
            worker=[0, 0],
            cold_chain=[0, 0],
            medical=[0, 0],
        )
    with pytest.raises(OutbreakError):
        make_population(0, seed=1)
    outbreak = Outbreak(make_population(500, seed=1), seed=1, seed_cases=1)
    with pytest.raises(OutbreakError, match="isolated"):
        outbreak.step(Controls.of(isolated=[500]))
