"""One day's visits: work and school on weekdays, shops, restaurants and markets every day.

Times are minutes after midnight. Workers arrive 7:30-9:30 and stay 7-10 hours (market and
hospital staff work at weekends too, market staff from 5:00); students 7:30-8:00 to 16:00-17:00;
shoppers 8:00-21:00 for 5-45 minutes; diners at lunch (11:30-12:30) or dinner (17:30-19:30) for
30-90 minutes; market-goers 6:00-10:00 for 15-60 minutes. Shops and restaurants are in one's
own grid with ``stay_local`` probability, otherwise in a random populated grid.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from fangkong.simulate.outbreak.outputs import Visits
from fangkong.simulate.outbreak.parameters import (
    HOSPITAL,
    MARKET,
    RESTAURANT,
    SCHOOL_CLASS,
    SHOP,
    Parameters,
)
from fangkong.simulate.outbreak.population import BoolArray, IntArray, Population
from fangkong.simulate.outbreak.venues import Venues

SATURDAY = 5


@dataclass(frozen=True, slots=True)
class DayPlan:
    """What decides a day's visits: who stays home, which grids are locked, venues closed."""

    day: int
    home: BoolArray  # isolated, or symptomatic and staying home
    locked_grid: BoolArray
    closed_venue: BoolArray


def daily_visits(population: Population, venues: Venues, parameters: Parameters,
                 plan: DayPlan, rng: np.random.Generator) -> Visits:  # fmt: skip
    """Every visit of the day, after the day's controls have removed the forbidden ones."""
    weekend = (parameters.start_weekday + plan.day) % 7 >= SATURDAY
    shoppers = _shoppers(population, parameters, rng)
    diners = _diners(population, parameters, weekend, rng)
    parts = [
        _regular(population, venues, parameters, weekend, rng),
        _errands(population, venues, SHOP, shoppers, parameters=parameters, rng=rng),
        _errands(population, venues, RESTAURANT, diners, parameters=parameters, rng=rng),
        _market(population, venues, parameters, rng),
    ]
    visits = Visits.concat(parts)
    return visits.take(_allowed(population, venues, plan, visits))


def _allowed(population: Population, venues: Venues, plan: DayPlan, visits: Visits) -> BoolArray:
    home_grid, venue_grid = population.grid[visits.person], venues.grid[visits.venue]
    crosses = home_grid != venue_grid
    locked = plan.locked_grid[home_grid] | plan.locked_grid[venue_grid]
    allowed: BoolArray = ~plan.home[visits.person] & ~plan.closed_venue[visits.venue]
    allowed &= ~(crosses & locked)
    return allowed


def _regular(population: Population, venues: Venues, parameters: Parameters, weekend: bool,
             rng: np.random.Generator) -> Visits:  # fmt: skip
    person = np.flatnonzero(venues.regular >= 0)
    venue = venues.regular[person]
    kind = venues.kind[venue]
    school = kind == SCHOOL_CLASS
    open_today = (kind == MARKET) | (kind == HOSPITAL) | (not weekend)
    attendance = np.where(school, parameters.school_attendance, parameters.work_attendance)
    goes = open_today & (rng.random(person.shape[0]) < attendance)
    person, venue, kind, school = person[goes], venue[goes], kind[goes], school[goes]
    start = np.where(school, rng.integers(450, 481, size=person.shape[0]),
                     rng.integers(450, 571, size=person.shape[0]))  # fmt: skip
    start = np.where(kind == MARKET, rng.integers(300, 361, size=person.shape[0]), start)
    length = np.where(school, rng.integers(510, 541, size=person.shape[0]),
                      rng.integers(420, 601, size=person.shape[0]))  # fmt: skip
    return Visits(person.astype(np.int64), venue, start, start + length)


def _shoppers(population: Population, parameters: Parameters, rng: np.random.Generator) -> IntArray:
    chance = rng.random(population.size)
    return np.flatnonzero((population.age >= 12) & (chance < parameters.shop_rate))


def _diners(population: Population, parameters: Parameters, weekend: bool,
            rng: np.random.Generator) -> IntArray:  # fmt: skip
    rate = min(1.0, parameters.restaurant_rate * (2 if weekend else 1))
    return np.flatnonzero((population.age >= 6) & (rng.random(population.size) < rate))


def _errands(population: Population, venues: Venues, kind: int, person: IntArray, *,
             parameters: Parameters, rng: np.random.Generator) -> Visits:  # fmt: skip
    grid = population.grid[person].astype(np.int64)
    away = rng.random(person.shape[0]) >= parameters.stay_local
    grid[away] = venues.populated[
        rng.integers(venues.populated.shape[0], size=np.count_nonzero(away))
    ]
    count = venues.count[kind][grid]
    venue = venues.first[kind][grid] + (rng.random(person.shape[0]) * count).astype(np.int64)
    start, length = _errand_times(kind, person.shape[0], rng)
    return Visits(person, venue, start, start + length)


def _errand_times(kind: int, n: int, rng: np.random.Generator) -> tuple[IntArray, IntArray]:
    if kind == SHOP:
        return rng.integers(480, 1261, size=n), rng.integers(5, 46, size=n)
    dinner = rng.random(n) < 0.5
    start: IntArray = np.where(dinner, rng.integers(1050, 1171, size=n),
                               rng.integers(690, 751, size=n))  # fmt: skip
    return start, rng.integers(30, 91, size=n)


def _market(population: Population, venues: Venues, parameters: Parameters,
            rng: np.random.Generator) -> Visits:  # fmt: skip
    rate = np.where(population.age >= 50, 2 * parameters.market_rate, parameters.market_rate)
    person = np.flatnonzero((population.age >= 12) & (rng.random(population.size) < rate))
    venue = venues.first[MARKET][population.grid[person]]
    start = rng.integers(360, 601, size=person.shape[0])
    return Visits(person, venue, start, start + rng.integers(15, 61, size=person.shape[0]))
