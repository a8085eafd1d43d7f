"""Deployment state: the active policy edition, job locks and runs, demo key fingerprints."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from fangkong.core import clock
from fangkong.core.errors import N_
from fangkong.models.base import Base
from fangkong.models.retention import NotPurged, retention


class PolicyState(Base):
    """One row (id = 1): which edition is active; absent means the settings' default."""

    __tablename__ = "policy_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[str] = mapped_column(String(64))
    changed_at: Mapped[datetime] = mapped_column(default=clock.now)
    changed_by: Mapped[str] = mapped_column(String(64))

    __table_args__ = (retention(NotPurged(N_("deployment state, no personal data"))),)


class JobLock(Base):
    """Lock row for SQLite (PostgreSQL uses advisory locks)."""

    __tablename__ = "job_locks"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    holder: Mapped[str] = mapped_column(String(128))
    locked_until: Mapped[datetime] = mapped_column()

    __table_args__ = (retention(NotPurged(N_("job locks, no personal data"))),)


class JobRun(Base):
    __tablename__ = "job_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), index=True)
    run_for: Mapped[date] = mapped_column(Date)
    started_at: Mapped[datetime] = mapped_column(default=clock.now)
    finished_at: Mapped[datetime | None] = mapped_column()
    status: Mapped[str] = mapped_column(String(16))
    detail: Mapped[str | None] = mapped_column(Text)

    # Outcomes are counts; a failure's detail is a repr that services keep free of personal data.
    __table_args__ = (retention(NotPurged(N_("job runs and their counts, no personal data"))),)


class DemoMarker(Base):
    """Fingerprints of keys generated for demo mode; production refuses to start with them."""

    __tablename__ = "demo_markers"

    fingerprint: Mapped[str] = mapped_column(String(64), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)

    __table_args__ = (retention(NotPurged(N_("key fingerprints, no personal data"))),)
