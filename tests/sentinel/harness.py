"""Sentinels in the generic harness: per district a fever clinic and a pharmacy, a resident
with a visit and a four-drug sale (pushed to the district's grid); the bad inputs of issue 11
parts 2 and 3 (an unknown drug class, a visit in the future, an unknown person or clinic);
the visit's id for the visitors' follow-up routes."""

from __future__ import annotations

from typing import Any

from factories import resident_id
from fangkong.core.principal import Principal
from fangkong.people import service as people
from fangkong.people.protect import Protector
from fangkong.people.schemas import PersonCreate
from fangkong.policy.types import VenueType
from fangkong.sentinel import service
from fangkong.sentinel.schemas import SaleIn, SiteIn, SiteKind, VisitIn
from fangkong.venues import service as venues
from fangkong.venues.schemas import VenueCreate
from harness.registry import BadInput, District, Domain, Ids, Seeded, register

BASE = "/api/v1/sentinel"


def _actor(district: District) -> Principal:
    return Principal(id=None, username="probe-sentinel", role="district_officer",
                     region_code=district.code)  # fmt: skip


def _site(session, district: District, kind: SiteKind, name: str) -> int:
    venue_type = VenueType.HOSPITAL if kind is SiteKind.FEVER_CLINIC else VenueType.SHOP
    data = VenueCreate(name=name, type=venue_type, region_code=district.grid)
    venue = venues.create_venue(session, actor=_actor(district), data=data)
    service.register_site(
        session, actor=_actor(district), data=SiteIn(venue_id=venue.id, kind=kind)
    )
    return venue.id


def seed(session, settings, district: District) -> Seeded:
    actor = _actor(district)
    clinic_name, shop_name = f"{district.tag}发热门诊", f"{district.tag}哨点药店"
    clinic = _site(session, district, SiteKind.FEVER_CLINIC, clinic_name)
    pharmacy = _site(session, district, SiteKind.PHARMACY, shop_name)
    number = resident_id(13_700 + int(district.code) % 1000, region=district.code)
    data = PersonCreate(name=f"{district.tag}购药居民", id_number=number, grid_code=district.grid)
    people.create_person(session, actor=actor, protector=Protector(settings.data_key_bytes),
                         data=data)  # fmt: skip
    visit = service.report_visit(
        session,
        settings,
        actor=actor,
        data=VisitIn(venue_id=clinic, id_number=number, symptoms=["fever"]),
    )
    sale = service.record_sale(session, settings, actor=actor, data=SaleIn(
        venue_id=pharmacy, id_number=number, drug_class="cough"))  # fmt: skip
    ids = {"sentinel_clinic": str(clinic), "sentinel_pharmacy": str(pharmacy),
           "sentinel_id_number": number, "drug_sale": str(sale.id),
           "fever_visit": str(visit.id)}  # fmt: skip
    return Seeded(ids=ids, markers=(clinic_name, shop_name))


def _visit(ids: Ids) -> dict[str, Any]:
    return {"json": {"venue_id": int(ids["sentinel_clinic"]),
                     "id_number": ids["sentinel_id_number"]}}  # fmt: skip


def _sale(ids: Ids) -> dict[str, Any]:
    return {"json": {"venue_id": int(ids["sentinel_pharmacy"]),
                     "id_number": ids["sentinel_id_number"], "drug_class": "cough"}}  # fmt: skip


def _site_of(ids: Ids) -> dict[str, Any]:
    return {"json": {"venue_id": int(ids["sentinel_clinic"]), "kind": "fever_clinic"}}


def _visits_file(ids: Ids) -> dict[str, Any]:
    content = f"场所编号,身份证号,症状\n{ids['sentinel_clinic']},{ids['sentinel_id_number']},发热\n"
    return {"files": {"file": ("visits.csv", content.encode(), "text/csv")}}


def _sales_file(ids: Ids) -> dict[str, Any]:
    row = f"{ids['sentinel_pharmacy']},{ids['sentinel_id_number']},止咳"
    content = f"场所编号,身份证号,药品类别\n{row}\n"
    return {"files": {"file": ("sales.csv", content.encode(), "text/csv")}}


