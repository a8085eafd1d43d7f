"""Sampling sites and tubes in the generic harness (``tests/harness``): per district a site in
its grid and an open tube with one resident; the id kinds of the routes, the public queue
board (unscoped: it shows every district's sites by design) and the bad inputs of issue 7.

The loader imports ``tests/<domain>/harness.py`` only: ``tests/testing/harness.py`` imports
this module (``import testing.sampling.harness``) to register it.
"""

from __future__ import annotations

from typing import Any

from factories import resident_id
from fangkong.core.principal import Principal
from fangkong.people import service as people
from fangkong.people.protect import Protector
from fangkong.people.schemas import PersonCreate
from fangkong.testing import barcodes
from fangkong.testing.sampling import service
from fangkong.testing.sampling.schemas import MemberAdd, SiteCreate, TubeOpen
from harness.registry import BadInput, District, Domain, Ids, Seeded, register

SITES = "/api/v1/testing/sites"
TUBES = "/api/v1/testing/tubes"
PROBE_BARCODE = barcodes.with_check_digit("55500000001")


def seed(session, settings, district: District) -> Seeded:
    actor = Principal(id=None, username="probe-sampler", role="district_officer",
                      region_code=district.code)  # fmt: skip
    name, address = f"{district.tag}采样点", f"{district.tag}采样路1号"
    data = SiteCreate(name=name, region_code=district.grid, address=address)
    site = service.create_site(session, actor=actor, data=data)
    number = resident_id(int(district.code) % 1000 + 600, region=district.code)
    people.create_person(
        session, actor=actor, protector=Protector(settings.data_key_bytes),
        data=PersonCreate(name=f"{district.tag}受检者", id_number=number, grid_code=district.grid),
    )  # fmt: skip
    barcode = barcodes.with_check_digit(f"{55_500_000_000 + int(district.code) % 1000:011d}")
    tube = service.open_tube(
        session, settings, actor=actor, data=TubeOpen(barcode=barcode, site_id=site.id)
    )
    service.add_member(session, settings, actor=actor, tube_id=tube.id,
                       data=MemberAdd(id_number=number))  # fmt: skip
    return Seeded(
        ids={
            "site": str(site.id),
            "tube": str(tube.id),
            "site_name": name,
            "sampled_id_number": number,
        },
        markers=(name, address, barcode),
    )


def _new_site_in(ids: Ids) -> dict[str, Any]:
    return {"json": {"name": "探针采样点", "region_code": ids["region"]}}


def _tube_at(ids: Ids) -> dict[str, Any]:
    return {"json": {"barcode": PROBE_BARCODE, "site_id": int(ids["site"])}}


def _site(**overrides: Any) -> dict[str, Any]:
    return {"name": "坏输入采样点", "region_code": "{region}"} | overrides


def _tube(**overrides: Any) -> dict[str, Any]:
    return {"barcode": PROBE_BARCODE, "site_id": "{site:int}"} | overrides


BAD_INPUTS = (
    BadInput("a site name over 100 characters", "post", SITES, 422, "request.invalid",
             json=_site(name="名" * 101)),
    BadInput("a site outside the jurisdiction", "post", SITES, 422,
             "testing.region_out_of_jurisdiction", json=_site(region_code="230103001002003")),
    BadInput("a second site of the same name in the region", "post", SITES, 409,
             "testing.site_duplicate_name",
             json={"name": "{site_name}", "region_code": "{region}"}),
    BadInput("opening hours that are not HH:MM", "post", SITES, 422, "request.invalid",
             json=_site(opens_at="8 am")),
    BadInput("a tube barcode with a bad check digit", "post", TUBES, 422,
             "testing.bad_barcode", json=_tube(barcode=PROBE_BARCODE[:-1] + str((int(PROBE_BARCODE[-1]) + 1) % 10))),
    BadInput("a pool larger than the edition allows", "post", TUBES, 422,
             "testing.pool_size_not_allowed", json=_tube(capacity=30)),
    BadInput("a person added twice to a tube", "post", TUBES + "/{tube}/members", 409,
             "testing.already_in_tube", json={"id_number": "{sampled_id_number}"}),
    BadInput("a huge tube id", "get", TUBES + "/99999999999999999999", 422, "request.invalid"),
)  # fmt: skip


DOMAIN = register(
    Domain(
        name="testing.sampling",
        prefixes=(SITES, TUBES),
        seed=seed,
        order=60,
        id_names={"site_id": "site", "tube_id": "tube", "person_id": "person"},
        requests={f"POST {SITES}": _new_site_in, f"POST {TUBES}": _tube_at},
        unscoped={
            f"GET {SITES}/queue": "the public queue board: every district's active sites, "
            "with no personal data, for citizens",
        },
        bad_inputs=BAD_INPUTS,
    )
)
