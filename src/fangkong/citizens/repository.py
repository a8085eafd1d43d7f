"""Queries of the citizens domain: one-time codes, sessions, nonces, and the signed-in person.

The person is read from ``people`` directly (the model, not the people repository): a citizen
sees their own record only, so no jurisdiction applies, and only the columns shown here.
"""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from fangkong.models import Person, PersonStatus
from fangkong.models.citizen import CitizenOtp, CitizenSession, CodeNonce


class PersonCard(NamedTuple):
    id: int
    name: str
    phone_masked: str | None
    grid_code: str


def person_id_for_phone(session: Session, phone_hash: str) -> int | None:
    """The active person registered with this phone; the oldest record when several share it."""
    statement = (
        select(Person.id)
        .where(Person.phone_hash == phone_hash, Person.status == PersonStatus.ACTIVE)
        .order_by(Person.id)
        .limit(1)
    )
    return session.scalars(statement).first()


def person_card(session: Session, person_id: int) -> PersonCard | None:
    statement = select(Person.id, Person.name, Person.phone_masked, Person.grid_code).where(
        Person.id == person_id, Person.status == PersonStatus.ACTIVE
    )
    row = session.execute(statement).first()
    return PersonCard(*row) if row else None


def retire_otps(session: Session, phone_hash: str, now: datetime) -> None:
    """Mark every unused code of the phone used: only the newest one may sign in."""
    session.execute(
        update(CitizenOtp)
        .where(CitizenOtp.phone_hash == phone_hash, CitizenOtp.used_at.is_(None))
        .values(used_at=now)
    )


def add_otp(session: Session, otp: CitizenOtp) -> None:
    session.add(otp)
    session.flush()


def open_otp(session: Session, phone_hash: str) -> CitizenOtp | None:
    """The phone's newest unused code (locked on PostgreSQL: tries are counted one by one)."""
    statement = (
        select(CitizenOtp)
        .where(CitizenOtp.phone_hash == phone_hash, CitizenOtp.used_at.is_(None))
        .order_by(CitizenOtp.id.desc())
        .limit(1)
        .with_for_update()
    )
    return session.scalars(statement).first()


def add_session(session: Session, row: CitizenSession) -> None:
    session.add(row)
    session.flush()


def session_by_hash(session: Session, token_hash: str) -> CitizenSession | None:
    return session.scalars(
        select(CitizenSession).where(CitizenSession.token_hash == token_hash)
    ).first()


def insert_nonce(session: Session, nonce: str, expires_at: datetime) -> bool:
    """Insert the nonce unless present; True when this call inserted it."""
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    statement = (
        insert(CodeNonce)
        .values(nonce=nonce, expires_at=expires_at)
        .on_conflict_do_nothing(index_elements=["nonce"])
        .returning(CodeNonce.nonce)
    )
    return session.execute(statement).first() is not None


def session_by_id(session: Session, session_id: int) -> CitizenSession | None:
    return session.get(CitizenSession, session_id)
