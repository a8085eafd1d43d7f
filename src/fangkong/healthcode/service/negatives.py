"""Negative NATs in bulk: a lab's upload of a million pooled tubes makes ten million people
negative at once, which the per-person path (``record_negative``: read, write, recompute for
each) cannot do in time.

``record_negatives`` stores every member's latest negative sampling with one INSERT … SELECT …
ON CONFLICT (only where newer), and runs the per-person path only for the few members who have
a fact in force that a negative ends (``engine.ENDED_BY_NEGATIVE``). Nobody else's colour can
change from a negative, so nobody else is recomputed.

Which facts a negative ends is ``engine.lifted_by_negative``: a pooled or household tube's
negative never ends ``testing.pool_positive`` (only the single-tube retest does).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from itertools import groupby
from typing import Any

from sqlalchemy import Subquery
from sqlalchemy.orm import Session

from fangkong.core import clock
from fangkong.healthcode import engine, repository
from fangkong.healthcode.service.codes import SOURCE_LENGTH, recompute
from fangkong.policy.schema import Edition


def record_negatives(session: Session, *, members: Subquery, source: str, edition: Edition) -> int:
    """``members``: rows ``(person_id, sampled_at, single)``, one per negative tube member.
    Returns how many people had facts ended (and their code recomputed)."""
    now = clock.now()
    repository.upsert_negatives(session, members, source[:SOURCE_LENGTH], now)
    reasons = sorted(reason.value for reason in engine.ENDED_BY_NEGATIVE)
    rows = repository.negatives_lifting_facts(session, members, reasons)
    lifted = 0
    for person_id, samplings in groupby(rows, key=lambda row: row[0]):
        if _lift(
            session,
            int(person_id),
            samplings=list(samplings),
            source=source,
            edition=edition,
            now=now,
        ):
            lifted += 1
    return lifted


def _lift(
    session: Session,
    person_id: int,
    *,
    samplings: Sequence[Any],
    source: str,
    edition: Edition,
    now: datetime,
) -> bool:
    """End the person's facts each negative sampling lifts; recompute once if any ended."""
    ended = False
    for fact in repository.facts_in_force(session, person_id):
        if any(
            engine.lifted_by_negative(fact.reason, fact.started_at, at, single_tube=bool(single))
            for _, at, single in samplings
        ):
            fact.ended_at, fact.ended_by = now, f"negative:{source}"[:64]
            ended = True
    if ended:
        session.flush()
        recompute(session, person_id, edition=edition, cause="negative_test", now=now)
    return ended
