"""What a tube's new result sets off in other domains (through events, never their tables).

- a positive pooled or household tube: every member ``FactRaised(testing.pool_positive)`` at
  once (yellow, temporary control) and a ``pool_retest`` task each (单采复核);
- a positive single tube: ``FactRaised(case.pending_confirmation)`` and a ``CaseCandidate``;
  the candidates of all the positive tubes of one upload go out in one ``CaseCandidates``;
- a negative tube (the officer replacing a conflicting result): ``NegativeTest`` per member,
  and the pool's open retest tasks are cancelled (the pool is no longer positive).
  Uploads take the bulk path for negatives instead (``healthcode.service.record_negatives``).
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from fangkong.core import clock
from fangkong.core.events import publish
from fangkong.healthcode.events import FactEnded, FactRaised, NegativeTest
from fangkong.models.testing import TestTask, Tube
from fangkong.policy.types import Reason
from fangkong.testing.events import CaseCandidate, CaseCandidates
from fangkong.testing.results import repository

SOURCE = "testing"
POOL_RETEST = "pool_retest"


def tube_ref(tube_id: int) -> str:
    return f"tube:{tube_id}"


def positive(session: Session, tube: Tube) -> int:
    """React to a positive tube; returns the retest tasks made."""
    return positives(session, [tube])


def positives(session: Session, tubes: Sequence[Tube]) -> int:
    """React to an upload's positive tubes; returns the retest tasks made. The single tubes'
    candidates go out together, so the cases domain reports them as one batch."""
    tasks = sum(_positive_pool(session, tube) for tube in tubes if tube.kind != "single")
    found = [item for tube in tubes if tube.kind == "single"
             for item in _case_candidates(session, tube)]  # fmt: skip
    if found:
        publish(session, CaseCandidates(tuple(found)))
    return tasks


def _positive_pool(session: Session, tube: Tube) -> int:
    members = repository.tube_members(session, tube.id)
    ref = tube_ref(tube.id)
    for member in members:
        publish(session, FactRaised(member.person_id, Reason.POOL_POSITIVE, SOURCE, ref))
    have = repository.open_tasks(session, [m.person_id for m in members], POOL_RETEST, ref)
    new = [m.person_id for m in members if m.person_id not in have]
    session.add_all(
        TestTask(person_id=p, kind=POOL_RETEST, source_ref=ref, created_at=clock.now()) for p in new
    )
    session.flush()
    return len(new)


def _case_candidates(session: Session, tube: Tube) -> list[CaseCandidate]:
    """The tube's members' candidates, each member's code reddened (pending confirmation)."""
    assert tube.tested_at is not None
    ref, found = tube_ref(tube.id), []
    for member in repository.tube_members(session, tube.id):
        publish(session, FactRaised(member.person_id, Reason.CASE_PENDING, SOURCE, ref))
        found.append(CaseCandidate(
            person_id=member.person_id, tube_id=tube.id, sampled_at=member.sampled_at,
            tested_at=tube.tested_at, lab_id=tube.lab_id, ct_orf1ab=tube.ct_orf1ab,
            ct_n=tube.ct_n,
        ))  # fmt: skip
    return found


def negative(session: Session, tube: Tube) -> None:
    """A tube that turned negative (a replaced result): its own positive facts end, and each
    member has a negative test."""
    reason = Reason.CASE_PENDING if tube.kind == "single" else Reason.POOL_POSITIVE
    repository.cancel_open_tasks(session, POOL_RETEST, tube_ref(tube.id), clock.now())
    for member in repository.tube_members(session, tube.id):
        publish(session, FactEnded(member.person_id, reason, tube_ref(tube.id)))
        negative = NegativeTest(
            member.person_id, member.sampled_at, SOURCE, single_tube=tube.kind == "single"
        )
        publish(session, negative)
