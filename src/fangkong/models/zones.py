"""Local zones around cases (封控区、管控区、防范区).

- ``Zone``: declared over a region (a grid, community or street) or over a list of buildings
  and addresses (``ZoneArea`` rows), with its ``kind``; ``status`` ``active`` until lifted
  (解封). A downgrade (降级) keeps the row and changes ``kind``; every step is a ``ZoneEvent``.
  ``last_infection_at`` is the latest linked infection, from which the days without a new
  infection are counted; ``final_screening_campaign_id`` names the testing round whose
  all-negative result the edition may require before lifting.
- ``ZoneArea``: one covered place: a ``region_code``, or an ``address`` (a building or an
  address prefix, matched against household addresses).
- ``ZoneCase``: an infection linked to the zone, with its time (the case's sampling or onset).
- ``ZoneResident``: the people inside, found when declared and refreshed when the area
  changes; their health code carries the zone's reason while they are listed.
- ``ZoneEvent``: the zone's history: declared, infection, proposed, downgraded, lifted,
  rejected, edited; with the actor (null: the daily job).

Zones and their events are public-health decisions, kept; residents and linked cases name
people and are deleted once the emergency has ended and ``registry_days_after_end`` passed.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from fangkong.core import clock
from fangkong.core.errors import N_
from fangkong.models.base import Base, CreatedAt, region_code_type
from fangkong.models.retention import DeleteAfterEmergency, NotPurged, PolicyWindow, retention

BigId = BigInteger().with_variant(Integer, "sqlite")
WINDOW = PolicyWindow("registry_days_after_end")
DECISIONS = N_("zones and their history are public-health decisions, not residents' data")


class Zone(CreatedAt, Base):
    __tablename__ = "zones"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(12))  # a fangkong.policy.types.ZoneKind value
    # The jurisdiction the zone lies in (the region declared, or the common parent of its
    # addresses' grids): scoping and the district overviews use it.
    region_code: Mapped[str] = mapped_column(region_code_type(), ForeignKey("regions.code"))
    status: Mapped[str] = mapped_column(String(10), default="active")  # active | lifted
    declared_at: Mapped[datetime] = mapped_column(default=clock.now)
    declared_by: Mapped[int | None] = mapped_column(Integer)
    kind_since: Mapped[datetime] = mapped_column(default=clock.now)  # last downgrade
    last_infection_at: Mapped[datetime | None] = mapped_column()
    final_screening_campaign_id: Mapped[int | None] = mapped_column(Integer)
    # proposed_downgrade | proposed_lift while a proposal waits for an officer
    pending: Mapped[str | None] = mapped_column(String(20))
    lifted_at: Mapped[datetime | None] = mapped_column()
    lifted_by: Mapped[int | None] = mapped_column(Integer)
    resident_count: Mapped[int] = mapped_column(Integer, default=0)
    note: Mapped[str] = mapped_column(String(500), default="")

    __table_args__ = (
        Index("ix_zones_region", "region_code", "status", "kind"),
        Index("ix_zones_status", "status", "kind"),
        retention(NotPurged(DECISIONS)),
    )


class ZoneArea(Base):
    __tablename__ = "zone_areas"

    id: Mapped[int] = mapped_column(primary_key=True)
    zone_id: Mapped[int] = mapped_column(ForeignKey("zones.id", ondelete="CASCADE"))
    region_code: Mapped[str | None] = mapped_column(region_code_type())
    address: Mapped[str | None] = mapped_column(String(200))

    __table_args__ = (
        Index("ix_zone_areas_zone", "zone_id"),
        retention(NotPurged(DECISIONS)),
    )


class ZoneCase(Base):
    __tablename__ = "zone_cases"

    zone_id: Mapped[int] = mapped_column(
        ForeignKey("zones.id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
    infected_at: Mapped[datetime] = mapped_column()
    case_ref: Mapped[str] = mapped_column(String(64), default="")
    linked_at: Mapped[datetime] = mapped_column(default=clock.now)

    __table_args__ = (retention(DeleteAfterEmergency(WINDOW)),)


class ZoneResident(Base):
    __tablename__ = "zone_residents"

    zone_id: Mapped[int] = mapped_column(
        ForeignKey("zones.id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )

    __table_args__ = (
        Index("ix_zone_residents_person", "person_id"),
        retention(DeleteAfterEmergency(WINDOW)),
    )


class ZoneEvent(Base):
    __tablename__ = "zone_events"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    zone_id: Mapped[int] = mapped_column(ForeignKey("zones.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(default=clock.now)
    # declared | infection | proposed | downgraded | lifted | rejected | edited
    action: Mapped[str] = mapped_column(String(12))
    from_kind: Mapped[str | None] = mapped_column(String(12))
    to_kind: Mapped[str | None] = mapped_column(String(12))
    actor_id: Mapped[int | None] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(String(500), default="")

    __table_args__ = (
        Index("ix_zone_events_zone", "zone_id", "at"),
        Index("ix_zone_events_at", "action", "at"),
        retention(NotPurged(DECISIONS)),
    )
