"""Regions in the generic harness: a street, community and grid per district, named after it."""

from __future__ import annotations

from fangkong.core.principal import SYSTEM
from fangkong.models import RegionLevel
from fangkong.regions import service
from fangkong.regions.schemas import RegionCreate
from harness.registry import BadInput, District, Domain, Ids, Seeded, register


def seed(session, settings, district: District) -> Seeded:
    names = []
    for code, level, word in (
        (district.street, RegionLevel.STREET, "街道"),
        (district.community, RegionLevel.COMMUNITY, "社区"),
        (district.grid, RegionLevel.GRID, "网格"),
        (district.grid_2, RegionLevel.GRID, "二网格"),
    ):
        name = f"{district.tag}{word}"
        data = RegionCreate(code=code, name=name, level=level, parent_code=code[:-3])
        service.create_region(session, actor=SYSTEM, data=data)
        names.append(name)
    return Seeded(ids={"region": district.grid, "region_2": district.grid_2}, markers=tuple(names))


def _new_grid_under(ids: Ids) -> dict[str, object]:
    community = ids["region"][:12]
    body = {"code": f"{community}009", "name": "探针新网格", "level": "grid"}
    return {"json": body | {"parent_code": community}}


def _import_under(ids: Ids) -> dict[str, object]:
    district = ids["region"][:6]
    content = f"code,name,level,parent_code\n{district}009,探针街道,street,{district}\n"
    return {"files": {"file": ("regions.csv", content.encode(), "text/csv")}}


HUGE = 10**20  # beyond any id column


def _long_field_file(ids: Ids) -> dict[str, tuple[str, bytes, str]]:
    """A CSV field over the csv module's limit (131,072 characters)."""
    content = "code,name,level,parent_code\n230102009," + "x" * 140_000 + ",street,230102\n"
    return {"file": ("regions.csv", content.encode(), "text/csv")}


def _region(code: str) -> dict[str, str]:
    return {"code": code, "name": "全角", "level": "street", "parent_code": "230102"}


BAD_INPUTS = (
    BadInput("full-width digits in a code", "post", "/api/v1/regions", 422, "request.invalid",
             json=_region("230102００９"), role="city_admin"),
    BadInput("Arabic-Indic digits in a code", "post", "/api/v1/regions", 422, "request.invalid",
             json=_region("230102٠٠٩"), role="city_admin"),
    BadInput("a cursor holding a lone surrogate", "get", "/api/v1/regions", 422,
             "pagination.invalid_cursor", params={"parent": "230102", "cursor": "WyJcdWQ4MDAiXQ"},
             role="city_admin"),
    BadInput("a CSV field over the csv limit", "post", "/api/v1/regions/import", 422,
             "import.unreadable_file", files=_long_field_file, role="city_admin"),
    BadInput("a huge user id to unassign", "delete", f"/api/v1/regions/{{region}}/workers/{HUGE}",
             422, "request.invalid", role="city_admin"),
    BadInput("a huge user id to assign", "post", "/api/v1/regions/{region}/workers", 422,
             "request.invalid", json={"user_id": HUGE}, role="city_admin"),
)  # fmt: skip


register(
    Domain(
        name="regions",
        prefixes=("/api/v1/regions",),
        seed=seed,
        order=0,
        id_names={
            "code": "region",
            "parent": "region",
            "parent_code": "region",
            "region": "region",
            "region_code": "region",
            "grid_code": "region",
        },
        requests={
            "POST /api/v1/regions": _new_grid_under,
            "POST /api/v1/regions/import": _import_under,
        },
        bad_inputs=BAD_INPUTS,
    )
)