def _sale_body(**overrides: Any) -> dict[str, Any]:
    body = {"venue_id": "{sentinel_pharmacy:int}", "id_number": "{sentinel_id_number}",
            "drug_class": "cough"}  # fmt: skip
    return body | overrides


def _visit_body(**overrides: Any) -> dict[str, Any]:
    return {"venue_id": "{sentinel_clinic:int}", "id_number": "{sentinel_id_number}"} | overrides


def _bad_sales_file(ids: Ids) -> dict[str, tuple[str, bytes, str]]:
    row = f"{ids['sentinel_pharmacy']},{ids['sentinel_id_number']},维生素"
    return {"file": ("sales.csv", f"场所编号,身份证号,药品类别\n{row}\n".encode(), "text/csv")}


BAD_INPUTS = (
    BadInput("a sale of an unknown drug class", "post", BASE + "/sales", 422,
             "sentinel.unknown_drug_class", json=_sale_body(drug_class="vitamins")),
    BadInput("a sale in the future", "post", BASE + "/sales", 422, "sentinel.in_future",
             json=_sale_body(sold_at="2999-01-01T00:00:00+08:00")),
    BadInput("a sale of no quantity", "post", BASE + "/sales", 422, "sentinel.invalid_quantity",
             json=_sale_body(quantity=0)),
    BadInput("a sale at a fever clinic", "post", BASE + "/sales", 422,
             "sentinel.wrong_site_kind", json=_sale_body(venue_id="{sentinel_clinic:int}")),
    BadInput("a visit in the future", "post", BASE + "/visits", 422, "sentinel.in_future",
             json=_visit_body(visited_at="2999-01-01T00:00:00+08:00")),
    BadInput("a visit of an unknown person", "post", BASE + "/visits", 422,
             "sentinel.unknown_person", json=_visit_body(id_number=resident_id(13_699))),
    BadInput("a visit with a malformed ID number", "post", BASE + "/visits", 422,
             "sentinel.invalid_id_number", json=_visit_body(id_number="230102199013011234")),
    BadInput("a visit at an unknown clinic", "post", BASE + "/visits", 404,
             "sentinel.site_not_found", json=_visit_body(venue_id=2_000_000_000)),
    BadInput("a visit with an unknown symptom", "post", BASE + "/visits", 422,
             "sentinel.unknown_symptom", json=_visit_body(symptoms=["sneezing"])),
    BadInput("a visit with an impossible temperature", "post", BASE + "/visits", 422,
             "sentinel.invalid_temperature", json=_visit_body(temperature=50)),
    BadInput("a site of the wrong venue type", "post", BASE + "/sites", 422,
             "sentinel.site_venue_type",
             json={"venue_id": "{sentinel_clinic:int}", "kind": "pharmacy"}),
    BadInput("a second registration of a site", "post", BASE + "/sites", 409,
             "sentinel.site_exists",
             json={"venue_id": "{sentinel_clinic:int}", "kind": "fever_clinic"}),
    BadInput("counts of a malformed day", "get", BASE + "/counts", 422, "request.invalid",
             params={"day": "2022-13-01"}),
    BadInput("visitors of a malformed grid", "get", BASE + "/follow-ups/visits", 422,
             "request.invalid", params={"grid": "23x"}),
    BadInput("a sales file with an unknown drug class", "post", BASE + "/sales/import", 200,
             "sentinel.unknown_drug_class", files=_bad_sales_file, line=True),
)  # fmt: skip


register(
    Domain(
        name="sentinel",
        prefixes=(BASE,),
        seed=seed,
        order=60,
        id_names={"sale_id": "drug_sale", "visit_id": "fever_visit"},
        requests={
            f"POST {BASE}/visits": _visit,
            f"POST {BASE}/sales": _sale,
            f"POST {BASE}/sites": _site_of,
            f"POST {BASE}/visits/import": _visits_file,
            f"POST {BASE}/sales/import": _sales_file,
        },
        bad_inputs=BAD_INPUTS,
    )
)
