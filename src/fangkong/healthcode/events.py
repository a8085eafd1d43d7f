"""Events other domains publish with ``fangkong.core.events.publish(session, event)``.

The health-code domain subscribes to each (``fangkong.healthcode.handlers``) and recomputes the
person's code at once, in the publisher's transaction.

- ``FactRaised``: a reason is in force for the person (idempotent per person, reason and
  ``ref``: raising it again only moves ``until``). ``until``, when given, ends it at the sweep.
- ``FactEnded``: the reason with that ``ref`` is no longer in force.
- ``FactsRaised`` / ``FactsEnded``: the same for many people at once (a zone's residents),
  stored and recomputed in bulk (``service.raise_facts`` / ``service.end_facts``);
  ``FactsRaisedEach``: many facts of one reason, each with its own ``ref`` and ``until`` (the
  high-risk trips of a pushed list).
- ``NegativeTest``: a negative NAT sampled at ``sampled_at``; it ends the facts a negative test
  lifts (``fangkong.healthcode.engine.lifted_by_negative``) that started before the sampling;
  ``single_tube`` false (a pooled or household tube) leaves a positive pool's yellow alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from fangkong.policy.types import Reason


@dataclass(frozen=True)
class FactRaised:
    person_id: int
    reason: Reason
    source: str
    ref: str
    until: datetime | None = None


@dataclass(frozen=True)
class FactEnded:
    person_id: int
    reason: Reason
    ref: str


@dataclass(frozen=True)
class FactsRaised:
    person_ids: tuple[int, ...]
    reason: Reason
    source: str
    ref: str
    until: datetime | None = None


@dataclass(frozen=True)
class FactsRaisedEach:
    reason: Reason
    source: str
    items: tuple[tuple[int, str, datetime | None], ...]  # (person_id, ref, until)


@dataclass(frozen=True)
class FactsEnded:
    person_ids: tuple[int, ...]
    reason: Reason
    ref: str


@dataclass(frozen=True)
class NegativeTest:
    person_id: int
    sampled_at: datetime
    source: str
    single_tube: bool = True
