"""A small world for the testing-domain tests (fixtures in ``conftest.py``): two districts,
residents registered through the people service, and rows of the testing tables made directly
(sites, labs, rounds, tubes with members) so each sub-package's tests stand on their own.

Barcodes come from ``barcodes.with_check_digit`` over a counter, so every tube is valid and
distinct.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from datetime import date, datetime, timedelta

from sqlalchemy.orm import Session

from factories import earlier_today, resident_id
from fangkong.config import Settings
from fangkong.core import clock
from fangkong.core.principal import Principal
from fangkong.models import Person
from fangkong.models.testing import Campaign, CampaignRegion, Lab, SamplingSite, Tube, TubeMember
from fangkong.people import service as people
from fangkong.people.protect import Protector
from fangkong.people.schemas import PersonCreate
from fangkong.testing import barcodes

DAOLI = "230102"
NANGANG = "230103"
GRID = "230102001002003"
OTHER_GRID = "230103001002003"
_seeds = itertools.count(20_000)
_barcodes = itertools.count(10_000_001)
ADMIN = Principal(id=None, username="test", role="city_admin", region_code="230100")


def next_barcode() -> str:
    return barcodes.with_check_digit(f"{next(_barcodes):011d}")


def make_resident(
    session: Session, settings: Settings, *, name: str = "王小明", grid: str = GRID, **extra: object
) -> Person:
    number = resident_id(next(_seeds), region=grid[:6])
    data = PersonCreate(name=name, id_number=number, grid_code=grid, **extra)  # type: ignore[arg-type]
    person, _ = people.create_person(
        session, actor=ADMIN, protector=Protector(settings.data_key_bytes), data=data
    )
    return person


def make_site(session: Session, *, name: str = "道里采样点", region: str = GRID) -> SamplingSite:
    site = SamplingSite(name=name, region_code=region, address=f"{name}路1号")
    session.add(site)
    session.flush()
    return site


def make_lab(session: Session, *, name: str = "道里检测中心", region: str = DAOLI) -> Lab:
    lab = Lab(name=name, region_code=region)
    session.add(lab)
    session.flush()
    return lab


def make_campaign(
    session: Session,
    *,
    regions: Sequence[str] = (DAOLI,),
    starts_on: date | None = None,
    days: int = 1,
    name: str = "第一轮全员核酸",
) -> Campaign:
    start = starts_on or clock.local_today()
    campaign = Campaign(
        name=name, region_code=regions[0], starts_on=start, ends_on=start + timedelta(days - 1)
    )
    session.add(campaign)
    session.flush()
    session.add_all(CampaignRegion(campaign_id=campaign.id, region_code=r) for r in regions)
    session.flush()
    return campaign


def make_tube(
    session: Session,
    members: Sequence[Person],
    *,
    kind: str = "pooled",
    capacity: int = 10,
    site: SamplingSite | None = None,
    campaign: Campaign | None = None,
    sampled_at: datetime | None = None,
    status: str = "sealed",
    purpose: str = "screening",
) -> Tube:
    """A tube with its members sampled at ``sampled_at`` (default: an hour ago, but today), sealed."""
    at = sampled_at or earlier_today(1)
    tube = Tube(
        barcode=next_barcode(),
        kind=kind,
        capacity=capacity,
        purpose=purpose,
        site_id=site.id if site else None,
        campaign_id=campaign.id if campaign else None,
        region_code=site.region_code if site else GRID,
        status=status,
        member_count=len(members),
        opened_at=at,
        sampled_at=at,
        sealed_at=at if status != "open" else None,
    )
    session.add(tube)
    session.flush()
    session.add_all(
        TubeMember(
            tube_id=tube.id,
            person_id=p.id,
            campaign_id=tube.campaign_id,
            grid_code=p.grid_code,
            sampled_at=at,
        )
        for p in members
    )
    session.flush()
    return tube
