"""Events of the quarantine domain, published with ``fangkong.core.events.publish``.

- ``PlacementStarted``: a person is under control (centralized isolation, home isolation or
  home health monitoring) from ``day0_at`` to ``ends_at``; the seven counts of the grid change.
- ``PlacementEnded``: ``released`` (解除隔离, certificate issued), ``transferred`` (positive:
  to hospital) or ``cancelled``; ``follow_on`` is true when a next period (home monitoring
  after centralized isolation) starts at once. Tracing closes the contact's health-code fact
  when an isolation period (centralized or home isolation) ends.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class PlacementStarted:
    placement_id: int
    person_id: int
    measure: str
    contact_id: int | None
    trip_id: int | None
    day0_at: datetime
    ends_at: datetime


@dataclass(frozen=True)
class PlacementEnded:
    placement_id: int
    person_id: int
    measure: str
    status: str  # released | transferred | cancelled
    contact_id: int | None
    trip_id: int | None
    follow_on: bool
