"""Screening rounds and key-group schedules in the generic harness: per district a round over
the district (one of its residents sampled, one not), and a cold-chain worker with an employer
only that district has; the bad inputs of the round and key-group routes.

The loader imports ``tests/<domain>/harness.py`` only: ``tests/testing/harness.py`` imports
this module (``import testing.campaigns.harness``) to register it.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from factories import resident_id
from fangkong.core import clock
from fangkong.core.principal import Principal
from fangkong.models import KeyGroupMembership
from fangkong.models.person import KeyGroup
from fangkong.models.testing import Tube, TubeMember
from fangkong.people import service as people
from fangkong.people.protect import Protector
from fangkong.people.schemas import PersonCreate
from fangkong.testing import barcodes
from fangkong.testing.campaigns import service
from fangkong.testing.campaigns.schemas import CampaignCreate
from harness.registry import BadInput, District, Domain, Ids, Seeded, register

ROUNDS = "/api/v1/testing/campaigns"
GROUPS = "/api/v1/testing/key-groups"


def _resident(session, settings, district: District, n: int, name: str):
    data = PersonCreate(
        name=name, id_number=resident_id(int(district.code) % 1000 + 700 + n, region=district.code),
        grid_code=district.grid,
    )  # fmt: skip
    actor = Principal(id=None, username="probe-round", role="city_admin", region_code="230100")
    return people.create_person(
        session, actor=actor, protector=Protector(settings.data_key_bytes), data=data
    )[0]


def _sample(session, campaign_id: int, person, n: int) -> None:
    at = clock.now() - timedelta(hours=1)
    tube = Tube(
        barcode=barcodes.with_check_digit(f"{90_000_000 + n:011d}"), kind="single", capacity=1,
        campaign_id=campaign_id, region_code=person.grid_code, status="sealed", member_count=1,
        opened_at=at, sampled_at=at, sealed_at=at,
    )  # fmt: skip
    session.add(tube)
    session.flush()
    session.add(TubeMember(tube_id=tube.id, person_id=person.id, campaign_id=campaign_id,
                           grid_code=person.grid_code, sampled_at=at))  # fmt: skip
    session.flush()


def seed(session, settings, district: District) -> Seeded:
    actor = Principal(id=None, username="probe-round", role="district_officer",
                      region_code=district.code)  # fmt: skip
    today = clock.local_today()
    name = f"{district.tag}轮全员核酸"
    data = CampaignCreate(name=name, regions=[district.code], starts_on=today, ends_on=today)
    campaign = service.create_campaign(session, actor=actor, data=data)
    sampled = _resident(session, settings, district, 1, f"{district.tag}甲")
    _resident(session, settings, district, 2, f"{district.tag}乙")
    _sample(session, campaign.id, sampled, int(district.code) % 1000)
    employer = f"{district.tag}冷链公司"
    session.add(KeyGroupMembership(person_id=sampled.id, group=KeyGroup.COLD_CHAIN,
                                   employer=employer, start_date=today - timedelta(days=30)))  # fmt: skip
    session.flush()
    return Seeded(
        ids={"campaign": str(campaign.id), "employer": employer}, markers=(name, employer)
    )


def _new_round_in(ids: Ids) -> dict[str, Any]:
    today = clock.local_today().isoformat()
    body = {"name": "探针轮次", "regions": [ids["region"]], "starts_on": today, "ends_on": today}
    return {"json": body}


def _round(**overrides: Any) -> dict[str, Any]:
    today = clock.local_today().isoformat()
    return {
        "name": "坏输入",
        "regions": ["{region}"],
        "starts_on": today,
        "ends_on": today,
    } | overrides


BAD_INPUTS = (
    BadInput("a round without regions", "post", ROUNDS, 422, "request.invalid",
             json=_round(regions=[])),
    BadInput("a round name over 100 characters", "post", ROUNDS, 422, "request.invalid",
             json=_round(name="名" * 101)),
    BadInput("a round outside the jurisdiction", "post", ROUNDS, 422,
             "testing.campaign_region_out_of_jurisdiction", json=_round(regions=["230103"])),
    BadInput("a round in a region that does not exist", "post", ROUNDS, 422,
             "testing.campaign_unknown_region", json=_round(regions=["230102009009009"])),
    BadInput("a round that ends before it starts", "post", ROUNDS, 422,
             "testing.campaign_invalid_dates", json=_round(ends_on="2020-01-01")),
    BadInput("coverage at a level that does not exist", "get", ROUNDS + "/{campaign}/coverage",
             422, "request.invalid", params={"level": "planet"}),
    BadInput("overdue members of a key group no edition has", "get", GROUPS + "/overdue", 422,
             "testing.unknown_key_group", params={"group": "astronauts"}),
    BadInput("a huge round id", "get", ROUNDS + "/99999999999", 422, "request.invalid"),
)  # fmt: skip


DOMAIN = register(
    Domain(
        name="testing.campaigns",
        prefixes=(ROUNDS, GROUPS),
        seed=seed,
        order=60,
        id_names={"campaign_id": "campaign", "grid": "region", "employer": "employer"},
        requests={f"POST {ROUNDS}": _new_round_in},
        bad_inputs=BAD_INPUTS,
    )
)
