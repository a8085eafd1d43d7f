"""Helpers of the round and key-group tests: principals, a round made through the service,
key-group members, and the health-code facts the jobs raised."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from fangkong.core import clock
from fangkong.core.principal import Principal
from fangkong.models import KeyGroupMembership, Person
from fangkong.models.healthcode import HealthFact
from fangkong.models.person import KeyGroup
from fangkong.models.testing import Campaign
from fangkong.testing.campaigns import service
from fangkong.testing.campaigns.schemas import CampaignCreate
from testing.world import DAOLI, GRID, NANGANG

API = "/api/v1/testing/campaigns"
GROUPS = "/api/v1/testing/key-groups"
PERMISSIONS = frozenset({"testing.read", "testing.manage"})


def officer(region: str = DAOLI) -> Principal:
    return Principal(
        id=None, username=f"officer{region}", role="district_officer", region_code=region,
        permissions=PERMISSIONS,
    )  # fmt: skip


OFFICER = officer(DAOLI)
NANGANG_OFFICER = officer(NANGANG)
WORKER = Principal(
    id=None, username="worker", role="grid_worker", region_code=GRID,
    permissions=frozenset({"testing.read"}),
)  # fmt: skip


def new_round(
    session: Session,
    regions: tuple[str, ...] = (DAOLI,),
    *,
    actor: Principal = OFFICER,
    starts_on: date | None = None,
    days: int = 2,
) -> Campaign:
    start = starts_on or clock.local_today()
    data = CampaignCreate(
        name="第一轮全员核酸", regions=list(regions), starts_on=start,
        ends_on=start + timedelta(days=days - 1),
    )  # fmt: skip
    return service.create_campaign(session, actor=actor, data=data)


def join_group(
    session: Session,
    person: Person,
    group: KeyGroup,
    employer: str = "道里冷链物流公司",
    end_date: date | None = None,
) -> None:
    start = clock.local_today() - timedelta(days=30)
    session.add(
        KeyGroupMembership(
            person_id=person.id, group=group, employer=employer, start_date=start,
            end_date=end_date,
        )
    )  # fmt: skip
    session.flush()


def facts(session: Session, reason: str) -> list[tuple[int, str]]:
    statement = select(HealthFact.person_id, HealthFact.ref).where(
        HealthFact.reason == reason, HealthFact.ended_at.is_(None)
    )
    return sorted((int(p), str(r)) for p, r in session.execute(statement))
