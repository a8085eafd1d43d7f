"""Facts of many people at once: a sealed zone's fifty thousand residents turn red together,
and turn back when it is lifted. The per-person path (``raise_fact``: about a dozen queries and
a recompute each) would take half an hour for such a zone.

``raise_facts`` and ``end_facts`` do the same as ``raise_fact`` and ``end_matching`` for each
person — merged-away people follow to the kept record, raising again only moves ``until``, a
new fact ends a manual change in force — with a few set-based statements per chunk, and
``recompute_many`` computes every touched code with the same engine and stores changed ones
(and their history rows) in bulk.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime

from sqlalchemy.orm import Session

from fangkong.core import clock
from fangkong.core.iterables import batched
from fangkong.healthcode import engine, repository
from fangkong.healthcode.service.codes import REF_LENGTH, SOURCE_LENGTH
from fangkong.models.healthcode import HealthCode
from fangkong.policy.schema import Edition
from fangkong.policy.types import Colour, Reason

CHUNK = 1000  # ids per statement: well under either database's parameter limit


def id_chunks(ids: Iterable[int]) -> Iterator[tuple[int, ...]]:
    """The distinct ids in order, ``CHUNK`` at a time (what ``recompute_many`` takes)."""
    return batched(sorted(set(ids)), CHUNK)


def raise_facts(
    session: Session,
    *,
    person_ids: Iterable[int],
    reason: Reason,
    source: str,
    ref: str,
    until: datetime | None,
    edition: Edition,
) -> int:
    """``reason`` in force for each person (idempotent per person, reason and ref); returns how
    many facts were new."""
    items = [(person_id, ref, until) for person_id in person_ids]
    return raise_each(session, items=items, reason=reason, source=source, edition=edition)


def raise_each(
    session: Session,
    *,
    items: Iterable[tuple[int, str, datetime | None]],
    reason: Reason,
    source: str,
    edition: Edition,
) -> int:
    """``reason`` in force for each ``(person_id, ref, until)`` — one fact per trip of a pushed
    list, say; returns how many facts were new."""
    now, source = clock.now(), source[:SOURCE_LENGTH]
    wanted = {(person_id, ref[:REF_LENGTH]): until for person_id, ref, until in items}
    new = 0
    for chunk in id_chunks(person_id for person_id, _ in wanted):
        live = repository.live_ids(session, chunk)
        rows = {
            (live[person_id], ref): until
            for (person_id, ref), until in wanted.items()
            if person_id in live
        }
        having = repository.refs_in_force(session, sorted(set(live.values())), reason.value)
        fresh = [key for key in rows if key not in having]
        repository.set_untils(
            session,
            reason.value,
            [(p, ref, rows[(p, ref)]) for p, ref in rows if (p, ref) in having],
        )
        repository.insert_facts(
            session,
            [
                {"person_id": p, "reason": reason.value, "source": source, "ref": ref,
                 "started_at": now, "until": rows[(p, ref)]}
                for p, ref in fresh
            ],
        )  # fmt: skip
        repository.end_manuals_of(session, sorted({p for p, _ in fresh}), now)
        touched = sorted({p for p, _ in rows})
        recompute_many(session, touched, edition=edition, cause="fact", now=now)
        new += len(fresh)
    return new


def end_facts(
    session: Session, *, person_ids: Iterable[int], reason: Reason, ref: str, edition: Edition
) -> int:
    """End each person's fact of ``reason`` and ``ref``; returns how many ended."""
    now, ref = clock.now(), ref[:REF_LENGTH]
    ended = 0
    for chunk in id_chunks(person_ids):
        live = sorted(set(repository.live_ids(session, chunk).values()))
        touched = repository.end_facts(session, live, reason.value, ref, now=now, by="event")
        recompute_many(session, touched, edition=edition, cause="fact_ended", now=now)
        ended += len(touched)
    return ended


def recompute_many(
    session: Session, person_ids: Sequence[int], *, edition: Edition, cause: str, now: datetime
) -> int:
    """``recompute`` for each person (at most ``CHUNK``); returns how many codes changed."""
    if not person_ids:
        return 0
    computed = _computed(session, person_ids, edition=edition, now=now)
    codes = repository.codes_of(session, person_ids)
    history = []
    for person_id in person_ids:
        result = computed[person_id]
        state = (result.colour.value, list(result.reasons), result.manual)
        code = codes.get(person_id)
        if code is None:
            code = HealthCode(person_id=person_id)
            session.add(code)
        elif (code.colour, list(code.reasons), code.manual) == state:
            code.edition_id, code.computed_at = edition.id, now
            continue
        code.colour, code.reasons, code.manual = state
        code.edition_id, code.computed_at = edition.id, now
        history.append(
            {"person_id": person_id, "colour": state[0], "reasons": state[1], "manual": state[2],
             "edition_id": edition.id, "cause": cause, "changed_at": now}
        )  # fmt: skip
    session.flush()
    repository.insert_history(session, history)
    return len(history)


def _computed(
    session: Session, person_ids: Sequence[int], *, edition: Edition, now: datetime
) -> dict[int, engine.Computed]:
    """What the engine makes of each person's facts in force and manual change in force, both
    read once for all; a person with neither shares the one result of no reason (green)."""
    reasons = repository.reasons_in_force_of(session, person_ids)
    manuals = repository.manual_colours_of(session, person_ids, now)
    plain = engine.compute(edition.health_code, (), None)
    computed = {}
    for person_id in person_ids:
        manual, found = manuals.get(person_id), reasons.get(person_id)
        computed[person_id] = plain if not (manual or found) else engine.compute(
            edition.health_code, found or (), Colour(manual) if manual else None
        )  # fmt: skip
    return computed


def colours_of(
    session: Session, person_ids: Sequence[int], *, edition: Edition
) -> dict[int, Colour]:
    """Each person's colour now, for many at once, without writing: the stored code when it
    was computed under ``edition``, else what the engine makes of the facts in force and any
    manual change (``_computed``)."""
    colours: dict[int, Colour] = {}
    now = clock.now()
    for chunk in id_chunks(person_ids):
        stored = repository.stored_colours(session, chunk)
        fresh = {p: Colour(c) for p, (c, e) in stored.items() if e == edition.id}
        others = [person_id for person_id in chunk if person_id not in fresh]
        if others:
            computed = _computed(session, others, edition=edition, now=now)
            colours |= {person_id: result.colour for person_id, result in computed.items()}
        colours |= fresh
    return colours
