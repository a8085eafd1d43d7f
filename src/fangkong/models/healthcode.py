"""Tables of the health code (健康码): facts in force, materialized codes and their history,
manual changes (four eyes), appeals (申诉) and each person's latest negative NAT.

Every table names people, so every row is deleted once the emergency has ended and the
edition's ``registry_days_after_end`` have passed (``fangkong.models.retention``).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import BigInteger, Boolean, Date, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from fangkong.core import clock
from fangkong.core.errors import N_
from fangkong.models.base import Base, JSONType
from fangkong.models.retention import (
    DeleteAfterEmergency,
    NotPurged,
    PolicyWindow,
    retention,
)

BigId = BigInteger().with_variant(Integer, "sqlite")
WINDOW = PolicyWindow("registry_days_after_end")


def _person_fk() -> ForeignKey:
    return ForeignKey("people.id", ondelete="CASCADE")


class HealthFact(Base):
    """A reason in force for a person (``ended_at`` null), raised by an event or an officer."""

    __tablename__ = "health_facts"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    person_id: Mapped[int] = mapped_column(BigId, _person_fk())
    reason: Mapped[str] = mapped_column(String(40))  # a fangkong.policy.types.Reason value
    source: Mapped[str] = mapped_column(String(32))
    ref: Mapped[str] = mapped_column(String(64))
    started_at: Mapped[datetime] = mapped_column(default=clock.now)
    until: Mapped[datetime | None] = mapped_column()
    ended_at: Mapped[datetime | None] = mapped_column()
    ended_by: Mapped[str | None] = mapped_column(String(64))

    __table_args__ = (
        Index("ix_health_facts_person_id", "person_id", "ended_at"),
        Index("ix_health_facts_until", "until"),
        retention(DeleteAfterEmergency(WINDOW)),
    )


class HealthCode(Base):
    """The materialized code of one person, recomputed at once on each fact change."""

    __tablename__ = "health_codes"

    person_id: Mapped[int] = mapped_column(BigId, _person_fk(), primary_key=True)
    colour: Mapped[str] = mapped_column(String(8))
    reasons: Mapped[list[Any]] = mapped_column(JSONType)
    manual: Mapped[bool] = mapped_column(Boolean, default=False)
    edition_id: Mapped[str] = mapped_column(String(64))
    computed_at: Mapped[datetime] = mapped_column(default=clock.now)

    __table_args__ = (
        Index("ix_health_codes_colour", "colour", "person_id"),
        Index("ix_health_codes_edition_id", "edition_id"),
        retention(DeleteAfterEmergency(WINDOW)),
    )


class HealthCodeHistory(Base):
    """One row each time a person's colour, reasons or manual flag changed."""

    __tablename__ = "health_code_history"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    person_id: Mapped[int] = mapped_column(BigId, _person_fk())
    colour: Mapped[str] = mapped_column(String(8))
    reasons: Mapped[list[Any]] = mapped_column(JSONType)
    manual: Mapped[bool] = mapped_column(Boolean, default=False)
    edition_id: Mapped[str] = mapped_column(String(64))
    cause: Mapped[str] = mapped_column(String(32))
    changed_at: Mapped[datetime] = mapped_column(default=clock.now)

    __table_args__ = (
        Index("ix_health_code_history_person_id", "person_id", "id"),
        retention(DeleteAfterEmergency(WINDOW)),
    )


class CodeChangeRequest(Base):
    """A manual colour change: proposed by one officer, approved or rejected by another."""

    __tablename__ = "code_change_requests"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    person_id: Mapped[int] = mapped_column(BigId, _person_fk())
    colour: Mapped[str] = mapped_column(String(8))
    reason_text: Mapped[str] = mapped_column(String(500))
    until: Mapped[datetime | None] = mapped_column()
    status: Mapped[str] = mapped_column(String(16), default="pending")
    appeal_id: Mapped[int | None] = mapped_column(BigId)
    proposed_by: Mapped[int | None] = mapped_column(Integer)
    proposed_by_name: Mapped[str] = mapped_column(String(64))
    proposed_at: Mapped[datetime] = mapped_column(default=clock.now)
    decided_by: Mapped[int | None] = mapped_column(Integer)
    decided_by_name: Mapped[str | None] = mapped_column(String(64))
    decided_at: Mapped[datetime | None] = mapped_column()
    decision_note: Mapped[str | None] = mapped_column(String(500))
    ended_at: Mapped[datetime | None] = mapped_column()

    __table_args__ = (
        Index("ix_code_change_requests_person_id", "person_id", "status"),
        Index("ix_code_change_requests_status", "status", "id"),
        retention(DeleteAfterEmergency(WINDOW)),
    )


class CodeAppeal(Base):
    """A citizen's appeal (申诉) against their code, and the officer's decision."""

    __tablename__ = "code_appeals"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    person_id: Mapped[int] = mapped_column(BigId, _person_fk())
    text: Mapped[str] = mapped_column(String(1000))
    status: Mapped[str] = mapped_column(String(16), default="open")
    filed_at: Mapped[datetime] = mapped_column(default=clock.now)
    decided_by: Mapped[int | None] = mapped_column(Integer)
    decided_by_name: Mapped[str | None] = mapped_column(String(64))
    decided_at: Mapped[datetime | None] = mapped_column()
    decision_text: Mapped[str | None] = mapped_column(String(1000))
    ended_fact_id: Mapped[int | None] = mapped_column(BigId)
    change_request_id: Mapped[int | None] = mapped_column(BigId)

    __table_args__ = (
        Index("ix_code_appeals_person_id", "person_id", "id"),
        Index("ix_code_appeals_status", "status", "id"),
        retention(DeleteAfterEmergency(WINDOW)),
    )


class NatNegative(Base):
    """The latest negative NAT of a person (sampling time), the entry check's NAT rule reads.

    No foreign key to ``people``: a lab's upload writes millions of rows at once, all from
    tube members (which have one), and the check per row was more than half of the upsert's
    time on PostgreSQL (bench/BENCHMARKS.md). People are never deleted, only de-identified,
    and these rows go with the other health-code tables after the emergency."""

    __tablename__ = "nat_negatives"

    person_id: Mapped[int] = mapped_column(BigId, primary_key=True)
    sampled_at: Mapped[datetime] = mapped_column()
    source: Mapped[str] = mapped_column(String(32))
    recorded_at: Mapped[datetime] = mapped_column(default=clock.now)

    __table_args__ = (retention(DeleteAfterEmergency(WINDOW)),)


class SweepState(Base):
    """The last Asia/Shanghai day the daily sweep ran for (one row, id = 1)."""

    __tablename__ = "health_code_sweeps"

    id: Mapped[int] = mapped_column(primary_key=True)
    last_day: Mapped[date] = mapped_column(Date)
    ran_at: Mapped[datetime] = mapped_column(default=clock.now)

    __table_args__ = (retention(NotPurged(N_("the sweep's last day, no personal data"))),)
