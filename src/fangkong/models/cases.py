"""Cases (阳性感染者): positives from detection to outcome, their history, clusters and the
infector links of the transmission chains (传播链).

- ``Case``: one infected person's episode. ``kind`` is ``confirmed`` (确诊病例) or
  ``asymptomatic`` (无症状感染者), null while a first positive awaits classification (复核:
  ``status`` ``pending``); ``converted_at`` is set once when an asymptomatic case is
  confirmed (无症状转确诊), so the bulletin counts the conversion once and never twice.
  ``source`` says how it was created (a positive single tube, a confirmed antigen, by hand);
  ``channel`` where it was found (隔离管控中发现 = ``under_control``, community screening,
  fever clinic, arrival screening, key-group testing, other). ``sampled_at`` is the first
  positive sample, ``onset_on`` the symptom onset (null while asymptomatic): the trace-back
  window counts back from the onset, or from the sample when there is none. ``reported_on`` is
  the official day (06:00–06:00 Asia/Shanghai, as the zones) the bulletin counts it on.
  ``status``: ``pending`` → ``active`` (in treatment or isolation) → ``discharged`` (出院) |
  ``released`` (解除隔离, home or centralized) | ``died``; ``placement`` and ``hospital`` say
  where it is treated after the closed-loop transfer (闭环转运, ``transferred_at``).
  ``region_code`` is the person's grid when reported (jurisdiction); ``owner_id`` the
  epidemiologist who owns the investigation (a hand-over to another district changes it,
  audited).
- ``CaseEvent``: the case file's history (created, converted, transferred, outcome, handed
  over, linked, edited) with the actor (null: an event handler).
- ``Cluster`` (聚集性疫情): cases grouped under one name; ``Case.cluster_id``.
- ``CaseLink``: ``infector`` → ``infectee`` with how (household, venue, transport, interview,
  other) and how sure (``confirmed`` | ``probable``); the chain graph reads these.

Once the emergency has ended and ``registry_days_after_end`` have passed, a case's history is
deleted and the case and its links lose their free text; the rows stay, pointing at the
de-identified person, so past bulletins still add up. Clusters name no one and are kept.
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
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from fangkong.core import clock
from fangkong.core.errors import N_
from fangkong.models.base import Base, CreatedAt, JSONType, region_code_type
from fangkong.models.retention import (
    Constant,
    DeidentifyAfterEmergency,
    DeleteAfterEmergency,
    NotPurged,
    PolicyWindow,
    retention,
)

BigId = BigInteger().with_variant(Integer, "sqlite")
WINDOW = PolicyWindow("registry_days_after_end")
CLUSTERS = N_("clusters are public-health records and name no one")


class Cluster(CreatedAt, Base):
    __tablename__ = "clusters"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    region_code: Mapped[str] = mapped_column(region_code_type(), ForeignKey("regions.code"))
    note: Mapped[str] = mapped_column(String(500), default="")
    created_by: Mapped[int | None] = mapped_column(Integer)

    __table_args__ = (
        Index("ix_clusters_region", "region_code"),
        retention(NotPurged(CLUSTERS)),
    )


class Case(Base):
    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    case_no: Mapped[str] = mapped_column(String(32), unique=True)  # e.g. 2022-1103-0007
    person_id: Mapped[int] = mapped_column(BigId, ForeignKey("people.id", ondelete="CASCADE"))
    # confirmed | asymptomatic; null while the expert group has not classified it (复核)
    kind: Mapped[str | None] = mapped_column(String(12))
    severity: Mapped[str | None] = mapped_column(String(10))  # mild | moderate | severe | critical
    source: Mapped[str] = mapped_column(String(12))  # nat | antigen | manual
    channel: Mapped[str] = mapped_column(String(20))  # detection channel, see module docstring
    local: Mapped[bool] = mapped_column(Boolean, default=True)  # 本土 (false: imported)
    tube_id: Mapped[int | None] = mapped_column(BigId)
    ct_value: Mapped[float | None] = mapped_column(Float)
    sampled_at: Mapped[datetime] = mapped_column()
    onset_on: Mapped[date | None] = mapped_column(Date)
    confirmed_at: Mapped[datetime] = mapped_column()  # reported as this kind (初次报告)
    reported_on: Mapped[date] = mapped_column(Date)  # the official day it is counted on
    converted_at: Mapped[datetime | None] = mapped_column()  # asymptomatic → confirmed, once
    status: Mapped[str] = mapped_column(String(12), default="active")
    placement: Mapped[str | None] = mapped_column(String(12))  # a policy Placement value
    hospital: Mapped[str] = mapped_column(String(100), default="")  # 定点医院 or site
    transferred_at: Mapped[datetime | None] = mapped_column()  # 闭环转运
    outcome_at: Mapped[datetime | None] = mapped_column()  # discharged, released or died
    region_code: Mapped[str] = mapped_column(region_code_type())
    owner_id: Mapped[int | None] = mapped_column(Integer)
    cluster_id: Mapped[int | None] = mapped_column(ForeignKey("clusters.id", ondelete="SET NULL"))
    edition_id: Mapped[str] = mapped_column(String(64))
    note: Mapped[str] = mapped_column(String(500), default="")
    created_by: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    updated_at: Mapped[datetime] = mapped_column(default=clock.now, onupdate=clock.now)

    __table_args__ = (
        Index("ix_cases_person", "person_id", "status"),
        Index("ix_cases_region", "region_code", "reported_on"),
        Index("ix_cases_reported", "reported_on", "kind"),
        Index("ix_cases_status", "status", "kind"),
        Index("ix_cases_cluster", "cluster_id"),
        retention(DeidentifyAfterEmergency(WINDOW, {"note": Constant("")})),
    )


class CaseEvent(Base):
    __tablename__ = "case_events"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    case_id: Mapped[int] = mapped_column(BigId, ForeignKey("cases.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime] = mapped_column(default=clock.now)
    actor_id: Mapped[int | None] = mapped_column(Integer)
    data: Mapped[dict[str, object]] = mapped_column(JSONType, default=dict)
    note: Mapped[str] = mapped_column(String(500), default="")

    __table_args__ = (
        Index("ix_case_events_case", "case_id", "at"),
        retention(DeleteAfterEmergency(WINDOW)),
    )


class CaseLink(CreatedAt, Base):
    __tablename__ = "case_links"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    infector_id: Mapped[int] = mapped_column(BigId, ForeignKey("cases.id", ondelete="CASCADE"))
    infectee_id: Mapped[int] = mapped_column(BigId, ForeignKey("cases.id", ondelete="CASCADE"))
    via: Mapped[str] = mapped_column(
        String(12)
    )  # household | venue | transport | interview | other
    certainty: Mapped[str] = mapped_column(String(10))  # confirmed | probable
    note: Mapped[str] = mapped_column(String(500), default="")
    created_by: Mapped[int | None] = mapped_column(Integer)

    __table_args__ = (
        UniqueConstraint("infector_id", "infectee_id", name="uq_case_links_pair"),
        Index("ix_case_links_infectee", "infectee_id"),
        retention(DeidentifyAfterEmergency(WINDOW, {"note": Constant("")})),
    )
