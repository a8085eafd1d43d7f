"""Health-code queries. Officer reads are scoped by the person's grid (``within``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Select,
    String,
    Subquery,
    Table,
    bindparam,
    delete,
    func,
    literal,
    or_,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from fangkong.core.pagination import PageParams, fetch_page
from fangkong.core.principal import Principal
from fangkong.core.scoping import within
from fangkong.db import among, bulk_insert
from fangkong.models import Person, PersonStatus
from fangkong.models.base import UTCDateTime
from fangkong.models.healthcode import (
    CodeAppeal,
    CodeChangeRequest,
    HealthCode,
    HealthCodeHistory,
    HealthFact,
    NatNegative,
    SweepState,
)

SWEEP_STATE_ID = 1
MAX_MERGE_HOPS = 8

_TABLES = HealthFact.metadata.tables


# --- facts ---------------------------------------------------------------------------------


def facts_in_force(session: Session, person_id: int) -> Sequence[HealthFact]:
    query = select(HealthFact).where(
        HealthFact.person_id == person_id, HealthFact.ended_at.is_(None)
    )
    return session.scalars(query.order_by(HealthFact.id)).all()


def facts_in_force_of(session: Session, person_ids: Sequence[int]) -> Sequence[HealthFact]:
    """The facts in force of many people (a chunk of ids), by person then id."""
    query = select(HealthFact).where(
        among(session, HealthFact.person_id, person_ids), HealthFact.ended_at.is_(None)
    )
    return session.scalars(query.order_by(HealthFact.person_id, HealthFact.id)).all()


def fact_in_force(session: Session, person_id: int, reason: str, ref: str) -> HealthFact | None:
    query = select(HealthFact).where(
        HealthFact.person_id == person_id,
        HealthFact.reason == reason,
        HealthFact.ref == ref,
        HealthFact.ended_at.is_(None),
    )
    return session.scalars(query).first()


def person_facts(session: Session, person_id: int, limit: int = 100) -> Sequence[HealthFact]:
    query = select(HealthFact).where(HealthFact.person_id == person_id)
    return session.scalars(query.order_by(HealthFact.id.desc()).limit(limit)).all()


def scoped_fact(session: Session, actor: Principal, fact_id: int) -> HealthFact | None:
    query = (
        select(HealthFact)
        .join(Person, Person.id == HealthFact.person_id)
        .where(HealthFact.id == fact_id, within(Person.grid_code, actor.region_code))
    )
    return session.scalars(query).first()


def facts_due(session: Session, now: datetime) -> Sequence[HealthFact]:
    query = select(HealthFact).where(HealthFact.until <= now, HealthFact.ended_at.is_(None))
    return session.scalars(query.order_by(HealthFact.id)).all()


# --- codes, history, negatives ---------------------------------------------------------------


def get_code(session: Session, person_id: int) -> HealthCode | None:
    return session.get(HealthCode, person_id)


def history(session: Session, person_id: int, limit: int = 100) -> Sequence[HealthCodeHistory]:
    query = select(HealthCodeHistory).where(HealthCodeHistory.person_id == person_id)
    return session.scalars(query.order_by(HealthCodeHistory.id.desc()).limit(limit)).all()


def negative(session: Session, person_id: int) -> NatNegative | None:
    return session.get(NatNegative, person_id)


def codes_of_other_editions(
    session: Session, edition_id: str, limit: int | None = None
) -> Sequence[int]:
    query = select(HealthCode.person_id).where(HealthCode.edition_id != edition_id)
    return session.scalars(query.order_by(HealthCode.person_id).limit(limit)).all()


def people_with_codes_or_facts(session: Session) -> Sequence[int]:
    facts = select(HealthFact.person_id).where(HealthFact.ended_at.is_(None))
    codes = select(HealthCode.person_id)
    return sorted(set(session.scalars(facts).all()) | set(session.scalars(codes).all()))


def live_person_id(session: Session, person_id: int) -> int | None:
    """The person's id, or the kept record's if it was merged away; None if unknown."""
    for _ in range(MAX_MERGE_HOPS):
        person = session.get(Person, person_id)
        if person is None:
            return None
        if person.status == PersonStatus.ACTIVE:
            return person.id
        if person.merged_into_id is None:
            return None
        person_id = person.merged_into_id
    return None


def person_exists(session: Session, person_id: int) -> Person | None:
    person = session.get(Person, person_id)
    return person if person is not None and person.status == PersonStatus.ACTIVE else None


def scoped_codes(actor: Principal, colour: str | None, region: str | None) -> Select[Any]:
    query = (
        select(HealthCode)
        .join(Person, Person.id == HealthCode.person_id)
        .where(within(Person.grid_code, actor.region_code))
    )
    if colour:
        query = query.where(HealthCode.colour == colour)
    if region:
        query = query.where(within(Person.grid_code, region))
    return query


def codes_page(
    session: Session, actor: Principal, page: PageParams, colour: str | None, region: str | None
) -> tuple[Sequence[HealthCode], str | None]:
    return fetch_page(session, scoped_codes(actor, colour, region), HealthCode.person_id, page)


def colour_counts(session: Session, actor: Principal, region: str | None) -> dict[str, int]:
    query = (
        select(HealthCode.colour, func.count())
        .join(Person, Person.id == HealthCode.person_id)
        .where(within(Person.grid_code, actor.region_code))
        .group_by(HealthCode.colour)
    )
    if region:
        query = query.where(within(Person.grid_code, region))
    return {colour: count for colour, count in session.execute(query).all()}


def people_of(session: Session, ids: Sequence[int]) -> dict[int, Person]:
    if not ids:
        return {}
    rows = session.scalars(select(Person).where(among(session, Person.id, ids))).all()
    return {person.id: person for person in rows}


# --- manual changes ------------------------------------------------------------------------


def manual_in_force(session: Session, person_id: int, now: datetime) -> CodeChangeRequest | None:
    query = select(CodeChangeRequest).where(
        CodeChangeRequest.person_id == person_id,
        CodeChangeRequest.status == "approved",
        CodeChangeRequest.ended_at.is_(None),
        or_(CodeChangeRequest.until.is_(None), CodeChangeRequest.until > now),
    )
    return session.scalars(query.order_by(CodeChangeRequest.decided_at.desc())).first()


def manuals_due(session: Session, now: datetime) -> Sequence[CodeChangeRequest]:
    query = select(CodeChangeRequest).where(
        CodeChangeRequest.status == "approved",
        CodeChangeRequest.ended_at.is_(None),
        CodeChangeRequest.until <= now,
    )
    return session.scalars(query).all()


def end_manuals(session: Session, person_id: int, now: datetime) -> int:
    result = session.execute(
        update(CodeChangeRequest)
        .where(
            CodeChangeRequest.person_id == person_id,
            CodeChangeRequest.status == "approved",
            CodeChangeRequest.ended_at.is_(None),
        )
        .values(ended_at=now)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def scoped_change(session: Session, actor: Principal, change_id: int) -> CodeChangeRequest | None:
    query = (
        select(CodeChangeRequest)
        .join(Person, Person.id == CodeChangeRequest.person_id)
        .where(CodeChangeRequest.id == change_id, within(Person.grid_code, actor.region_code))
    )
    return session.scalars(query).first()


def changes_page(
    session: Session, actor: Principal, page: PageParams, status: str | None
) -> tuple[Sequence[CodeChangeRequest], str | None]:
    query = (
        select(CodeChangeRequest)
        .join(Person, Person.id == CodeChangeRequest.person_id)
        .where(within(Person.grid_code, actor.region_code))
    )
    if status:
        query = query.where(CodeChangeRequest.status == status)
    return fetch_page(session, query, CodeChangeRequest.id, page, descending=True)


# --- appeals -------------------------------------------------------------------------------


def appeals_of(session: Session, person_id: int) -> Sequence[CodeAppeal]:
    query = select(CodeAppeal).where(CodeAppeal.person_id == person_id)
    return session.scalars(query.order_by(CodeAppeal.id.desc())).all()


def scoped_appeal(session: Session, actor: Principal, appeal_id: int) -> CodeAppeal | None:
    query = (
        select(CodeAppeal)
        .join(Person, Person.id == CodeAppeal.person_id)
        .where(CodeAppeal.id == appeal_id, within(Person.grid_code, actor.region_code))
    )
    return session.scalars(query).first()


def appeals_page(
    session: Session, actor: Principal, page: PageParams, status: str | None
) -> tuple[Sequence[CodeAppeal], str | None]:
    query = (
        select(CodeAppeal)
        .join(Person, Person.id == CodeAppeal.person_id)
        .where(within(Person.grid_code, actor.region_code))
    )
    if status:
        query = query.where(CodeAppeal.status == status)
    return fetch_page(session, query, CodeAppeal.id, page, descending=True)


# --- merge and sweep state -----------------------------------------------------------------


def repoint(session: Session, merged_id: int, kept_id: int) -> None:
    """Move every row of ``merged_id`` to ``kept_id``; its code row goes (recomputed after)."""
    for table in (HealthFact, HealthCodeHistory, CodeChangeRequest, CodeAppeal):
        session.execute(update(table).where(table.person_id == merged_id).values(person_id=kept_id))
    merged_negative = session.get(NatNegative, merged_id)
    if merged_negative is not None:
        kept_negative = session.get(NatNegative, kept_id)
        if kept_negative is None or kept_negative.sampled_at < merged_negative.sampled_at:
            if kept_negative is not None:
                session.delete(kept_negative)
                session.flush()
            session.add(
                NatNegative(
                    person_id=kept_id,
                    sampled_at=merged_negative.sampled_at,
                    source=merged_negative.source,
                    recorded_at=merged_negative.recorded_at,
                )
            )
        session.delete(merged_negative)
    session.execute(delete(HealthCode).where(HealthCode.person_id == merged_id))
    session.flush()


def sweep_state(session: Session) -> SweepState | None:
    return session.get(SweepState, SWEEP_STATE_ID)


# --- negatives in bulk (a lab's result upload) ------------------------------------------------


def upsert_negatives(session: Session, members: Subquery, source: str, now: datetime) -> None:
    """One INSERT … SELECT … ON CONFLICT: each person's latest negative sampling, kept only
    where newer than the stored one. ``members`` has columns ``person_id`` and ``sampled_at``."""
    latest = select(
        members.c.person_id,
        func.max(members.c.sampled_at),
        literal(source, String()),
        literal(now, UTCDateTime()),
    ).group_by(members.c.person_id)
    # In key order, so the primary key's pages are each visited once, not at random.
    latest = latest.order_by(members.c.person_id)
    table = NatNegative.__table__
    assert isinstance(table, Table)
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = insert(table).from_select(
        ["person_id", "sampled_at", "source", "recorded_at"], latest
    )
    excluded = statement.excluded
    statement = statement.on_conflict_do_update(
        index_elements=["person_id"],
        set_={"sampled_at": excluded.sampled_at, "source": excluded.source,
              "recorded_at": excluded.recorded_at},
        where=table.c.sampled_at < excluded.sampled_at,
    )  # fmt: skip
    session.execute(statement)


def negatives_lifting_facts(
    session: Session, members: Subquery, reasons: Sequence[str]
) -> Sequence[Any]:
    """``(person_id, sampled_at, single)`` of the members who have a fact in force, with one of
    ``reasons``, that began at or before their sampling (few: driven from the open facts)."""
    query = (
        select(members.c.person_id, members.c.sampled_at, members.c.single)
        .join(HealthFact, HealthFact.person_id == members.c.person_id)
        .where(
            HealthFact.ended_at.is_(None),
            HealthFact.reason.in_(reasons),
            HealthFact.started_at <= members.c.sampled_at,
        )
        .distinct()
        .order_by(members.c.person_id, members.c.sampled_at)
    )
    return session.execute(query).all()


# --- many people at once (a zone's residents, a list's arrivals) ----------------------------


def live_ids(session: Session, person_ids: Sequence[int]) -> dict[int, int]:
    """Each known id → its live record (itself, or the kept record it was merged into)."""
    live: dict[int, int] = {}
    pending = {person_id: person_id for person_id in person_ids}  # asked → current hop
    for _ in range(MAX_MERGE_HOPS):
        if not pending:
            break
        rows = session.execute(
            select(Person.id, Person.status, Person.merged_into_id).where(
                among(session, Person.id, set(pending.values()))
            )
        ).all()
        by_id = {row.id: row for row in rows}
        following: dict[int, int] = {}
        for asked, current in pending.items():
            row = by_id.get(current)
            if row is None:
                continue
            if row.status == PersonStatus.ACTIVE:
                live[asked] = current
            elif row.merged_into_id is not None:
                following[asked] = row.merged_into_id
        pending = following
    return live


def refs_in_force(session: Session, person_ids: Sequence[int], reason: str) -> set[tuple[int, str]]:
    """``(person_id, ref)`` of these people's facts of ``reason`` in force."""
    query = select(HealthFact.person_id, HealthFact.ref).where(
        among(session, HealthFact.person_id, person_ids),
        HealthFact.reason == reason,
        HealthFact.ended_at.is_(None),
    )
    return {(person_id, ref) for person_id, ref in session.execute(query)}


