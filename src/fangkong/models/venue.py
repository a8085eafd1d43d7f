"""Venues (场所), their closures and the staff accounts that operate them.

A ``VenueClosure`` is one period a venue is closed by the command office (暂停营业, e.g. for
the final disinfection after a case was there): from ``starts_at`` until ``ends_at`` (none:
until reopened); reopening early sets ``ends_at`` to that moment and ``reopened_by``. At most
one closure of a venue is open at a time (the service sees to it). A closed venue's check-ins
are refused.

A venue's place code (场所码) is not stored: it is an HMAC token of the venue id and
``place_code_version`` (``fangkong.venues.placecode``); rotating bumps the version, so every
poster printed before stops working.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from fangkong.core import clock
from fangkong.core.errors import N_
from fangkong.models.base import Base, CreatedAt, region_code_type
from fangkong.models.retention import NotPurged, retention


class Venue(CreatedAt, Base):
    __tablename__ = "venues"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    type: Mapped[str] = mapped_column(String(32))  # a fangkong.policy.types.VenueType value
    # The grid, community, street or district the venue lies in: it scopes who sees it.
    region_code: Mapped[str] = mapped_column(region_code_type(), ForeignKey("regions.code"))
    address: Mapped[str] = mapped_column(String(200), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    place_code_version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = mapped_column(default=clock.now, onupdate=clock.now)

    __table_args__ = (
        # Scoped lists page on (region range, id); imports match a venue on (region, name).
        Index("ix_venues_region_code", "region_code", "id"),
        Index("ix_venues_region_name", "region_code", "name", unique=True),
        retention(
            NotPurged(
                N_(
                    "places such as shops and stations, not residents' data: check-ins name "
                    "them, and officers deactivate them"
                )
            )
        ),
    )


class VenueClosure(CreatedAt, Base):
    __tablename__ = "venue_closures"

    id: Mapped[int] = mapped_column(primary_key=True)
    venue_id: Mapped[int] = mapped_column(ForeignKey("venues.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[datetime] = mapped_column()
    ends_at: Mapped[datetime | None] = mapped_column()
    closed_by: Mapped[int | None] = mapped_column(Integer)
    reopened_by: Mapped[int | None] = mapped_column(Integer)
    reopen_note: Mapped[str] = mapped_column(String(200), default="")

    __table_args__ = (
        Index("ix_venue_closures_venue", "venue_id", "starts_at"),
        Index("ix_venue_closures_ends", "ends_at"),
        retention(
            NotPurged(
                N_(
                    "when venues were closed and why, no residents' data: the record of the "
                    "command office's measures"
                )
            )
        ),
    )


class VenueOperator(CreatedAt, Base):
    """A staff account (role venue_operator) that checks people in at a venue."""

    __tablename__ = "venue_operators"

    venue_id: Mapped[int] = mapped_column(
        ForeignKey("venues.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )

    __table_args__ = (
        Index("ix_venue_operators_user_id", "user_id", "venue_id"),
        retention(
            NotPurged(
                N_(
                    "links staff accounts to venues, no residents' data: removed by the "
                    "officer or with the account"
                )
            )
        ),
    )
