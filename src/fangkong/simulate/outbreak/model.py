"""The day step: arrivals, visits, transmission at home and at venues, disease events.

``Outbreak(population, seed=..., seed_cases=...)`` holds the state; ``step(controls)`` runs one
day and returns its ``Day``. ``simulate(...)`` yields ``days`` of them. One
``numpy.random.Generator`` from the seed drives everything, in a fixed order, so the same seed,
population, parameters and controls give the same outputs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TypeAlias

import numpy as np

from fangkong.simulate.outbreak import transmission, travel
from fangkong.simulate.outbreak.controls import Controls
from fangkong.simulate.outbreak.disease import Health
from fangkong.simulate.outbreak.errors import OutbreakError
from fangkong.simulate.outbreak.outputs import SEED, Contacts, Day, Events, Infections, Visits
from fangkong.simulate.outbreak.parameters import Parameters
from fangkong.simulate.outbreak.population import BoolArray, IntArray, Population
from fangkong.simulate.outbreak.venues import Venues, generate
from fangkong.simulate.outbreak.visits import DayPlan, daily_visits

ADULT_AGE = 18
ControlsOf: TypeAlias = Callable[[int, "Outbreak"], Controls]


class Outbreak:
    """The state of one run; call ``step`` once per day."""

    def __init__(self, population: Population, *, seed: int, seed_cases: int,
                 parameters: Parameters | None = None) -> None:  # fmt: skip
        self.parameters = parameters or Parameters()
        _check(population, seed, seed_cases, self.parameters)
        self.population = population
        self.rng = np.random.default_rng(seed)
        self.venues: Venues = generate(population, self.rng)
        self.health = Health.susceptible(population.size)
        self.households = transmission.Households.of(population.household)
        self.base_susceptibility = np.where(
            population.age < ADULT_AGE, self.parameters.child_susceptibility, 1.0
        )
        self.hazard = np.asarray(self.parameters.hazard_by_kind())[self.venues.kind]
        self.day = 0
        self._pending = self._seed(seed_cases)

    def _seed(self, cases: int) -> Infections:
        person = np.sort(self.rng.choice(self.population.size, size=cases, replace=False))
        person = person.astype(np.int64)
        self.health.infect(person, np.zeros(cases, dtype=np.int64), self.parameters, self.rng)
        none = np.full(cases, -1)
        return Infections(person, none, np.full(cases, SEED), none, np.zeros(cases, np.int64),
                          np.zeros(cases, np.int64))  # fmt: skip

    def step(self, controls: Controls | None = None) -> Day:
        """Run the current day under ``controls`` (none: the run without measures)."""
        day, population = self.day, self.population
        isolated, locked, closed = (controls or Controls()).masks(
            population.size, population.grids, self.venues.size
        )
        arrivals, reports, imported = travel.arrive(day, self.health, self.parameters, self.rng)
        plan = DayPlan(day, self._stays_home(day, isolated), locked, closed)
        visits = daily_visits(population, self.venues, self.parameters, plan, self.rng)
        infections, contacts = self._transmit(day, visits, isolated)
        onsets, fever = self._events(day)
        seeded, self._pending = self._pending, self._pending.take(np.zeros(0, np.int64))
        self.day += 1
        return Day(day, visits, Infections.concat([seeded, imported, infections]), contacts,
                   onsets, fever, arrivals, reports)  # fmt: skip

    def _stays_home(self, day: int, isolated: BoolArray) -> BoolArray:
        health = self.health
        ill = np.flatnonzero((health.onset <= day) & (day < health.recovered))
        home = isolated.copy()
        stays = self.rng.random(ill.shape[0]) < self.parameters.symptomatic_stay_home
        home[ill[stays]] = True
        return home

    def _transmit(
        self, day: int, visits: Visits, isolated: BoolArray
    ) -> tuple[Infections, Contacts]:
        exposure = self._exposure(day, isolated)
        home = transmission.at_home(exposure, self.households, self.population.household,
                                    parameters=self.parameters, rng=self.rng)  # fmt: skip
        away = transmission.at_venues(exposure, visits, self.hazard[visits.venue],
                                      parameters=self.parameters, rng=self.rng)  # fmt: skip
        infections = transmission.earliest(Infections.concat([home[0], away[0]]))
        self.health.infect(infections.infectee, infections.day, self.parameters, self.rng)
        return infections, Contacts.concat([home[1], away[1]])

    def _exposure(self, day: int, isolated: BoolArray) -> transmission.Exposure:
        health, parameters = self.health, self.parameters
        infectious = health.is_infectious(day)
        strength = np.where(health.symptomatic(), 1.0, parameters.asymptomatic_infectiousness)
        return transmission.Exposure(
            day=day,
            infectious=np.flatnonzero(infectious),
            infectiousness=np.where(infectious, strength, 0.0),
            susceptibility=np.where(health.is_susceptible(), self.base_susceptibility, 0.0),
            isolated=isolated,
        )

    def _events(self, day: int) -> tuple[Events, Events]:
        onset = np.flatnonzero(self.health.onset == day)
        fever = np.flatnonzero(self.health.fever == day)
        clinic = self.venues.fever_clinic[self.population.grid[fever]]
        return (
            self._event(day, onset, np.full(onset.shape[0], -1), (0, 1440)),
            self._event(day, fever, clinic, (480, 1200)),
        )

    def _event(self, day: int, person: IntArray, place: IntArray, hours: tuple[int, int]) -> Events:
        n = int(person.shape[0])
        minute = self.rng.integers(hours[0], hours[1], size=n)
        return Events(person, np.full(n, day), minute, place)


def _check(population: Population, seed: int, seed_cases: int, parameters: Parameters) -> None:
    parameters.validate()
    population.check()
    if seed < 0:
        raise OutbreakError(f"seed must be >= 0, not {seed}")
    if not 1 <= seed_cases <= population.size:
        raise OutbreakError(
            f"seed cases must be between 1 and the {population.size} people, not {seed_cases}"
        )


def simulate(population: Population, *, days: int, seed: int, seed_cases: int,
             parameters: Parameters | None = None,
             controls: ControlsOf | None = None) -> Iterator[Day]:  # fmt: skip
    """Yield ``days`` days; ``controls(day, outbreak)`` gives each day's measures."""
    if days < 1:
        raise OutbreakError(f"days must be >= 1, not {days}")
    outbreak = Outbreak(population, seed=seed, seed_cases=seed_cases, parameters=parameters)
    return _days(outbreak, days, controls)


def _days(outbreak: Outbreak, days: int, controls: ControlsOf | None) -> Iterator[Day]:
    for day in range(days):
        yield outbreak.step(controls(day, outbreak) if controls else None)
