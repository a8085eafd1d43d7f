"""The places of the model, generated from the population.

Kinds and sizes (``parameters.KINDS``):

- ``workplace``: one per 20 ordinary workers on average, in a random grid (people commute across
  the city); each ordinary worker is assigned one at random (sizes are Poisson, mean 20).
- ``school_class``: students (aged 6-18) of a grid, sorted by age, in classes of 40; the class
  is in the students' own grid (schools are near home, by the catchment rule).
- ``shop``: one per 200 residents of a grid; ``restaurant``: one per 300; ``market`` (wet
  market, 菜市场): one per grid. Cold-chain workers work at the market of a random grid.
- ``hospital``: one per 20,000 people (at least one), in a random grid; medical workers work at
  a random one, and each grid's fever clinic is at one of them.

Each person's regular venue (``regular``, -1 for none) is their workplace or class.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from fangkong.simulate.outbreak.parameters import (
    HOSPITAL,
    MARKET,
    RESTAURANT,
    SCHOOL_CLASS,
    SHOP,
    WORKPLACE,
)
from fangkong.simulate.outbreak.population import IntArray, Population, SmallArray

WORKPLACE_SIZE, CLASS_SIZE = 20, 40
RESIDENTS_PER_SHOP, RESIDENTS_PER_RESTAURANT, PEOPLE_PER_HOSPITAL = 200, 300, 20_000


@dataclass(frozen=True, slots=True)
class Venues:
    """Per venue: kind code and grid; per grid: the first shop/restaurant/market and counts."""

    kind: SmallArray
    grid: SmallArray
    first: dict[int, IntArray]  # kind -> first venue index of that kind in each grid
    count: dict[int, IntArray]  # kind -> number of venues of that kind in each grid
    fever_clinic: IntArray  # grid -> the hospital whose fever clinic serves it
    regular: IntArray  # person -> workplace, market, hospital or class; -1 for none
    populated: IntArray  # grids with residents (where "somewhere else" visits go)

    @property
    def size(self) -> int:
        return int(self.kind.shape[0])


class _Builder:
    def __init__(self) -> None:
        self.kinds: list[SmallArray] = []
        self.grids: list[SmallArray] = []
        self.total = 0

    def add(self, kind: int, grids: npt.ArrayLike) -> int:
        """Append venues of one kind in the given grids; return the index of the first."""
        first = self.total
        grid_array = np.asarray(grids, dtype=np.int32)
        self.grids.append(grid_array)
        self.kinds.append(np.full(grid_array.shape[0], kind, dtype=np.int32))
        self.total += grid_array.shape[0]
        return first


def generate(population: Population, rng: np.random.Generator) -> Venues:
    """Venues for ``population``, and each person's regular venue, drawn from ``rng``."""
    residents = np.bincount(population.grid, minlength=population.grids)
    populated = np.flatnonzero(residents).astype(np.int64)
    builder, regular = _Builder(), np.full(population.size, -1, dtype=np.int64)
    count = {
        SHOP: -(-residents // RESIDENTS_PER_SHOP),  # ceil: every populated grid has one
        RESTAURANT: -(-residents // RESIDENTS_PER_RESTAURANT),
        MARKET: (residents > 0).astype(np.int64),
    }
    first = {kind: _grid_venues(builder, kind, number) for kind, number in count.items()}
    fever_clinic = _hospitals(population, builder, populated, regular, rng)
    _workplaces(population, builder, populated, regular, rng)
    _classes(population, builder, regular)
    markets = first[MARKET][populated]
    cold = np.flatnonzero(population.cold_chain)
    regular[cold] = markets[rng.integers(markets.shape[0], size=cold.shape[0])]
    return Venues(kind=np.concatenate(builder.kinds), grid=np.concatenate(builder.grids),
                  first=first, count=count, fever_clinic=fever_clinic, regular=regular,
                  populated=populated)  # fmt: skip


def _grid_venues(builder: _Builder, kind: int, counts: IntArray) -> IntArray:
    start = builder.add(kind, np.repeat(np.arange(counts.shape[0]), counts))
    return (start + np.cumsum(counts) - counts).astype(np.int64)


def _hospitals(population: Population, builder: _Builder, populated: IntArray,
               regular: IntArray, rng: np.random.Generator) -> IntArray:  # fmt: skip
    count = max(1, -(-population.size // PEOPLE_PER_HOSPITAL))
    start = builder.add(HOSPITAL, populated[rng.integers(populated.shape[0], size=count)])
    staff = np.flatnonzero(population.medical)
    regular[staff] = start + rng.integers(count, size=staff.shape[0])
    return (start + rng.integers(count, size=population.grids)).astype(np.int64)


def _workplaces(population: Population, builder: _Builder, populated: IntArray,
                regular: IntArray, rng: np.random.Generator) -> None:  # fmt: skip
    ordinary = np.flatnonzero(population.worker & ~population.cold_chain & ~population.medical)
    count = max(1, -(-ordinary.shape[0] // WORKPLACE_SIZE))
    start = builder.add(WORKPLACE, populated[rng.integers(populated.shape[0], size=count)])
    regular[ordinary] = start + rng.integers(count, size=ordinary.shape[0])


def _classes(population: Population, builder: _Builder, regular: IntArray) -> None:
    students = np.flatnonzero(population.student)
    if students.shape[0] == 0:
        return
    grid, age = population.grid[students], population.age[students]
    order = np.lexsort((age, grid))
    students, grid = students[order], grid[order].astype(np.int64)
    grid_start = np.searchsorted(grid, grid, side="left")
    local = (np.arange(students.shape[0]) - grid_start) // CLASS_SIZE
    keys, index = np.unique(grid * (students.shape[0] + 1) + local, return_inverse=True)
    start = builder.add(SCHOOL_CLASS, keys // (students.shape[0] + 1))
    regular[students] = start + index
