"""The people of the model: one numpy array per attribute, position = the person's index.

The driver builds a ``Population`` from the people service (``from_arrays``); tests and the
benchmark use ``synthetic(n, seed)``. Households and grids are dense small integers here; the
driver keeps the mapping to the platform's ids (``ids``) and grid codes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from fangkong.simulate.outbreak.errors import OutbreakError

IntArray = npt.NDArray[np.int64]
SmallArray = npt.NDArray[np.int32]
BoolArray = npt.NDArray[np.bool_]

# China's 2020 census: households of 1..5 people (5 stands for 5 or more); mean about 2.6.
HOUSEHOLD_SIZES = np.array([1, 2, 3, 4, 5])
HOUSEHOLD_SHARES = np.array([0.25, 0.30, 0.21, 0.13, 0.11])
# Age bands (lower bound, upper bound exclusive) and their shares, after the 2020 census.
AGE_BANDS = np.array([[0, 6], [6, 19], [19, 40], [40, 60], [60, 75], [75, 95]])
AGE_SHARES = np.array([0.07, 0.14, 0.30, 0.29, 0.14, 0.06])
HOUSEHOLDS_PER_GRID = 300  # a grid (网格) holds a few hundred households
STUDENT_AGES = (6, 19)
WORKER_AGES = (19, 61)
WORKER_SHARE, COLD_CHAIN_SHARE, MEDICAL_SHARE = 0.75, 0.005, 0.01


@dataclass(frozen=True, slots=True)
class Population:
    """Per person: platform id, household, grid, age and key-group flags."""

    ids: IntArray
    household: IntArray
    grid: SmallArray
    age: SmallArray
    student: BoolArray
    worker: BoolArray
    cold_chain: BoolArray
    medical: BoolArray

    @property
    def size(self) -> int:
        return int(self.ids.shape[0])

    @property
    def grids(self) -> int:
        """Number of grid indices (``grid.max() + 1``); some may have no residents."""
        return int(self.grid.max()) + 1 if self.size else 0

    @classmethod
    def from_arrays(cls, **columns: npt.ArrayLike) -> Population:
        """Build from plain arrays (lists or numpy), checking lengths, ranges and flags."""
        names = [f for f in cls.__slots__ if f not in columns]
        if names:
            raise OutbreakError(f"population misses {', '.join(names)}")
        kinds = {"ids": np.int64, "household": np.int64, "grid": np.int32, "age": np.int32}
        built = {
            name: np.asarray(columns[name], dtype=kinds.get(name, np.bool_))
            for name in cls.__slots__
        }
        population = cls(**built)
        population.check()
        return population

    def check(self) -> None:
        columns = [getattr(self, name) for name in self.__slots__]
        if len({c.shape for c in columns}) != 1 or columns[0].ndim != 1:
            raise OutbreakError("population columns must be 1-D arrays of one length")
        if self.size == 0:
            raise OutbreakError("population is empty")
        if self.grid.min() < 0 or self.household.min() < 0 or self.age.min() < 0:
            raise OutbreakError("grid, household and age must be >= 0")
        if np.unique(self.ids).shape[0] != self.size:
            raise OutbreakError("person ids must be unique")


def synthetic(n: int, seed: int) -> Population:
    """A reproducible city of ``n`` people in households and grids (for tests and benchmarks)."""
    if n < 1:
        raise OutbreakError(f"people must be >= 1, not {n}")
    rng = np.random.default_rng(seed)
    sizes = rng.choice(HOUSEHOLD_SIZES, size=n // 2 + 1, p=HOUSEHOLD_SHARES)
    household = np.repeat(np.arange(sizes.shape[0]), sizes)[:n].astype(np.int64)
    age = _ages(n, rng)
    student = (age >= STUDENT_AGES[0]) & (age < STUDENT_AGES[1])
    working_age = (age >= WORKER_AGES[0]) & (age < WORKER_AGES[1])
    worker = working_age & (rng.random(n) < WORKER_SHARE)
    kind = rng.random(n)
    return Population(
        ids=np.arange(1, n + 1, dtype=np.int64),
        household=household,
        grid=(household // HOUSEHOLDS_PER_GRID).astype(np.int32),
        age=age,
        student=student,
        worker=worker,
        cold_chain=worker & (kind < COLD_CHAIN_SHARE),
        medical=worker & (kind >= 1 - MEDICAL_SHARE),
    )


def _ages(n: int, rng: np.random.Generator) -> SmallArray:
    band = rng.choice(AGE_BANDS.shape[0], size=n, p=AGE_SHARES)
    ages: SmallArray = rng.integers(AGE_BANDS[band, 0], AGE_BANDS[band, 1]).astype(np.int32)
    return ages
