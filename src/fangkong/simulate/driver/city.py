"""The model's population read from the platform (the people service), and the mapping back.

Model indices are positions in the residents' id order. Households and grids become dense
indices (``grid_codes[i]`` is the grid code of model grid ``i``); a resident without a
household is a household of one. Ages are counted on the run's first day. Key groups give the
model's cold-chain and medical staff; students are the 6-18-year-olds and workers three in four
of the 19-60-year-olds (chosen from the person id, so the same people each run), as the
model's own synthetic city draws them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
from sqlalchemy.orm import Session

from fangkong.core.principal import Principal
from fangkong.people import service as people
from fangkong.simulate.driver.errors import DriverError
from fangkong.simulate.outbreak import Population
from fangkong.simulate.outbreak.population import STUDENT_AGES, WORKER_AGES, WORKER_SHARE

_HASH_MULTIPLIER, _HASH_RANGE = 2_654_435_761, 2**32  # Knuth's multiplicative hash


@dataclass(frozen=True, slots=True)
class City:
    population: Population
    grid_codes: list[str]

    def person_id(self, index: int) -> int:
        return int(self.population.ids[index])

    def index_of(self, person_id: int) -> int:
        """The model index of a resident (the ids are in ascending order)."""
        ids = self.population.ids
        index = int(np.searchsorted(ids, person_id))
        if index == len(ids) or int(ids[index]) != person_id:
            raise DriverError(f"person {person_id} is not a resident of the run")
        return index


def load_city(session: Session, *, actor: Principal, on: date) -> City:
    """Every active resident in the actor's jurisdiction as the model's population."""
    rows = people.residents(session, actor=actor, on=on)
    if not rows:
        raise DriverError("the people table is empty: run `fangkong simulate city` first")
    grid_codes = sorted({row.grid_code for row in rows})
    grid_of = {code: i for i, code in enumerate(grid_codes)}
    ids = np.array([row.person_id for row in rows], dtype=np.int64)
    age = np.array([_age(row.birth_date, on) for row in rows], dtype=np.int32)
    groups = [row.key_groups for row in rows]
    cold_chain = np.array(["cold_chain" in g for g in groups])
    medical = np.array(["medical" in g for g in groups])
    population = Population.from_arrays(
        ids=ids,
        household=_households([row.household_id for row in rows]),
        grid=[grid_of[row.grid_code] for row in rows],
        age=age,
        student=(age >= STUDENT_AGES[0]) & (age < STUDENT_AGES[1]),
        worker=_workers(ids, age) | cold_chain | medical,
        cold_chain=cold_chain,
        medical=medical,
    )
    return City(population, grid_codes)


def _age(born: date, on: date) -> int:
    return max(0, on.year - born.year - ((on.month, on.day) < (born.month, born.day)))


def _households(household_ids: list[int | None]) -> list[int]:
    dense: dict[object, int] = {}
    keys = [h if h is not None else ("alone", i) for i, h in enumerate(household_ids)]
    return [dense.setdefault(key, len(dense)) for key in keys]


def _workers(ids: np.ndarray, age: np.ndarray) -> np.ndarray:
    working_age = (age >= WORKER_AGES[0]) & (age < WORKER_AGES[1])
    draw = (ids.astype(np.uint64) * np.uint64(_HASH_MULTIPLIER)) % np.uint64(_HASH_RANGE)
    result: np.ndarray = working_age & (draw < np.uint64(int(WORKER_SHARE * _HASH_RANGE)))
    return result
