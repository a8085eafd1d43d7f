"""Events of the arrivals domain, published with ``fangkong.core.events.publish``.

- ``RiskAreasChanged``: the national list changed for these counties over ``[start, end)``
  (an import, a manual entry or a correction); the intake reclassifies the open trips whose
  origin and travel days it touches.
- ``TripClassified``: a trip got (or changed) its grade and measure; later domains (the
  quarantine placements of issue 9, the dashboard) may subscribe. ``new``: the trip was made
  by this classification's reports, so nothing (a placement, a task) refers to it yet.
- ``TripsClassified``: many trips classified at once (a pushed list's chunk), each as a
  ``TripClassified``; a subscriber of that one subscribes to this one too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class RiskAreasChanged:
    county_codes: tuple[str, ...]
    start: datetime
    end: datetime | None  # null: still in force


@dataclass(frozen=True)
class TripClassified:
    trip_id: int
    person_id: int
    grade: str
    measure: str
    new: bool = False


@dataclass(frozen=True)
class TripsClassified:
    trips: tuple[TripClassified, ...]
