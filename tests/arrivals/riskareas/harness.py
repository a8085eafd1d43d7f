"""The national risk-area list in the generic harness (``tests/harness``).

The list is national (高/中/低风险区 of every province), holds no residents' data and is read
alike in every jurisdiction: every operation is ``unscoped``. The seed enters one row per
district through the service (a county far from both, so no other domain's answer shows it);
the bad inputs are the entries, corrections, questions and imports the routes refuse.
Changes need ``risk_areas.manage`` (city admins): those bad inputs run as one.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from fangkong.arrivals.riskareas import service
from fangkong.arrivals.riskareas.schemas import RiskAreaCreate
from fangkong.config import Settings
from fangkong.core.principal import Principal
from harness.registry import BadInput, District, Domain, Seeded, register

API = "/api/v1/risk-areas"
ITEM = API + "/{area_id}"
NATIONAL = "the national risk-area list: public, the same in every jurisdiction"
ADMIN = "city_admin"
NEW = {"province": "北京", "city": "北京", "district": "朝阳", "area": "坏输入小区", "grade": "高"}


def seed(session: Session, settings: Settings, district: District) -> Seeded:
    actor = Principal(id=None, username="probe", role=ADMIN, region_code="230100")
    data = RiskAreaCreate(province="西藏", city="阿里地区", district="噶尔县", grade="low",
                          area=f"探针{district.code}", effective_from="2022-03-01")  # fmt: skip
    row = service.create(session, actor=actor, data=data)
    return Seeded(ids={"risk_area": str(row.id)})


def _line(**change: str) -> dict[str, object]:
    return {"mode": "changes", "rows": [NEW | change]}


BAD_INPUTS = (
    BadInput("a risk area in a place that does not exist", "post", API, 422,
             "risk_area.unknown_place", json=NEW | {"province": "火星"}, role=ADMIN),
    BadInput("a risk area of an unknown grade", "post", API, 422, "risk_area.bad_grade",
             json=NEW | {"grade": "极高"}, role=ADMIN),
    BadInput("a risk area ending before it starts", "post", API, 422, "risk_area.bad_dates",
             json=NEW | {"effective_from": "2022-03-05", "effective_to": "2022-03-01"},
             role=ADMIN),
    BadInput("a risk area from a time that is no time", "post", API, 422, "risk_area.bad_time",
             json=NEW | {"effective_from": "三月三日"}, role=ADMIN),
    BadInput("a risk area without its district", "post", API, 422, "request.invalid",
             json=NEW | {"district": ""}, role=ADMIN),
    BadInput("a place listed twice", "post", API, 409, "risk_area.already_listed",
             json={"province": "西藏", "city": "阿里地区", "district": "噶尔县",
                   "area": "探针230102", "grade": "low"}, role=ADMIN),
    BadInput("correcting an area without a note", "patch", API + "/{risk_area}", 422,
             "risk_area.note_required", json={"area": "改名"}, role=ADMIN),
    BadInput("two changes at once", "patch", API + "/{risk_area}", 422, "risk_area.one_change",
             json={"area": "改名", "grade": "high", "note": "x"}, role=ADMIN),
    BadInput("a change of grade to the same grade", "patch", API + "/{risk_area}", 409,
             "risk_area.same_grade", json={"grade": "low"}, role=ADMIN),
    BadInput("an end before the start", "patch", API + "/{risk_area}", 422,
             "risk_area.bad_dates", json={"effective_to": "2022-01-01"}, role=ADMIN),
    BadInput("a risk area that does not exist", "get", API + "/2147483647", 404,
             "risk_area.not_found"),
    BadInput("a risk area id beyond the column's range", "get", API + "/9223372036854775808",
             422, "request.invalid"),
    BadInput("a question about a place that does not exist", "get", API + "/check", 422,
             "risk_area.unknown_place", params={"province": "火星", "district": "某区"}),
    BadInput("a question about a time that is no time", "get", API + "/check", 422,
             "risk_area.bad_time", params={"province": "北京", "district": "朝阳", "on": "x"}),
    BadInput("a list of a grade that does not exist", "get", API, 422, "request.invalid",
             params={"grade": "severe"}),
    BadInput("an import without rows", "post", API + "/import", 422, "request.invalid",
             json={"rows": []}, role=ADMIN),
    BadInput("an import in an unknown mode", "post", API + "/import", 422, "request.invalid",
             json={"mode": "all", "rows": [NEW]}, role=ADMIN),
    BadInput("an imported file that is not CSV, XLSX or JSON", "post", API + "/import", 422,
             "import.unreadable_file", files=lambda ids: {"file": ("l.xlsx", b"no", "x/y")},
             role=ADMIN),
    BadInput("an imported row in a place that does not exist", "post", API + "/import", 200,
             "risk_area.unknown_place", json=_line(province="火星"), role=ADMIN, line=True),
    BadInput("an imported row of an unknown grade", "post", API + "/import", 200,
             "risk_area.bad_grade", json=_line(grade="极高"), role=ADMIN, line=True),
    BadInput("an imported row ending before it starts", "post", API + "/import", 200,
             "risk_area.bad_dates",
             json=_line(effective_from="2022-03-05", effective_to="2022-03-01"),
             role=ADMIN, line=True),
)  # fmt: skip


DOMAIN = register(
    Domain(
        name="arrivals.riskareas",
        prefixes=(API,),
        seed=seed,
        order=70,
        id_names={"area_id": "risk_area"},
        unscoped={
            f"GET {API}": NATIONAL,
            f"GET {API}/counts": NATIONAL,
            f"GET {API}/check": NATIONAL,
            f"GET {API}/template.csv": "a blank file of column headers: reads no records",
            f"GET {API}/template.xlsx": "a blank file of column headers: reads no records",
            f"GET {ITEM}": NATIONAL,
            f"POST {API}": NATIONAL + " (changed by city admins only)",
            f"POST {API}/import": NATIONAL + " (changed by city admins only)",
            f"PATCH {ITEM}": NATIONAL + " (changed by city admins only)",
        },
        bad_inputs=BAD_INPUTS,
    )
)
