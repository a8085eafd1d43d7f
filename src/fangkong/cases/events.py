"""Events of the cases domain, published with ``fangkong.core.events.publish``.

- ``CasesReported``: cases were created (``status`` pending or active), from the positive
  single tubes of one lab upload, a confirmed antigen or by hand; one ``CaseReported`` each.
  Tracing generates the contact candidates of them all in one pass; quarantine ends the
  people's open placements as ``transferred`` (转运) and recounts their grids once; tracing
  upgrades the secondary contacts of a close contact who turned positive, when the edition
  says so. One event per upload, not per case: a day's positives arrive in a few uploads.
- ``CaseClassified``: the expert group classified a pending case, or an asymptomatic case was
  confirmed (``converted``: counted once by the bulletin).
- ``CaseClosed``: discharged, released or died; the health code's ``case.positive`` ends.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class CaseReported:
    case_id: int
    person_id: int
    kind: str | None  # confirmed | asymptomatic | None (pending)
    sampled_at: datetime
    onset_on: date | None
    region_code: str
    channel: str


@dataclass(frozen=True)
class CasesReported:
    cases: tuple[CaseReported, ...]


@dataclass(frozen=True)
class CaseClassified:
    case_id: int
    person_id: int
    kind: str
    converted: bool


@dataclass(frozen=True)
class CaseClosed:
    case_id: int
    person_id: int
    status: str  # discharged | released | died
