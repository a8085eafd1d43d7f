"""Care (民生保障): livelihood and one-to-one service requests, volunteers, care needs,
pairings, responsibility teams with their communities, visits and hazards.

- ``CareRequest``: one request tracked to done. ``channel`` ``livelihood`` (民生诉求 of a
  resident of a sealed or controlled zone: food, medicine, medical, other) or ``pairing``
  (one of the six one-to-one services for a paired vulnerable resident). ``region_code`` is
  the resident's grid (scoping); ``community_code`` the community it is assigned to.
  ``priority`` 0 marks an emergency (medical), listed first and never refused.
- ``Volunteer``: a person of the registry with skills (the six services) and areas (region
  codes); ``region_code`` is the first area, which scopes who sees the volunteer.
- ``CareNeed``: needs the people flags do not carry (卧床、透析), kept here so that the people
  tables stay the people domain's.
- ``CarePairing``: one volunteer for one vulnerable resident (一对一); at most one active per
  resident.
- ``CareTeam`` (包保工作组) with ``CareTeamCommunity`` rows, ``CareVisit`` and ``CareHazard``.

Requests, needs, pairings and volunteers name residents and are deleted once the emergency
has ended and ``registry_days_after_end`` passed; teams, visits and hazards are work records
without residents' data, kept.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from fangkong.core import clock
from fangkong.core.errors import N_
from fangkong.models.base import Base, CreatedAt, JSONType, region_code_type
from fangkong.models.retention import (
    DeleteAfterEmergency,
    NotPurged,
    PolicyWindow,
    retention,
)

BigId = BigInteger().with_variant(Integer, "sqlite")
WINDOW = PolicyWindow("registry_days_after_end")
WORK_RECORDS = N_(
    "responsibility teams, their visits and the hazards they found are work records "
    "without residents' data"
)


class CareRequest(CreatedAt, Base):
    __tablename__ = "care_requests"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    channel: Mapped[str] = mapped_column(String(12))  # livelihood | pairing
    kind: Mapped[str] = mapped_column(String(20))  # fangkong.care.requests.kinds
    person_id: Mapped[int] = mapped_column(BigId, ForeignKey("people.id", ondelete="CASCADE"))
    region_code: Mapped[str] = mapped_column(region_code_type())  # the resident's grid
    community_code: Mapped[str] = mapped_column(region_code_type())
    zone_id: Mapped[int | None] = mapped_column(ForeignKey("zones.id", ondelete="SET NULL"))
    zone_kind: Mapped[str | None] = mapped_column(String(12))
    pairing_id: Mapped[int | None] = mapped_column(
        ForeignKey("care_pairings.id", ondelete="SET NULL")
    )
    volunteer_id: Mapped[int | None] = mapped_column(
        ForeignKey("care_volunteers.id", ondelete="SET NULL")
    )
    text: Mapped[str] = mapped_column(String(500))
    priority: Mapped[int] = mapped_column(SmallInteger)  # 0 emergency, 1 ordinary
    status: Mapped[str] = mapped_column(String(12))  # new|assigned|in_progress|done|refused
    due_at: Mapped[datetime] = mapped_column()
    assigned_at: Mapped[datetime | None] = mapped_column()
    started_at: Mapped[datetime | None] = mapped_column()
    done_at: Mapped[datetime | None] = mapped_column()
    outcome: Mapped[str] = mapped_column(String(500), default="")
    created_by: Mapped[int | None] = mapped_column(Integer)
    # Asked by the resident from their own citizen page, not entered by a worker.
    by_citizen: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # When the overdue escalation (``care.escalate``) first found it open past its deadline.
    escalated_at: Mapped[datetime | None] = mapped_column()
    updated_at: Mapped[datetime] = mapped_column(default=clock.now, onupdate=clock.now)

    __table_args__ = (
        # Scoped lists: region range, emergencies first, then id (the page key).
        Index("ix_care_requests_region", "region_code", "priority", "id"),
        # Open and overdue lists: status, then the deadline.
        Index("ix_care_requests_status_due", "status", "due_at"),
        Index("ix_care_requests_person", "person_id"),
        Index("ix_care_requests_pairing", "pairing_id"),
        Index("ix_care_requests_escalated", "escalated_at"),
        retention(DeleteAfterEmergency(WINDOW)),
    )


class Volunteer(CreatedAt, Base):
    __tablename__ = "care_volunteers"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("people.id", ondelete="SET NULL")
    )
    region_code: Mapped[str] = mapped_column(region_code_type(), ForeignKey("regions.code"))
    skills: Mapped[list[str]] = mapped_column(JSONType)
    areas: Mapped[list[str]] = mapped_column(JSONType)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[datetime] = mapped_column(default=clock.now, onupdate=clock.now)

    __table_args__ = (
        Index("ix_care_volunteers_person", "person_id", unique=True),
        Index("ix_care_volunteers_region", "region_code", "id"),
        retention(DeleteAfterEmergency(WINDOW)),
    )


class CareNeed(CreatedAt, Base):
    __tablename__ = "care_needs"

    person_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
    region_code: Mapped[str] = mapped_column(region_code_type())
    bedridden: Mapped[bool] = mapped_column(Boolean, default=False)  # 卧床
    dialysis: Mapped[bool] = mapped_column(Boolean, default=False)  # 透析
    note: Mapped[str] = mapped_column(String(200), default="")
    updated_at: Mapped[datetime] = mapped_column(default=clock.now, onupdate=clock.now)

    __table_args__ = (
        Index("ix_care_needs_region", "region_code", "person_id"),
        retention(DeleteAfterEmergency(WINDOW)),
    )


class CarePairing(CreatedAt, Base):
    __tablename__ = "care_pairings"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(BigId, ForeignKey("people.id", ondelete="CASCADE"))
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("care_volunteers.id", ondelete="CASCADE"))
    region_code: Mapped[str] = mapped_column(region_code_type())  # the resident's grid
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    ended_at: Mapped[datetime | None] = mapped_column()
    created_by: Mapped[int | None] = mapped_column(Integer)

    __table_args__ = (
        Index("ix_care_pairings_region", "region_code", "id"),
        Index("ix_care_pairings_volunteer", "volunteer_id"),
        # One active pairing per resident, also against two concurrent requests.
        Index(
            "ix_care_pairings_active_person",
            "person_id",
            unique=True,
            sqlite_where=text("active"),
            postgresql_where=text("active"),
        ),
        retention(DeleteAfterEmergency(WINDOW)),
    )


class CareTeam(CreatedAt, Base):
    __tablename__ = "care_teams"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    region_code: Mapped[str] = mapped_column(region_code_type(), ForeignKey("regions.code"))
    leader: Mapped[str] = mapped_column(String(64))
    members: Mapped[list[str]] = mapped_column(JSONType)
    duties: Mapped[str] = mapped_column(String(1000), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    __table_args__ = (
        Index("ix_care_teams_region", "region_code", "id"),
        retention(NotPurged(WORK_RECORDS)),
    )


class CareTeamCommunity(Base):
    __tablename__ = "care_team_communities"

    team_id: Mapped[int] = mapped_column(
        ForeignKey("care_teams.id", ondelete="CASCADE"), primary_key=True
    )
    community_code: Mapped[str] = mapped_column(
        region_code_type(), ForeignKey("regions.code"), primary_key=True
    )

    __table_args__ = (
        Index("ix_care_team_communities_code", "community_code"),
        retention(NotPurged(WORK_RECORDS)),
    )


class CareVisit(CreatedAt, Base):
    __tablename__ = "care_visits"

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("care_teams.id", ondelete="CASCADE"))
    community_code: Mapped[str] = mapped_column(region_code_type())
    visited_on: Mapped[date] = mapped_column(Date)
    notes: Mapped[str] = mapped_column(String(1000), default="")
    created_by: Mapped[int | None] = mapped_column(Integer)

    __table_args__ = (
        Index("ix_care_visits_team", "team_id", "visited_on"),
        retention(NotPurged(WORK_RECORDS)),
    )


class CareHazard(CreatedAt, Base):
    __tablename__ = "care_hazards"

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("care_teams.id", ondelete="CASCADE"))
    community_code: Mapped[str] = mapped_column(region_code_type())
    description: Mapped[str] = mapped_column(String(500))
    found_on: Mapped[date] = mapped_column(Date)
    fixed_on: Mapped[date | None] = mapped_column(Date)
    fix_note: Mapped[str] = mapped_column(String(500), default="")
    created_by: Mapped[int | None] = mapped_column(Integer)

    __table_args__ = (
        Index("ix_care_hazards_team", "team_id", "found_on"),
        retention(NotPurged(WORK_RECORDS)),
    )
