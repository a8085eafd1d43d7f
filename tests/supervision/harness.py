"""Supervision in the generic harness: per district a property company, a community of it, an
inspection with one open problem, and a video point; the bad inputs the issue names (an
inspection of an unknown community, a deadline in the past) and others."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from stdnum.cn import uscc

from fangkong.core import clock
from fangkong.core.principal import Principal
from fangkong.supervision.companies import service as companies
from fangkong.supervision.companies.schemas import CommunityCreate, CompanyCreate
from fangkong.supervision.inspections import photos
from fangkong.supervision.inspections import service as inspections
from fangkong.supervision.inspections.schemas import InspectionCreate
from fangkong.supervision.labels import Aspect
from fangkong.supervision.video import service as video
from fangkong.supervision.video.schemas import VideoPointCreate
from harness.registry import BadInput, District, Domain, Ids, Seeded, register

API = "/api/v1/supervision"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _code(district: District) -> str:
    body = f"91{district.code}MA1X2Y3W4"[:17]
    return body + uscc.calc_check_digit(body)


def _results(deadline_days: int) -> list[dict[str, Any]]:
    deadline = (clock.local_today() + timedelta(days=deadline_days)).isoformat()
    first = {"aspect": Aspect.GATE.value, "result": "problem", "deadline_on": deadline}
    return [first] + [{"aspect": a.value, "result": "pass"} for a in list(Aspect)[1:]]


def seed(session, settings, district: District) -> Seeded:
    actor = Principal(id=None, username="probe-sup", role="district_officer",
                      region_code=district.code)  # fmt: skip
    company_name, community_name = f"{district.tag}物业", f"{district.tag}花园"
    company = companies.create_company(session, actor=actor, settings=settings, data=CompanyCreate(
        name=company_name, credit_code=_code(district), region_code=district.code))  # fmt: skip
    community = companies.create_community(session, actor=actor, data=CommunityCreate(
        name=community_name, region_code=district.community, company_id=company.id))  # fmt: skip
    inspection = inspections.record_inspection(session, actor=actor, data=InspectionCreate.model_validate(
        {"community_id": community.id, "results": _results(3), "note": f"{district.tag}督导"}))  # fmt: skip
    problem = inspections.inspection_out(session, inspection).findings[0]
    photo = photos.add_photo(session, actor=actor, settings=settings,
                             inspection_id=inspection.id, data=PNG)  # fmt: skip
    point = video.create_point(session, actor=actor, data=VideoPointCreate(
        name=f"{district.tag}东门", community_id=community.id))  # fmt: skip
    ids = {"company": str(company.id), "community": str(community.id),
           "inspection": str(inspection.id), "problem": str(problem.id),
           "video_point": str(point.id), "photo": str(photo.id)}  # fmt: skip
    return Seeded(ids=ids, markers=(company_name, community_name, f"{district.tag}东门",
                                    f"{district.tag}督导"))  # fmt: skip


def _communities_into(ids: Ids) -> dict[str, Any]:
    content = f"名称,区划代码\n探针小区,{ids['region']}\n"
    return {"files": {"file": ("c.csv", content.encode(), "text/csv")}}


def _points_into(ids: Ids) -> dict[str, Any]:
    content = f"名称,小区编号,状态\n探针点位,{ids['community']},在线\n"
    return {"files": {"file": ("p.csv", content.encode(), "text/csv")}}


def _unknown_column_file(ids: Ids) -> dict[str, tuple[str, bytes, str]]:
    return {"file": ("c.csv", "名字,区划代码\n小区,1\n".encode(), "text/csv")}


def _text_as_photo(ids: Ids) -> dict[str, tuple[str, bytes, str]]:
    return {"file": ("photo.jpg", b"not an image at all", "image/jpeg")}


def _photo_into(ids: Ids) -> dict[str, Any]:
    return {"files": {"file": ("p.png", PNG, "image/png")}}


BAD_INPUTS = (
    BadInput("an inspection of an unknown community", "post", f"{API}/inspections", 422,
             "supervision.unknown_community",
             json={"community_id": 2**31 - 1, "results": _results(1)}),
    BadInput("a rectification deadline in the past", "post", f"{API}/inspections", 422,
             "supervision.deadline_in_past",
             json={"community_id": "{community:int}", "results": _results(-1)}),
    BadInput("an inspection missing an aspect", "post", f"{API}/inspections", 422,
             "supervision.incomplete_aspects",
             json={"community_id": "{community:int}", "results": _results(1)[:5]}),
    BadInput("a credit code with a wrong check character", "post", f"{API}/companies", 422,
             "supervision.invalid_credit_code",
             json={"name": "坏代码", "credit_code": "91230102MA1B2C3D4X", "region_code": "230102"}),
    BadInput("a community at street level", "post", f"{API}/communities", 422,
             "supervision.region_not_community",
             json={"name": "街道小区", "region_code": "230102001"}),
    BadInput("a report period ending before it starts", "get", f"{API}/report", 422,
             "supervision.invalid_period", params={"start": "2024-05-02", "end": "2024-05-01"}),
    BadInput("a video point status no ledger has", "post", f"{API}/video-points", 422,
             "request.invalid",
             json={"name": "坏状态", "community_id": "{community:int}", "status": "smoking"}),
    BadInput("a community import file with an unknown column", "post",
             f"{API}/communities/import", 422, "import.unknown_columns",
             files=_unknown_column_file),
    BadInput("a text file as an inspection photo", "post",
             f"{API}/inspections/{{inspection}}/photos", 422, "supervision.photo_type",
             files=_text_as_photo),
)  # fmt: skip


register(
    Domain(
        name="supervision",
        prefixes=(API,),
        seed=seed,
        order=60,
        id_names={
            "company_id": "company",
            "community_id": "community",
            "inspection_id": "inspection",
            "finding_id": "problem",
            "point_id": "video_point",
            "photo_id": "photo",
        },
        requests={
            f"POST {API}/communities/import": _communities_into,
            f"POST {API}/video-points/import": _points_into,
            f"POST {API}/inspections/{{inspection_id}}/photos": _photo_into,
        },
        unscoped={f"GET {API}/communities/import-template": "a blank template"},
        bad_inputs=BAD_INPUTS,
    )
)