def set_untils(
    session: Session, reason: str, rows: Sequence[tuple[int, str, datetime | None]]
) -> None:
    """Move ``until`` of each ``(person_id, ref, until)`` fact in force of ``reason``."""
    if not rows:
        return
    table = HealthFact.metadata.tables[HealthFact.__tablename__]
    statement = (
        update(table)
        .where(
            table.c.person_id == bindparam("p"),
            table.c.reason == reason,
            table.c.ref == bindparam("r"),
            table.c.ended_at.is_(None),
        )
        .values(until=bindparam("u"))
    )
    session.connection().execute(statement, [{"p": p, "r": r, "u": u} for p, r, u in rows])


def insert_facts(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    if rows:
        session.flush()
        bulk_insert(session.connection(), _TABLES["health_facts"], list(rows))


def end_facts(
    session: Session, person_ids: Sequence[int], reason: str, ref: str, *, now: datetime, by: str
) -> list[int]:
    """End these people's fact of ``reason`` and ``ref``; the people who had one."""
    statement = (
        update(HealthFact)
        .where(
            among(session, HealthFact.person_id, person_ids),
            HealthFact.reason == reason,
            HealthFact.ref == ref,
            HealthFact.ended_at.is_(None),
        )
        .values(ended_at=now, ended_by=by)
        .returning(HealthFact.person_id)
        .execution_options(synchronize_session=False)
    )
    return sorted(set(session.scalars(statement).all()))


def end_manuals_of(session: Session, person_ids: Sequence[int], now: datetime) -> None:
    session.execute(
        update(CodeChangeRequest)
        .where(
            among(session, CodeChangeRequest.person_id, person_ids),
            CodeChangeRequest.status == "approved",
            CodeChangeRequest.ended_at.is_(None),
        )
        .values(ended_at=now)
        .execution_options(synchronize_session=False)
    )


def reasons_in_force_of(session: Session, person_ids: Sequence[int]) -> dict[int, list[str]]:
    query = (
        select(HealthFact.person_id, HealthFact.reason)
        .where(among(session, HealthFact.person_id, person_ids), HealthFact.ended_at.is_(None))
        .order_by(HealthFact.person_id, HealthFact.id)
    )
    found: dict[int, list[str]] = {}
    for person_id, reason in session.execute(query):
        found.setdefault(person_id, []).append(reason)
    return found


def manual_colours_of(session: Session, person_ids: Sequence[int], now: datetime) -> dict[int, str]:
    """The colour of each person's approved manual change in force (the latest decided)."""
    query = (
        select(CodeChangeRequest.person_id, CodeChangeRequest.colour)
        .where(
            among(session, CodeChangeRequest.person_id, person_ids),
            CodeChangeRequest.status == "approved",
            CodeChangeRequest.ended_at.is_(None),
            or_(CodeChangeRequest.until.is_(None), CodeChangeRequest.until > now),
        )
        .order_by(CodeChangeRequest.person_id, CodeChangeRequest.decided_at)
    )
    return {person_id: colour for person_id, colour in session.execute(query)}


def stored_colours(session: Session, person_ids: Sequence[int]) -> dict[int, tuple[str, str]]:
    """Person id → (stored colour, the edition it was computed under), for those with a code."""
    query = select(HealthCode.person_id, HealthCode.colour, HealthCode.edition_id)
    rows = session.execute(query.where(among(session, HealthCode.person_id, person_ids)))
    return {int(person_id): (colour, edition_id) for person_id, colour, edition_id in rows}


def codes_of(session: Session, person_ids: Sequence[int]) -> dict[int, HealthCode]:
    query = select(HealthCode).where(among(session, HealthCode.person_id, person_ids))
    return {code.person_id: code for code in session.scalars(query)}


def insert_history(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    if rows:
        session.flush()
        bulk_insert(session.connection(), _TABLES["health_code_history"], list(rows))
