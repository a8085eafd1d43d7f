"""What one day of the model produces: column arrays, person and venue given by index.

Settings of an infection: ``seed`` (a seed case, day 0), ``imported`` (an arrival infected
outside the city), ``household`` and ``venue``. ``place`` is the household id for ``household``,
the venue index for ``venue`` and -1 otherwise; ``infector`` is -1 for seed and imported cases.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Self

import numpy as np

from fangkong.simulate.outbreak.population import BoolArray, IntArray

SETTINGS = ("seed", "imported", "household", "venue")
SEED, IMPORTED, HOUSEHOLD, VENUE = range(len(SETTINGS))
CHANNELS = ("self", "pushed", "checkpoint")  # as ArrivalReport.channel in arrivals.intake


class Columns:
    """Shared helpers of the column tables below."""

    def __len__(self) -> int:
        return int(getattr(self, fields(self)[0].name).shape[0])  # type: ignore[arg-type]

    def take(self, index: IntArray | BoolArray) -> Self:
        return type(self)(*(getattr(self, f.name)[index] for f in fields(self)))  # type: ignore[arg-type]

    @classmethod
    def concat(cls, parts: list[Self]) -> Self:
        names = [f.name for f in fields(cls)]  # type: ignore[arg-type]
        return cls(*(np.concatenate([getattr(p, n) for p in parts]) for n in names))


@dataclass(frozen=True, slots=True)
class Visits(Columns):
    """Presence at a venue from ``start`` to ``end`` (minutes after midnight, end exclusive)."""

    person: IntArray
    venue: IntArray
    start: IntArray
    end: IntArray


@dataclass(frozen=True, slots=True)
class Infections(Columns):
    infectee: IntArray
    infector: IntArray
    setting: IntArray
    place: IntArray
    day: IntArray
    minute: IntArray


@dataclass(frozen=True, slots=True)
class Contacts(Columns):
    """A true close contact of an infectious person on a day: a household member, or someone
    present at a venue with them for at least ``contact_minutes`` (or who was infected there)."""

    infectious: IntArray
    contact: IntArray
    setting: IntArray  # HOUSEHOLD or VENUE
    place: IntArray
    day: IntArray
    minutes: IntArray  # overlapping minutes; 1440 for a household


@dataclass(frozen=True, slots=True)
class Events(Columns):
    """Person events of a day: symptom onsets, fever-clinic visits (``place`` = hospital)."""

    person: IntArray
    day: IntArray
    minute: IntArray
    place: IntArray


@dataclass(frozen=True, slots=True)
class Arrivals(Columns):
    """Residents returning to the city; ``infected`` is ground truth, not known to channels."""

    person: IntArray
    day: IntArray
    minute: IntArray
    risk_area: BoolArray
    infected: BoolArray


@dataclass(frozen=True, slots=True)
class ArrivalReports(Columns):
    """One channel hearing of one arrival (``channel`` indexes ``CHANNELS``)."""

    person: IntArray
    day: IntArray
    minute: IntArray
    channel: IntArray
    risk_area: BoolArray


@dataclass(frozen=True, slots=True)
class Day:
    """Everything one day produced."""

    day: int
    visits: Visits
    infections: Infections
    contacts: Contacts
    onsets: Events
    fever_clinic: Events
    arrivals: Arrivals
    arrival_reports: ArrivalReports
