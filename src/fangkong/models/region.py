"""The region tree: city → district/county → street → community → grid, nested by code prefix."""

from __future__ import annotations

import enum

from sqlalchemy import Enum, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from fangkong.core.errors import N_
from fangkong.models.base import Base, CreatedAt, region_code_type
from fangkong.models.retention import NotPurged, retention


class RegionLevel(enum.StrEnum):
    CITY = "city"
    DISTRICT = "district"
    STREET = "street"
    COMMUNITY = "community"
    GRID = "grid"


class Region(CreatedAt, Base):
    __tablename__ = "regions"

    code: Mapped[str] = mapped_column(region_code_type(), primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    name_en: Mapped[str | None] = mapped_column(String(128))
    level: Mapped[RegionLevel] = mapped_column(
        Enum(
            RegionLevel,
            native_enum=False,
            length=16,
            validate_strings=True,
            values_callable=lambda levels: [level.value for level in levels],
        )
    )
    parent_code: Mapped[str | None] = mapped_column(region_code_type(), ForeignKey("regions.code"))

    __table_args__ = (
        Index("ix_regions_parent_code", "parent_code"),
        retention(NotPurged(N_("the region tree, no personal data"))),
    )


class GridAssignment(CreatedAt, Base):
    """A grid worker responsible for one grid; a grid may have several workers."""

    __tablename__ = "grid_assignments"

    grid_code: Mapped[str] = mapped_column(
        region_code_type(), ForeignKey("regions.code", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )

    __table_args__ = (
        Index("ix_grid_assignments_user_id", "user_id"),
        retention(NotPurged(N_("which staff account serves which grid, no residents' data"))),
    )
