"""The intake part of arrivals in the generic harness (``tests/harness``): per district a
resident with a self-reported trip from a high-risk origin, a checkpoint, and an unmatched
pushed report; the id kinds of the routes, the requests the probe cannot build (a journey, a
pushed list naming the other district's resident), and the bad inputs of issue 8 (an unknown
origin, dates in the wrong order, a person outside the jurisdiction, a list with broken rows).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from factories import resident_id
from fangkong.arrivals.intake import service
from fangkong.arrivals.intake.schemas import SelfReport
from fangkong.core import clock
from fangkong.core.principal import Principal
from fangkong.models.arrivals import ArrivalReport, Checkpoint
from fangkong.people import service as people
from fangkong.people.protect import Protector
from fangkong.people.schemas import PersonCreate
from harness.registry import BadInput, District, Domain, Ids, Seeded, register

ARRIVALS, TRIPS, CHECKPOINTS = "/api/v1/arrivals", "/api/v1/trips", "/api/v1/checkpoints"
ME = "/api/v1/me/arrivals"
HEADER = "身份证号,来源省,来源市,来源区县,出发日期,抵达时间\n"


def _journey(**extra: Any) -> dict[str, Any]:
    at = (clock.now() - timedelta(hours=2)).isoformat()
    return {"origin_province": "北京市", "origin_city": "北京市", "origin_district": "朝阳区",
            "arrived_at": at, "transport": "train"} | extra  # fmt: skip


def seed(session, settings, district: District) -> Seeded:
    actor = Principal(id=None, username="probe-intake", role="district_officer",
                      region_code=district.code)  # fmt: skip
    number = resident_id(8500 + int(district.code) % 1000, region=district.code)
    name = f"{district.tag}抵返居民"
    person, _ = people.create_person(
        session, actor=actor, protector=Protector(settings.data_key_bytes),
        data=PersonCreate(name=name, id_number=number, grid_code=district.grid),
    )  # fmt: skip
    report = service.self_report(session, person_id=person.id,
                                 data=SelfReport.model_validate(_journey(
                                     transport_no=f"K{district.code}",
                                     origin_area=f"{district.tag}望京街道")))  # fmt: skip
    checkpoint = Checkpoint(name=f"{district.tag}高速卡口", kind="highway_exit",
                            region_code=district.code)  # fmt: skip
    unmatched = ArrivalReport(channel="pushed", name=f"{district.tag}未匹配", origin_province="北京市",
                              transport_no=f"T{district.code}",
                              origin_city="北京市", origin_district="朝阳区", origin_code="110105",
                              arrived_at=report.arrived_at, region_code=district.code)  # fmt: skip
    session.add_all([checkpoint, unmatched])
    session.flush()
    return Seeded(
        ids={"trip": str(report.trip_id), "arrival_report": str(unmatched.id),
             "checkpoint": str(checkpoint.id), "arrival_person": str(person.id),
             "arrival_id_number": number, "checkpoint_name": checkpoint.name,
             "checkpoint_region": district.code},
        markers=(f"{district.tag}高速卡口", f"K{district.code}", f"T{district.code}",
                 f"{district.tag}望京街道"),
    )  # fmt: skip


def _csv(*rows: str) -> bytes:
    return (HEADER + "".join(f"{row}\n" for row in rows)).encode()


def _when(hours_ago: float = 2) -> str:
    return (
        (clock.now() - timedelta(hours=hours_ago))
        .astimezone(clock.LOCAL_TZ)
        .strftime("%Y-%m-%d %H:%M")
    )


def _officer_report(ids: Ids) -> dict[str, Any]:
    return {"json": _journey(person_id=int(ids["arrival_person"]))}


def _scan(ids: Ids) -> dict[str, Any]:
    return {
        "json": _journey(checkpoint_id=int(ids["checkpoint"]), id_number=ids["arrival_id_number"])
    }


def _import(ids: Ids) -> dict[str, Any]:
    row = f"{ids['arrival_id_number']},北京市,北京市,朝阳区,,{_when()}"
    return {"files": {"file": ("push.csv", _csv(row), "text/csv")}}


def _new_checkpoint(ids: Ids) -> dict[str, Any]:
    return {"json": {"name": "探针卡口", "kind": "airport", "region_code": ids["region"]}}


def _file(*rows: str) -> Any:
    return lambda ids: {"file": ("push.csv", _csv(*rows), "text/csv")}


BAD_INPUTS = (
    BadInput("a report from an unknown origin", "post", ARRIVALS, 422, "arrival.unknown_origin",
             json=_journey(person_id="{arrival_person:int}", origin_province="火星省",
                           origin_district="某区")),
    BadInput("a report departing after it arrived", "post", ARRIVALS, 422, "arrival.dates_order",
             json=_journey(person_id="{arrival_person:int}", departed_on="2999-01-01")),
    BadInput("a report arriving in the future", "post", ARRIVALS, 422,
             "arrival.arrived_in_future",
             json=_journey(person_id="{arrival_person:int}", arrived_at="2999-01-01T08:00:00+08:00")),
    BadInput("a report for a person outside the jurisdiction (or nobody)", "post", ARRIVALS, 404,
             "arrival.person_not_found", json=_journey(person_id=99999999)),
    BadInput("a report naming nobody", "post", ARRIVALS, 422, "arrival.person_required",
             json=_journey()),
    BadInput("a pushed row from an unknown origin", "post", ARRIVALS + "/import", 200,
             "arrival.unknown_origin", files=_file(f"{resident_id(8601)},火星省,火星市,某区,,{_when()}"),
             line=True),
    BadInput("a pushed row departing after it arrived", "post", ARRIVALS + "/import", 200,
             "arrival.dates_order",
             files=_file(f"{resident_id(8602)},北京市,北京市,朝阳区,2999-01-01,{_when()}"),
             line=True),
    BadInput("a pushed row with a broken ID number", "post", ARRIVALS + "/import", 200,
             "arrival.bad_id_number", files=_file(f"12345,北京市,北京市,朝阳区,,{_when()}"),
             line=True),
    BadInput("a pushed list with unknown columns", "post", ARRIVALS + "/import", 422,
             "import.unknown_columns",
             files=lambda ids: {"file": ("p.csv", b"foo,bar\n1,2\n", "text/csv")}),
    BadInput("a pushed list of a header only", "post", ARRIVALS + "/import", 422,
             "arrival.list_empty", files=_file()),
    BadInput("a checkpoint in a region outside the jurisdiction", "post", CHECKPOINTS, 422,
             "arrival.checkpoint_region_invalid",
             json={"name": "坏输入卡口", "kind": "airport", "region_code": "230103"}),
    BadInput("a checkpoint of an unknown kind", "post", CHECKPOINTS, 422, "request.invalid",
             json={"name": "坏输入卡口", "kind": "harbour", "region_code": "{region}"}),
    BadInput("a checkpoint of a name already taken", "post", CHECKPOINTS, 409,
             "arrival.checkpoint_name_taken",
             json={"name": "{checkpoint_name}", "kind": "airport",
                   "region_code": "{checkpoint_region}"}),
    BadInput("a reclassification to an unknown origin", "post", TRIPS + "/{trip}/reclassify", 422,
             "arrival.unknown_origin", json={"origin_province": "火星", "origin_district": "某"}),
    BadInput("staff who is no venue operator", "post", CHECKPOINTS + "/{checkpoint}/staff", 422,
             "arrival.not_an_operator", json={"user_id": "{user:int}"}),
    BadInput("a trip list of an unknown grade", "get", TRIPS, 422, "request.invalid",
             params={"grade": "extreme"}),
)  # fmt: skip

ME_ONLY = "a citizen's own arrival reports: a staff token gets 401, no district's records"

DOMAIN = register(
    Domain(
        name="arrivals.intake",
        prefixes=(ARRIVALS, TRIPS, CHECKPOINTS, ME),
        seed=seed,
        order=72,
        id_names={
            "trip_id": "trip",
            "report_id": "arrival_report",
            "checkpoint_id": "checkpoint",
            "person_id": "person",
            "user_id": "user",
        },
        requests={
            f"POST {ARRIVALS}": _officer_report,
            f"POST {ARRIVALS}/checkpoint": _scan,
            f"POST {ARRIVALS}/import": _import,
            f"POST {CHECKPOINTS}": _new_checkpoint,
        },
        unscoped={
            f"GET {ME}": ME_ONLY,
            f"POST {ME}": ME_ONLY,
            f"GET {ARRIVALS}/import/template": "a blank file of column headers and one example "
            "row: reads no records",
        },
        bad_inputs=BAD_INPUTS,
    )
)
