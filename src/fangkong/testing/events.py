"""Events the testing domain publishes for other domains.

- ``CaseCandidates``: single tubes (单采) tested positive by the edition's Ct threshold, one
  ``CaseCandidate`` per person; all of one upload (or the one tube an officer resulted) in one
  event. The cases domain turns them into cases (issue 9). Each health code is reddened at once
  by a ``FactRaised(case.pending_confirmation)`` the testing domain publishes beside it.
- ``PeopleSampled``: people were added to a tube (sampled); the arrivals domain closes their
  open landing tests (落地即检), quarantine marks their test day sampled. ``TubesSampled``: many
  tubes of one bulk call (a ``PeopleSampled`` each), handled together.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class CaseCandidate:
    person_id: int
    tube_id: int
    sampled_at: datetime
    tested_at: datetime
    lab_id: int | None
    ct_orf1ab: float | None
    ct_n: float | None


@dataclass(frozen=True)
class CaseCandidates:
    candidates: tuple[CaseCandidate, ...]


@dataclass(frozen=True)
class PeopleSampled:
    """People were added to a tube (sampled) at ``sampled_at``: the arrivals domain closes
    their open landing tests (落地即检)."""

    person_ids: tuple[int, ...]
    tube_id: int
    sampled_at: datetime


@dataclass(frozen=True)
class TubesSampled:
    tubes: tuple[PeopleSampled, ...]
