"""Who could infect whom today, at home and at venues, and the true close contacts.

Each (infectious, susceptible) pair is drawn independently: at home with the daily household
probability, at a venue with ``1 - exp(-hazard[kind] * overlap_minutes)``; both scaled by the
infector's infectiousness (lower when asymptomatic) and the infectee's susceptibility (0 when
already infected, lower for children). Someone hit by several pairs keeps the earliest (the
model resolves that in ``model``). Pairs are expanded in chunks to bound memory.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from fangkong.simulate.outbreak.outputs import HOUSEHOLD, VENUE, Contacts, Infections, Visits
from fangkong.simulate.outbreak.parameters import Parameters
from fangkong.simulate.outbreak.population import BoolArray, IntArray

PAIRS_PER_CHUNK = 4_000_000
FloatArray = np.ndarray


@dataclass(frozen=True, slots=True)
class Exposure:
    """The day's people-level inputs of transmission."""

    day: int
    infectious: IntArray  # indices of infectious people
    infectiousness: FloatArray  # per person, 0 when not infectious
    susceptibility: FloatArray  # per person, 0 when not susceptible
    isolated: BoolArray


@dataclass(frozen=True, slots=True)
class Households:
    """Members by household, compressed: ``members[start[h]:start[h] + count[h]]``."""

    index: IntArray  # person -> dense household index
    members: IntArray
    start: IntArray
    count: IntArray

    @classmethod
    def of(cls, household: IntArray) -> Households:
        _, index, count = np.unique(household, return_inverse=True, return_counts=True)
        members = np.argsort(index, kind="stable")
        return cls(index, members, np.cumsum(count) - count, count)


def expand(start: IntArray, count: IntArray) -> tuple[IntArray, IntArray]:
    """For ranges ``[start, start + count)``: (range number, position) of every element."""
    total = int(count.sum())
    source = np.repeat(np.arange(start.shape[0]), count)
    offset = np.arange(total) - np.repeat(np.cumsum(count) - count, count)
    return source, np.repeat(start, count) + offset


def at_home(
    exposure: Exposure,
    households: Households,
    household_id: IntArray,
    *,
    parameters: Parameters,
    rng: np.random.Generator,
) -> tuple[Infections, Contacts]:
    """Household members of each infectious person: contacts, and infections by daily risk."""
    infector, member = _housemates(exposure.infectious, households)
    isolated = exposure.isolated[infector] | exposure.isolated[member]
    risk = parameters.household_daily * exposure.infectiousness[infector]
    risk = risk * exposure.susceptibility[member]
    risk = np.where(isolated, risk * parameters.isolation_household_factor, risk)
    n = int(member.shape[0])
    hit = rng.random(n) < risk
    minute: IntArray = rng.integers(0, 1440, size=n)
    place, days = household_id[member], np.full(n, exposure.day)
    infections = Infections(member[hit], infector[hit], np.full(int(hit.sum()), HOUSEHOLD),
                            place[hit], days[hit], minute[hit])  # fmt: skip
    contacts = Contacts(infector, member, np.full(n, HOUSEHOLD), place, days, np.full(n, 1440))
    return infections, contacts


def _housemates(infectious: IntArray, households: Households) -> tuple[IntArray, IntArray]:
    """(infectious person, other member) for every member of their households."""
    h = households.index[infectious]
    source, position = expand(households.start[h], households.count[h])
    infector, member = infectious[source], households.members[position]
    keep = member != infector
    return infector[keep], member[keep]


def at_venues(exposure: Exposure, visits: Visits, hazard: FloatArray, *, parameters: Parameters,
              rng: np.random.Generator) -> tuple[Infections, Contacts]:  # fmt: skip
    """``hazard``: per-minute hazard of each visit's venue."""
    order = np.argsort(visits.venue, kind="stable")
    by_venue = visits.venue[order]
    sources = np.flatnonzero(exposure.infectiousness[visits.person] > 0)
    low = np.searchsorted(by_venue, visits.venue[sources], side="left")
    count = np.searchsorted(by_venue, visits.venue[sources], side="right") - low
    parts = [
        _venue_pairs(exposure, visits, hazard, sources=sources[c], order=order, low=low[c],
                     count=count[c], parameters=parameters, rng=rng)
        for c in _chunks(count)
    ]  # fmt: skip
    if not parts:
        return Infections.concat([_no_infections()]), Contacts.concat([_no_contacts()])
    return Infections.concat([p[0] for p in parts]), Contacts.concat([p[1] for p in parts])


def _chunks(count: IntArray) -> list[slice]:
    bounds = np.searchsorted(np.cumsum(count), np.arange(1, 1 + int(count.sum()) // PAIRS_PER_CHUNK)
                             * PAIRS_PER_CHUNK)  # fmt: skip
    edges = [0, *(int(b) + 1 for b in bounds), count.shape[0]]
    return [slice(a, b) for a, b in itertools.pairwise(edges) if b > a]


def _venue_pairs(exposure: Exposure, visits: Visits, hazard: FloatArray, *, sources: IntArray,
                 order: IntArray, low: IntArray, count: IntArray, parameters: Parameters,
                 rng: np.random.Generator) -> tuple[Infections, Contacts]:  # fmt: skip
    a, first, overlap, infector, infectee = _together(visits, sources, order, low, count)
    strength = hazard[a] * exposure.infectiousness[infector] * exposure.susceptibility[infectee]
    hit = rng.random(a.shape[0]) < -np.expm1(-strength * overlap)
    minute = first + (rng.random(a.shape[0]) * overlap).astype(np.int64)
    venue, days = visits.venue[a], np.full(a.shape[0], exposure.day)
    close = hit | (overlap >= parameters.contact_minutes)
    infections = Infections(infectee[hit], infector[hit], np.full(int(hit.sum()), VENUE),
                            venue[hit], days[hit], minute[hit])  # fmt: skip
    contacts = Contacts(infector[close], infectee[close], np.full(int(close.sum()), VENUE),
                        venue[close], days[close], overlap[close])  # fmt: skip
    return infections, contacts


def _together(visits: Visits, sources: IntArray, order: IntArray, low: IntArray,
              count: IntArray) -> tuple[IntArray, ...]:  # fmt: skip
    """Infectious visit, overlap start and minutes, infector, other person: co-present pairs."""
    source, position = expand(low, count)
    a, b = sources[source], order[position]
    first = np.maximum(visits.start[a], visits.start[b])
    overlap = np.minimum(visits.end[a], visits.end[b]) - first
    infector, infectee = visits.person[a], visits.person[b]
    keep = (overlap > 0) & (infector != infectee)
    return tuple(x[keep] for x in (a, first, overlap, infector, infectee))


def _no_infections() -> Infections:
    return Infections(*(np.zeros(0, dtype=np.int64) for _ in range(6)))


def _no_contacts() -> Contacts:
    return Contacts(*(np.zeros(0, dtype=np.int64) for _ in range(6)))


def earliest(infections: Infections) -> Infections:
    """One infection per infectee: the earliest minute (ties: the first drawn)."""
    order = np.lexsort((infections.minute, infections.infectee))
    ordered = infections.take(order)
    first = np.ones(len(ordered), dtype=np.bool_)
    first[1:] = ordered.infectee[1:] != ordered.infectee[:-1]
    return ordered.take(first)
