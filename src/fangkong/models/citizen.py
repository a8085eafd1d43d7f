"""Citizens' sign-in: one-time codes, sessions, and the personal QR codes' used nonces.

Nothing here is stored in clear that could sign somebody in: a one-time code and a session
token are kept as keyed hashes only, and a phone as the people domain's lookup hash.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from fangkong.core import clock
from fangkong.models.base import Base
from fangkong.models.retention import DeleteOlderThan, SettingsWindow, retention

BigId = BigInteger().with_variant(Integer, "sqlite")


class CitizenOtp(Base):
    """A one-time code sent to a resident's phone; only the newest unused one counts."""

    __tablename__ = "citizen_otps"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    phone_hash: Mapped[str] = mapped_column(String(64))
    person_id: Mapped[int] = mapped_column(BigId, ForeignKey("people.id", ondelete="CASCADE"))
    code_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    expires_at: Mapped[datetime] = mapped_column()
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    used_at: Mapped[datetime | None] = mapped_column()

    __table_args__ = (
        Index("ix_citizen_otps_phone_hash", "phone_hash", "id"),
        Index("ix_citizen_otps_person_id", "person_id"),
        retention(DeleteOlderThan("created_at", SettingsWindow("retention_otp_days"))),
    )


class CitizenSession(Base):
    """A signed-in citizen: the bearer token or ``fk_citizen`` cookie, stored as its SHA-256.

    Rows are deleted once expired: ``created_at`` older than ``citizen_session_days`` is the
    same instant as ``expires_at`` in the past."""

    __tablename__ = "citizen_sessions"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    person_id: Mapped[int] = mapped_column(BigId, ForeignKey("people.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    expires_at: Mapped[datetime] = mapped_column()
    revoked_at: Mapped[datetime | None] = mapped_column()

    __table_args__ = (
        Index("ix_citizen_sessions_person_id", "person_id"),
        retention(DeleteOlderThan("created_at", SettingsWindow("citizen_session_days"))),
    )


class CodeNonce(Base):
    """A personal QR code already verified (replay guard when there is no Redis)."""

    __tablename__ = "code_nonces"

    nonce: Mapped[str] = mapped_column(String(32), primary_key=True)
    expires_at: Mapped[datetime] = mapped_column()

    __table_args__ = (
        Index("ix_code_nonces_expires_at", "expires_at"),
        # A nonce outlives its code: once the code expired its nonce can no longer be replayed.
        retention(DeleteOlderThan("expires_at", SettingsWindow("retention_otp_days"))),
    )
