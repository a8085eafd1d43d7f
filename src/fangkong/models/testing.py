"""Nucleic-acid testing (核酸检测): sampling sites, labs, campaigns, tubes and their members,
lab results, retest tasks and antigen self-reports.

A tube (采样管) holds one person (单采), a pool of the edition's size (混采, 10-in-1 by default)
or one sealed household (一户一管). Its barcode carries a check digit
(``fangkong.testing.barcodes``). A member row copies the person's grid and the campaign, so
that a round's coverage counts one index range and "one tube per person per round" is a
unique key, not a query before each insert.

Sites, labs and campaigns hold no residents' data. Tubes, members, results, tasks and
antigen reports are health data of named people: deleted once the emergency has ended and the
edition's ``registry_days_after_end`` have passed.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from fangkong.core import clock
from fangkong.core.errors import N_
from fangkong.models.base import Base, CreatedAt, region_code_type
from fangkong.models.retention import DeleteAfterEmergency, NotPurged, PolicyWindow, retention

BigId = BigInteger().with_variant(Integer, "sqlite")
WINDOW = PolicyWindow("registry_days_after_end")
NO_RESIDENTS = N_("places, labs and rounds, not residents' data: officers deactivate or close them")


class SamplingSite(CreatedAt, Base):
    """采样点: where people are sampled; its queue status is shown to citizens."""

    __tablename__ = "sampling_sites"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    region_code: Mapped[str] = mapped_column(region_code_type(), ForeignKey("regions.code"))
    address: Mapped[str] = mapped_column(String(200), default="")
    opens_at: Mapped[str] = mapped_column(String(5), default="08:00")  # local HH:MM
    closes_at: Mapped[str] = mapped_column(String(5), default="20:00")
    capacity_per_hour: Mapped[int] = mapped_column(Integer, default=300)
    # idle | normal | busy | full | closed, set by the site's staff with the queue length.
    queue_status: Mapped[str] = mapped_column(String(8), default="normal")
    queue_length: Mapped[int] = mapped_column(Integer, default=0)
    queue_updated_at: Mapped[datetime | None] = mapped_column()
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[datetime] = mapped_column(default=clock.now, onupdate=clock.now)

    __table_args__ = (
        Index("ix_sampling_sites_region_code", "region_code", "id"),
        Index("ix_sampling_sites_region_name", "region_code", "name", unique=True),
        retention(NotPurged(NO_RESIDENTS)),
    )


class Lab(CreatedAt, Base):
    """检测机构: receives tubes and uploads their results."""

    __tablename__ = "labs"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    region_code: Mapped[str] = mapped_column(region_code_type(), ForeignKey("regions.code"))
    address: Mapped[str] = mapped_column(String(200), default="")
    tubes_per_hour: Mapped[int] = mapped_column(Integer, default=1000)  # (default) capacity
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    __table_args__ = (
        Index("ix_labs_region_code", "region_code", "id"),
        retention(NotPurged(NO_RESIDENTS)),
    )


class LabMember(CreatedAt, Base):
    """A user of role ``lab`` who uploads for a lab."""

    __tablename__ = "lab_members"

    lab_id: Mapped[int] = mapped_column(ForeignKey("labs.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )

    __table_args__ = (
        Index("ix_lab_members_user_id", "user_id", "lab_id"),
        retention(NotPurged(N_("links staff accounts to labs, no residents' data"))),
    )


class Campaign(CreatedAt, Base):
    """全员核酸: a screening round over regions and dates, with its target population."""

    __tablename__ = "campaigns"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    # The widest region the round covers (scopes who sees it); the round's regions are rows.
    region_code: Mapped[str] = mapped_column(region_code_type(), ForeignKey("regions.code"))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(12), default="open")  # open | closed
    target_population: Mapped[int] = mapped_column(Integer, default=0)
    missed_marked_at: Mapped[datetime | None] = mapped_column()
    created_by: Mapped[int | None] = mapped_column(Integer)

    __table_args__ = (
        Index("ix_campaigns_region_code", "region_code", "id"),
        retention(NotPurged(NO_RESIDENTS)),
    )


class CampaignRegion(Base):
    __tablename__ = "campaign_regions"

    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("campaigns.id", ondelete="CASCADE"), primary_key=True
    )
    region_code: Mapped[str] = mapped_column(
        region_code_type(), ForeignKey("regions.code"), primary_key=True
    )

    __table_args__ = (retention(NotPurged(NO_RESIDENTS)),)


class Tube(Base):
    """采样管: single, pooled or household; open while sampling, then sealed, received, resulted."""

    __tablename__ = "tubes"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    barcode: Mapped[str] = mapped_column(String(24), unique=True)
    kind: Mapped[str] = mapped_column(String(10))  # single | pooled | household
    capacity: Mapped[int] = mapped_column(Integer)
    # screening (a campaign or walk-in), key_group, retest (单采复核) or confirm (antigen)
    purpose: Mapped[str] = mapped_column(String(12), default="screening")
    site_id: Mapped[int | None] = mapped_column(Integer)
    campaign_id: Mapped[int | None] = mapped_column(Integer)
    region_code: Mapped[str] = mapped_column(region_code_type())  # the site's, for scoping
    sampler_id: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(10), default="open")
    member_count: Mapped[int] = mapped_column(Integer, default=0)
    opened_at: Mapped[datetime] = mapped_column(default=clock.now)
    sampled_at: Mapped[datetime | None] = mapped_column()  # the first member's sampling
    sealed_at: Mapped[datetime | None] = mapped_column()
    lab_id: Mapped[int | None] = mapped_column(Integer)
    received_at: Mapped[datetime | None] = mapped_column()
    result: Mapped[str | None] = mapped_column(String(10))  # negative | positive
    ct_orf1ab: Mapped[float | None] = mapped_column(Float)
    ct_n: Mapped[float | None] = mapped_column(Float)
    tested_at: Mapped[datetime | None] = mapped_column()
    resulted_at: Mapped[datetime | None] = mapped_column()
    conflict: Mapped[bool] = mapped_column(Boolean, default=False)

    __table_args__ = (
        Index("ix_tubes_region_code", "region_code", "id"),
        Index("ix_tubes_campaign_id", "campaign_id", "status"),
        Index("ix_tubes_lab_id", "lab_id", "resulted_at"),
        Index("ix_tubes_status", "status", "opened_at"),
        retention(DeleteAfterEmergency(WINDOW)),
    )


class TubeMember(Base):
    """A person sampled into a tube. ``grid_code`` is the person's grid at sampling."""

    __tablename__ = "tube_members"

    tube_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("tubes.id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
    campaign_id: Mapped[int | None] = mapped_column(Integer)
    grid_code: Mapped[str | None] = mapped_column(region_code_type())
    sampled_at: Mapped[datetime] = mapped_column(default=clock.now)
    added_by: Mapped[int | None] = mapped_column(Integer)

    __table_args__ = (
        # One tube per person per round (NULL campaigns are distinct on both databases).
        UniqueConstraint("campaign_id", "person_id", name="uq_tube_members_round"),
        Index("ix_tube_members_person_id", "person_id", "sampled_at"),
        Index("ix_tube_members_campaign_grid", "campaign_id", "grid_code"),
        retention(DeleteAfterEmergency(WINDOW)),
    )


class TubeResult(Base):
    """Every result line a lab sent for a tube: accepted, a duplicate, or a conflict."""

    __tablename__ = "tube_results"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    tube_id: Mapped[int] = mapped_column(BigId, ForeignKey("tubes.id", ondelete="CASCADE"))
    lab_id: Mapped[int | None] = mapped_column(Integer)
    result: Mapped[str] = mapped_column(String(10))
    ct_orf1ab: Mapped[float | None] = mapped_column(Float)
    ct_n: Mapped[float | None] = mapped_column(Float)
    tested_at: Mapped[datetime] = mapped_column()
    outcome: Mapped[str] = mapped_column(String(10))  # accepted | conflict
    upload_ref: Mapped[str | None] = mapped_column(String(64))
    received_at: Mapped[datetime] = mapped_column(default=clock.now)
    resolved_by: Mapped[int | None] = mapped_column(Integer)  # an officer settling a conflict

    __table_args__ = (
        Index("ix_tube_results_tube_id", "tube_id", "id"),
        Index("ix_tube_results_outcome", "outcome", "id"),
        Index("ix_tube_results_lab_received", "lab_id", "received_at"),  # a lab's uploads
        retention(DeleteAfterEmergency(WINDOW)),
    )


class TestTask(Base):
    """A single-tube test a person owes: the retest of a positive pool (单采复核) or the NAT
    that confirms a positive antigen."""

    __tablename__ = "test_tasks"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    person_id: Mapped[int] = mapped_column(BigId, ForeignKey("people.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))  # pool_retest | antigen_confirm
    source_ref: Mapped[str] = mapped_column(String(32))  # tube:<id> | antigen:<id>
    status: Mapped[str] = mapped_column(String(10), default="open")  # open | done
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    done_at: Mapped[datetime | None] = mapped_column()
    done_tube_id: Mapped[int | None] = mapped_column(BigId)
    result: Mapped[str | None] = mapped_column(String(10))

    __table_args__ = (
        UniqueConstraint("person_id", "kind", "source_ref", name="uq_test_tasks_source"),
        Index("ix_test_tasks_status", "status", "id"),
        retention(DeleteAfterEmergency(WINDOW)),
    )


class AntigenReport(Base):
    """抗原自测: a citizen's self-report with a photo of the cassette."""

    __tablename__ = "antigen_reports"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    person_id: Mapped[int] = mapped_column(BigId, ForeignKey("people.id", ondelete="CASCADE"))
    result: Mapped[str] = mapped_column(String(10))  # positive | negative
    tested_at: Mapped[datetime] = mapped_column()
    reported_at: Mapped[datetime] = mapped_column(default=clock.now)
    photo: Mapped[bytes | None] = mapped_column(LargeBinary)
    photo_type: Mapped[str | None] = mapped_column(String(32))
    region_code: Mapped[str | None] = mapped_column(region_code_type())  # the person's grid

    __table_args__ = (
        Index("ix_antigen_reports_person_id", "person_id", "id"),
        Index("ix_antigen_reports_region_code", "region_code", "id"),
        retention(DeleteAfterEmergency(WINDOW)),
    )
