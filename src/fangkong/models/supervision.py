"""Supervision (督导): property companies (物业企业) and their credit actions, property-managed
communities (物业小区), inspections on the six aspects with their findings and rectification,
and the ledger of video points (视频监控点位).

Every table carries the ``region_code`` its rows are scoped by: a company the district it is
registered in, a community the community or grid it lies in; an inspection, a finding and a
video point copy their community's, so that scoped lists are one index range.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from fangkong.core.errors import N_
from fangkong.models.base import Base, CreatedAt, region_code_type
from fangkong.models.retention import NotPurged, retention

_NO_RESIDENTS = N_(
    "companies, compounds, inspections and cameras, no residents' data: kept as the "
    "supervision record"
)


class PropertyCompany(CreatedAt, Base):
    __tablename__ = "property_companies"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    # 统一社会信用代码 (GB 32100-2015), check character verified on entry.
    credit_code: Mapped[str] = mapped_column(String(18), unique=True)
    contact: Mapped[str] = mapped_column(String(100), default="")
    region_code: Mapped[str] = mapped_column(region_code_type(), ForeignKey("regions.code"))
    credit_score: Mapped[int] = mapped_column(Integer)

    __table_args__ = (
        Index("ix_property_companies_region", "region_code", "id"),
        retention(NotPurged(_NO_RESIDENTS)),
    )


class CreditAction(CreatedAt, Base):
    """A summons (约谈) or a deduction (扣分): each changes the score by ``points`` (≥ 0)."""

    __tablename__ = "credit_actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("property_companies.id"))
    kind: Mapped[str] = mapped_column(String(16))  # summons | deduction
    points: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(500))
    score_after: Mapped[int] = mapped_column(Integer)
    acted_on: Mapped[date] = mapped_column(Date)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    region_code: Mapped[str] = mapped_column(region_code_type())

    __table_args__ = (
        Index("ix_credit_actions_company", "company_id", "id"),
        Index("ix_credit_actions_region_on", "region_code", "acted_on"),
        retention(NotPurged(_NO_RESIDENTS)),
    )


class PropertyCommunity(CreatedAt, Base):
    """A property-managed residential compound (物业小区) in a community or grid."""

    __tablename__ = "property_communities"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    region_code: Mapped[str] = mapped_column(region_code_type(), ForeignKey("regions.code"))
    address: Mapped[str] = mapped_column(String(200), default="")
    company_id: Mapped[int | None] = mapped_column(ForeignKey("property_companies.id"))

    __table_args__ = (
        Index("ix_property_communities_region_name", "region_code", "name", unique=True),
        Index("ix_property_communities_company", "company_id"),
        retention(NotPurged(_NO_RESIDENTS)),
    )


class Inspection(CreatedAt, Base):
    __tablename__ = "inspections"

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("property_communities.id"))
    company_id: Mapped[int | None] = mapped_column(ForeignKey("property_companies.id"))
    inspector_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    region_code: Mapped[str] = mapped_column(region_code_type())
    inspected_on: Mapped[date] = mapped_column(Date)
    problems: Mapped[int] = mapped_column(Integer, default=0)
    note: Mapped[str] = mapped_column(String(500), default="")

    __table_args__ = (
        Index("ix_inspections_region_on", "region_code", "inspected_on"),
        Index("ix_inspections_community", "community_id", "inspected_on"),
        retention(NotPurged(_NO_RESIDENTS)),
    )


class Finding(Base):
    """One aspect of an inspection: pass, or a problem with its rectification deadline, then
    verified rectified or not (status ``ok`` | ``open`` | ``rectified`` | ``not_rectified``)."""

    __tablename__ = "inspection_findings"

    id: Mapped[int] = mapped_column(primary_key=True)
    inspection_id: Mapped[int] = mapped_column(ForeignKey("inspections.id", ondelete="CASCADE"))
    aspect: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(String(500), default="")
    deadline_on: Mapped[date | None] = mapped_column(Date)
    region_code: Mapped[str] = mapped_column(region_code_type())
    verified_at: Mapped[datetime | None]
    verified_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    verification_note: Mapped[str] = mapped_column(String(500), default="")

    __table_args__ = (
        Index("ix_inspection_findings_inspection", "inspection_id", "aspect", unique=True),
        Index("ix_inspection_findings_status", "status", "deadline_on", "region_code"),
        retention(NotPurged(_NO_RESIDENTS)),
    )


class InspectionPhoto(CreatedAt, Base):
    """A photo of an inspection (of one aspect, or of the whole): the file lies under the
    ``supervision_photo_dir`` setting, named by ``file_name``; its type sniffed from its bytes."""

    __tablename__ = "inspection_photos"

    id: Mapped[int] = mapped_column(primary_key=True)
    inspection_id: Mapped[int] = mapped_column(ForeignKey("inspections.id", ondelete="CASCADE"))
    aspect: Mapped[str | None] = mapped_column(String(32))
    file_name: Mapped[str] = mapped_column(String(64), unique=True)
    media_type: Mapped[str] = mapped_column(String(32))
    size: Mapped[int] = mapped_column(Integer)
    region_code: Mapped[str] = mapped_column(region_code_type())
    uploaded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    __table_args__ = (
        Index("ix_inspection_photos_inspection", "inspection_id", "id"),
        retention(NotPurged(_NO_RESIDENTS)),
    )


class VideoPoint(CreatedAt, Base):
    """A camera point (视频监控点位) of a community, and of a sealed zone when there is one."""

    __tablename__ = "video_points"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    community_id: Mapped[int] = mapped_column(ForeignKey("property_communities.id"))
    zone_id: Mapped[int | None] = mapped_column(ForeignKey("zones.id"))
    region_code: Mapped[str] = mapped_column(region_code_type())
    status: Mapped[str] = mapped_column(String(16))  # online | offline | broken
    checked_at: Mapped[datetime | None]

    __table_args__ = (
        Index("ix_video_points_community_name", "community_id", "name", unique=True),
        Index("ix_video_points_region", "region_code", "id"),
        retention(NotPurged(_NO_RESIDENTS)),
    )
