"""Sentinels (哨点): fever clinics (发热门诊) and pharmacies (药店), their fever visits and
four-drug sales (四类药品), and the district alerts the visits raise.

A sentinel site is a venue registered as a fever clinic or a pharmacy: its staff are the
venue's operators. Visits and sales copy the site's region code (who sees them) and the
person's grid (whose grid worker follows the buyer up), so lists need no join to scope.
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
    SmallInteger,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column

from fangkong.core import clock
from fangkong.core.errors import N_
from fangkong.models.base import Base, CreatedAt, JSONType, region_code_type
from fangkong.models.retention import DeleteAfterEmergency, NotPurged, PolicyWindow, retention

WINDOW = PolicyWindow("registry_days_after_end")
BigId = BigInteger().with_variant(Integer, "sqlite")


class SentinelSite(CreatedAt, Base):
    """A venue registered as a sentinel: ``fever_clinic`` (a hospital) or ``pharmacy`` (a shop)."""

    __tablename__ = "sentinel_sites"

    venue_id: Mapped[int] = mapped_column(
        ForeignKey("venues.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(16))  # fever_clinic | pharmacy
    region_code: Mapped[str] = mapped_column(region_code_type())  # the venue's
    registered_by: Mapped[int | None] = mapped_column(Integer)

    __table_args__ = (
        Index("ix_sentinel_sites_region", "region_code", "venue_id"),
        retention(NotPurged(N_("clinics and pharmacies, not residents' data"))),
    )


class FeverVisit(Base):
    """One visit to a fever clinic: symptoms, whether a NAT was taken at this first visit,
    and whether the visit marked the person's code (the edition's ``fever_visit_marks_code``);
    the visitor is followed up by their grid worker (``contacted_at`` once reached)."""

    __tablename__ = "fever_visits"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    venue_id: Mapped[int] = mapped_column(ForeignKey("sentinel_sites.venue_id"))
    region_code: Mapped[str] = mapped_column(region_code_type())  # the clinic's
    person_id: Mapped[int] = mapped_column(BigId, ForeignKey("people.id"))
    grid_code: Mapped[str] = mapped_column(region_code_type())  # the person's
    visited_at: Mapped[datetime] = mapped_column()
    visited_on: Mapped[date] = mapped_column(Date)  # local (Asia/Shanghai) day of visited_at
    symptoms: Mapped[list[str]] = mapped_column(JSONType, default=list)
    temperature: Mapped[float | None] = mapped_column(Float)
    nat_taken: Mapped[bool] = mapped_column(Boolean, default=False)
    marked: Mapped[bool] = mapped_column(Boolean, default=False)
    reported_by: Mapped[int | None] = mapped_column(Integer)
    reported_at: Mapped[datetime] = mapped_column(default=clock.now)
    contacted_at: Mapped[datetime | None] = mapped_column()
    contacted_by: Mapped[int | None] = mapped_column(Integer)

    __table_args__ = (
        Index("ix_fever_visits_grid", "grid_code", "id"),
        Index("ix_fever_visits_region_day", "region_code", "visited_on"),
        Index("ix_fever_visits_venue_day", "venue_id", "visited_on"),
        Index("ix_fever_visits_day", "visited_on", "region_code"),
        Index("ix_fever_visits_person", "person_id"),
        retention(DeleteAfterEmergency(WINDOW)),
    )


class DrugSale(Base):
    """A real-name purchase of one of the four drug classes, pushed to the buyer's grid worker
    (``contacted_at`` once the worker reached them)."""

    __tablename__ = "drug_sales"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    venue_id: Mapped[int] = mapped_column(ForeignKey("sentinel_sites.venue_id"))
    region_code: Mapped[str] = mapped_column(region_code_type())  # the pharmacy's
    person_id: Mapped[int] = mapped_column(BigId, ForeignKey("people.id"))
    grid_code: Mapped[str] = mapped_column(region_code_type())  # the buyer's
    drug_class: Mapped[str] = mapped_column(String(16))  # antipyretic|cough|antiviral|antibiotic
    quantity: Mapped[int] = mapped_column(SmallInteger, default=1)
    sold_at: Mapped[datetime] = mapped_column()
    sold_on: Mapped[date] = mapped_column(Date)
    marked: Mapped[bool] = mapped_column(Boolean, default=False)  # no negative NAT in window
    reported_by: Mapped[int | None] = mapped_column(Integer)
    reported_at: Mapped[datetime] = mapped_column(default=clock.now)
    contacted_at: Mapped[datetime | None] = mapped_column()
    contacted_by: Mapped[int | None] = mapped_column(Integer)

    __table_args__ = (
        Index("ix_drug_sales_region_day", "region_code", "sold_on"),
        Index("ix_drug_sales_grid", "grid_code", "id"),
        Index("ix_drug_sales_person", "person_id"),
        retention(DeleteAfterEmergency(WINDOW)),
    )


class SentinelAlert(CreatedAt, Base):
    """预警: a district's fever-clinic visits on a day above the edition's factor × baseline."""

    __tablename__ = "sentinel_alerts"

    id: Mapped[int] = mapped_column(primary_key=True)
    district_code: Mapped[str] = mapped_column(region_code_type())
    day: Mapped[date] = mapped_column(Date)
    visits: Mapped[int] = mapped_column(Integer)
    baseline: Mapped[float] = mapped_column(Float)  # mean visits a day over the baseline days
    factor: Mapped[float] = mapped_column(Float)
    edition_id: Mapped[str] = mapped_column(String(64))

    __table_args__ = (
        Index("ix_sentinel_alerts_district_day", "district_code", "day", unique=True),
        Index("ix_sentinel_alerts_day", "day", "district_code"),
        retention(NotPurged(N_("counts by district, not residents' data"))),
    )
