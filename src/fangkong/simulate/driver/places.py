"""The model's venues made in the platform (the venues service), with a sampling site at each
hospital's fever clinic and one lab for the run (the testing services).

Names carry the run's seed (``S7 超市 12``), so a second run of the same seed on the same
database meets the venues service's duplicate-name refusal instead of mixing two runs.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from fangkong.core.principal import Principal
from fangkong.policy.types import VenueType
from fangkong.simulate.outbreak import KINDS
from fangkong.simulate.outbreak.parameters import HOSPITAL
from fangkong.simulate.outbreak.venues import Venues
from fangkong.testing.results import service as labs
from fangkong.testing.results.schemas import LabCreate
from fangkong.testing.sampling import service as sampling
from fangkong.testing.sampling.schemas import SiteCreate
from fangkong.venues import service as venues_service
from fangkong.venues.schemas import VenueCreate

VENUE_TYPES = {
    "workplace": VenueType.OFFICE,
    "school_class": VenueType.SCHOOL,
    "shop": VenueType.SHOP,
    "restaurant": VenueType.RESTAURANT,
    "market": VenueType.MARKET,
    "hospital": VenueType.HOSPITAL,
}
LAB_NAME = "S{seed} 检测实验室"  # the run's lab (one per run)
KIND_NAMES = {
    "workplace": "单位",
    "school_class": "班级",
    "shop": "商店",
    "restaurant": "餐馆",
    "market": "菜市场",
    "hospital": "医院",
}


@dataclass(frozen=True, slots=True)
class Places:
    venue_ids: list[int]  # model venue index -> platform venue id
    sites: dict[int, int]  # model hospital index -> sampling site id (its fever clinic)
    lab_id: int


def create_places(
    session: Session, *, actor: Principal, venues: Venues, grid_codes: list[str], seed: int
) -> Places:
    kinds, grids = venues.kind.tolist(), venues.grid.tolist()
    data = [VenueCreate(name=_name(seed, kind, index), type=VENUE_TYPES[KINDS[kind]],
                        region_code=grid_codes[grid])
            for index, (kind, grid) in enumerate(zip(kinds, grids, strict=True))]  # fmt: skip
    venue_ids = venues_service.create_venues(session, actor=actor, data=data)
    sites = {}
    for index, kind in enumerate(kinds):
        if kind == HOSPITAL:
            site = SiteCreate(name=f"{data[index].name} 发热门诊",
                              region_code=data[index].region_code,
                              opens_at="00:00", closes_at="23:59")  # fmt: skip
            sites[index] = sampling.create_site(session, actor=actor, data=site).id
    region = grid_codes[0][:6]
    lab = labs.create_lab(session, actor=actor, data=LabCreate(name=LAB_NAME.format(seed=seed),
                                                                region_code=region))  # fmt: skip
    return Places(venue_ids, sites, lab.id)


def _name(seed: int, kind: int, index: int) -> str:
    return f"S{seed} {KIND_NAMES[KINDS[kind]]} {index}"
