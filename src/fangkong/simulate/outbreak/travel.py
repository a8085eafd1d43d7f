"""Residents returning to the city each day, some from risk areas, some infected outside.

Each channel (self-report, pushed list, checkpoint scan) hears of each arrival independently
with its rate; an arrival no channel hears of is in the ground truth only. An arrival infected
outside was infected 0-2 days before arriving and may arrive already infectious.
"""

from __future__ import annotations

import numpy as np

from fangkong.simulate.outbreak.disease import Health
from fangkong.simulate.outbreak.outputs import (
    CHANNELS,
    IMPORTED,
    ArrivalReports,
    Arrivals,
    Infections,
)
from fangkong.simulate.outbreak.parameters import Parameters
from fangkong.simulate.outbreak.population import IntArray


def arrive(day: int, health: Health, parameters: Parameters,
           rng: np.random.Generator) -> tuple[Arrivals, ArrivalReports, Infections]:  # fmt: skip
    people = health.infected.shape[0]
    count = min(people, int(rng.binomial(people, parameters.arrival_rate)))
    person = np.sort(rng.choice(people, size=count, replace=False)).astype(np.int64)
    risk = rng.random(count) < parameters.risk_area_share
    chance = np.where(risk, parameters.infected_risk_area, parameters.infected_elsewhere)
    infected = (rng.random(count) < chance) & health.is_susceptible()[person]
    minute = rng.integers(360, 1380, size=count)
    when: IntArray = day - rng.integers(0, 3, size=np.count_nonzero(infected))
    health.infect(person[infected], when, parameters, rng)
    n = int(when.shape[0])
    imported = Infections(person[infected], np.full(n, -1), np.full(n, IMPORTED),
                          np.full(n, -1), when, rng.integers(0, 1440, size=n))  # fmt: skip
    arrivals = Arrivals(person, np.full(count, day), minute, risk, infected)
    return arrivals, _reports(arrivals, parameters, rng), imported


def _reports(
    arrivals: Arrivals, parameters: Parameters, rng: np.random.Generator
) -> ArrivalReports:
    parts = []
    for code, name in enumerate(CHANNELS):
        heard = rng.random(len(arrivals)) < parameters.channel_rates[name]
        picked = arrivals.take(heard)
        parts.append(ArrivalReports(picked.person, picked.day, picked.minute,
                                    np.full(len(picked), code), picked.risk_area))  # fmt: skip
    return ArrivalReports.concat(parts)
