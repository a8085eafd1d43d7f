"""The audit log: who changed what, which record, before → after (personal fields masked)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from fangkong.core import clock
from fangkong.models.base import Base, JSONType, region_code_type
from fangkong.models.retention import MaskJsonOlderThan, SettingsWindow, retention

# Keys of before/after values that name no one: record ids, codes, states and counts. After
# the masking window every other key is dropped, so a key a new service adds is personal
# until it is listed here (privacy by default).
KEPT_AUDIT_KEYS = frozenset(
    {
        # ids and codes
        "person_id", "other_id", "merged_id", "kept_id", "pair_id", "household_id",
        "head_id", "head", "user_id", "grid_code", "region_code", "parent_code", "level",
        "edition_id", "group", "role", "locale",
        # states
        "is_active", "totp_enabled", "totp_reenrolled", "password_changed", "end_date",
        "ended_on", "final_on",
        # counts
        "inserted", "updated", "unchanged", "rejected", "flagged_duplicates", "people",
        "totp_secrets", "rows", "cutoff", "window",
    }
)  # fmt: skip
# Object types whose rows carry no personal data at all (regions, editions, imports' counts,
# key rotations, the emergency switch and the purge's own rows) stay whole.
EXEMPT_AUDIT_TYPES = frozenset(
    {"region", "policy", "person_import", "data_key", "emergency", "retention"}
)


class AuditLog(Base):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    at: Mapped[datetime] = mapped_column(default=clock.now)
    actor_id: Mapped[int | None] = mapped_column()
    actor_name: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64))
    object_type: Mapped[str] = mapped_column(String(32))
    object_id: Mapped[str] = mapped_column(String(64))
    region_code: Mapped[str | None] = mapped_column(region_code_type())
    before: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    request_id: Mapped[str | None] = mapped_column(String(64))
    # When the retention job masked before/after (null: not yet).
    masked_at: Mapped[datetime | None] = mapped_column()

    __table_args__ = (
        Index("ix_audit_log_object", "object_type", "object_id"),
        Index("ix_audit_log_actor_id", "actor_id", "id"),
        Index("ix_audit_log_at", "at"),
        Index("ix_audit_log_unmasked", "masked_at", "at"),
        retention(
            MaskJsonOlderThan(
                column="at",
                window=SettingsWindow("retention_audit_mask_days"),
                columns=("before", "after"),
                keep_keys=KEPT_AUDIT_KEYS,
                type_column="object_type",
                exempt_types=EXEMPT_AUDIT_TYPES,
                marker="masked_at",
            )
        ),
    )
