"""Vaccination (疫苗接种): vaccine products, the doses people received, and one summary row per
vaccinated person.

``vaccination_status`` is kept by the dose verbs (``fangkong.vaccination.service``) so that
coverage is one GROUP BY over a narrow table and outreach lists never aggregate doses. It
copies the person's grid and birth date, which the people domain owns; the dose verbs and
``fangkong vaccination rebuild`` refresh them.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from fangkong.core.errors import N_
from fangkong.models.base import Base, CreatedAt, region_code_type
from fangkong.models.person import REGISTRY_WINDOW, BigId
from fangkong.models.retention import DeleteAfterEmergency, NotPurged, retention


class Vaccine(CreatedAt, Base):
    """A vaccine product (疫苗产品) and the number of doses of its primary series (基础免疫)."""

    __tablename__ = "vaccines"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(100))
    series_doses: Mapped[int] = mapped_column(SmallInteger)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    __table_args__ = (
        Index("ix_vaccines_code", "code", unique=True),
        retention(NotPurged(N_("vaccine products, reference data without personal data"))),
    )


class Dose(CreatedAt, Base):
    """One dose a person received. ``dose_number`` counts the person's doses in order (1, 2,
    …); a number above the series length of the first dose's product is a booster."""

    __tablename__ = "vaccination_doses"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    person_id: Mapped[int] = mapped_column(BigId, ForeignKey("people.id", ondelete="CASCADE"))
    vaccine_id: Mapped[int] = mapped_column(ForeignKey("vaccines.id"))
    dose_number: Mapped[int] = mapped_column(SmallInteger)
    given_on: Mapped[date] = mapped_column(Date)
    site: Mapped[str] = mapped_column(String(100))  # 接种点
    batch: Mapped[str] = mapped_column(String(40))  # 批号
    region_code: Mapped[str] = mapped_column(region_code_type())  # the person's grid
    recorded_by: Mapped[str] = mapped_column(String(64))

    __table_args__ = (
        Index("ix_vaccination_doses_person_number", "person_id", "dose_number", unique=True),
        Index("ix_vaccination_doses_region_code", "region_code", "id"),
        retention(DeleteAfterEmergency(REGISTRY_WINDOW)),
    )


class VaccinationStatus(Base):
    """接种状态: the doses one person has, whether the series is complete, the booster date."""

    __tablename__ = "vaccination_status"

    person_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
    grid_code: Mapped[str] = mapped_column(region_code_type())
    birth_date: Mapped[date] = mapped_column(Date)
    doses: Mapped[int] = mapped_column(SmallInteger)
    series_doses: Mapped[int] = mapped_column(SmallInteger)
    complete: Mapped[bool] = mapped_column(Boolean)
    boosted: Mapped[bool] = mapped_column(Boolean)
    last_dose_on: Mapped[date] = mapped_column(Date)
    booster_due_on: Mapped[date | None] = mapped_column(Date)

    __table_args__ = (
        # Coverage reads only this index (district range, birth date, doses).
        Index(
            "ix_vaccination_status_coverage",
            "grid_code",
            "birth_date",
            "doses",
            "complete",
            "boosted",
        ),
        Index("ix_vaccination_status_due", "grid_code", "booster_due_on"),
        retention(DeleteAfterEmergency(REGISTRY_WINDOW)),
    )


class VaccinationCount(Base):
    """接种率底数: people per grid, age band (on ``counted_on``) and dose state, so coverage of
    that day reads a few thousand rows. ``fangkong vaccination recount`` (nightly, and after
    big people imports) rebuilds it from ``people`` and ``vaccination_status``; the dose verbs
    move one person between states in the same transaction. People registered after
    ``counted_at`` enter the denominator at the next recount."""

    __tablename__ = "vaccination_counts"

    grid_code: Mapped[str] = mapped_column(region_code_type(), primary_key=True)
    band: Mapped[str] = mapped_column(String(8), primary_key=True)
    doses: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    complete: Mapped[bool] = mapped_column(Boolean, primary_key=True)
    boosted: Mapped[bool] = mapped_column(Boolean, primary_key=True)
    people: Mapped[int] = mapped_column(Integer)
    counted_on: Mapped[date] = mapped_column(Date)
    counted_at: Mapped[datetime] = mapped_column()

    __table_args__ = (retention(NotPurged(N_("counts of people, without personal data"))),)


__all__ = ["Dose", "VaccinationCount", "VaccinationStatus", "Vaccine"]
