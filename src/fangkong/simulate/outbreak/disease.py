"""The course of infection, one timeline per person drawn when they are infected.

Days are integers from the start of the run; ``NEVER`` marks what has not happened. A person is
susceptible until ``infected``, exposed until ``infectious``, infectious until ``recovered``
(then immune for the run); a symptomatic person's ``onset`` is ``presymptomatic_days`` after
becoming infectious, and a share of them visit a fever clinic ``fever`` days later.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from fangkong.simulate.outbreak.parameters import Parameters
from fangkong.simulate.outbreak.population import BoolArray, IntArray

NEVER = np.iinfo(np.int64).max // 2


@dataclass(frozen=True, slots=True)
class Health:
    """Per person timelines (mutable arrays inside a frozen holder)."""

    infected: IntArray
    infectious: IntArray
    recovered: IntArray
    onset: IntArray
    fever: IntArray

    @classmethod
    def susceptible(cls, people: int) -> Health:
        return cls(*(np.full(people, NEVER, dtype=np.int64) for _ in range(5)))

    def is_susceptible(self) -> BoolArray:
        mask: BoolArray = self.infected == NEVER
        return mask

    def is_infectious(self, day: int) -> BoolArray:
        mask: BoolArray = (self.infectious <= day) & (day < self.recovered)
        return mask

    def symptomatic(self) -> BoolArray:
        mask: BoolArray = self.onset != NEVER
        return mask

    def infect(self, people: IntArray, days: IntArray, parameters: Parameters,
               rng: np.random.Generator) -> None:  # fmt: skip
        """Draw the timelines of newly infected ``people`` (distinct, susceptible)."""
        n = people.shape[0]
        latent = _gamma_days(parameters.latent_mean_days, parameters.latent_shape, n, rng)
        window = _gamma_days(parameters.infectious_mean_days, parameters.infectious_shape, n, rng)
        symptomatic = rng.random(n) >= parameters.asymptomatic_share
        onset = days + latent + parameters.presymptomatic_days
        clinic = symptomatic & (rng.random(n) < parameters.fever_clinic_rate)
        delay = rng.integers(0, parameters.fever_clinic_max_delay_days + 1, size=n)
        self.infected[people] = days
        self.infectious[people] = days + latent
        self.recovered[people] = days + latent + window
        self.onset[people] = np.where(symptomatic, onset, NEVER)
        self.fever[people] = np.where(clinic, onset + delay, NEVER)


def _gamma_days(mean: float, shape: float, n: int, rng: np.random.Generator) -> IntArray:
    """Whole days, at least one, from a gamma distribution of the given mean and shape."""
    return np.maximum(1, np.rint(rng.gamma(shape, mean / shape, n))).astype(np.int64)
