"""Negative NATs in bulk: a lab's upload of a million pooled tubes makes ten million people
negative at once, which the per-person path (``record_negative``: read, write, recompute for
each) cannot do in time.

``record_negatives`` stores every member's latest negative sampling with one INSERT … SELECT …
ON CONFLICT (only where newer), and ends facts only for the members who have a fact in force
that a negative ends (``engine.ENDED_BY_NEGATIVE``), a chunk of people at a time: their facts
read together, their codes recomputed together (``recompute_many``). Nobody else's colour can
change from a negative, so nobody else is recomputed.

Which facts a negative ends is ``engine.lifted_by_negative``: a pooled or household tube's
negative never ends ``testing.pool_positive`` (only the single-tube retest does).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from itertools import groupby

from sqlalchemy import Subquery
from sqlalchemy.orm import Session

from fangkong.core import clock
from fangkong.healthcode import engine, repository
from fangkong.healthcode.service.bulk import id_chunks, recompute_many
from fangkong.healthcode.service.codes import SOURCE_LENGTH
from fangkong.policy.schema import Edition


def record_negatives(session: Session, *, members: Subquery, source: str, edition: Edition) -> int:
    """``members``: rows ``(person_id, sampled_at, single)``, one per negative tube member.
    Returns how many people had facts ended (and their code recomputed)."""
    now = clock.now()
    repository.upsert_negatives(session, members, source[:SOURCE_LENGTH], now)
    reasons = sorted(reason.value for reason in engine.ENDED_BY_NEGATIVE)
    rows = repository.negatives_lifting_facts(session, members, reasons)
    samplings = {int(person_id): [(at, bool(single)) for _, at, single in found]
                 for person_id, found in groupby(rows, key=lambda row: row[0])}  # fmt: skip
    lifted = 0
    for chunk in id_chunks(samplings):
        lifted += _lift(session, chunk, samplings, source=source, edition=edition, now=now)
    return lifted


def _lift(
    session: Session,
    person_ids: Sequence[int],
    samplings: dict[int, list[tuple[datetime, bool]]],
    *,
    source: str,
    edition: Edition,
    now: datetime,
) -> int:
    """End the facts of these people that one of their negative samplings lifts; recompute,
    once each, those who had any ended. Returns how many."""
    ended: set[int] = set()
    for fact in repository.facts_in_force_of(session, person_ids):
        if any(
            engine.lifted_by_negative(fact.reason, fact.started_at, at, single_tube=single)
            for at, single in samplings[fact.person_id]
        ):
            fact.ended_at, fact.ended_by = now, f"negative:{source}"[:64]
            ended.add(fact.person_id)
    if ended:
        session.flush()
        recompute_many(session, sorted(ended), edition=edition, cause="negative_test", now=now)
    return len(ended)
