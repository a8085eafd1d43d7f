"""Care in the generic harness: per district a controlled zone over its second grid with a
resident and their food request, a volunteer, a paired elderly resident with a one-to-one
request, and a responsibility team with a visit and a hazard; the bad inputs of issue 11
(parts 6 and 7)."""

from __future__ import annotations

from typing import Any

from factories import resident_id
from fangkong.arrivals.zones import service as zones
from fangkong.arrivals.zones.schemas import ZoneCreate
from fangkong.care.kinds import RequestKind
from fangkong.care.requests import service as requests
from fangkong.care.requests.schemas import RequestCreate
from fangkong.care.teams import service as teams
from fangkong.care.teams.schemas import HazardCreate, TeamCreate, VisitCreate
from fangkong.care.volunteers import service as volunteers
from fangkong.care.volunteers.schemas import PairingCreate, VolunteerCreate
from fangkong.core import clock
from fangkong.core.principal import Principal
from fangkong.people import service as people
from fangkong.people.protect import Protector
from fangkong.people.schemas import PersonCreate
from harness.registry import BadInput, District, Domain, Ids, Seeded, register

CARE = "/api/v1/care"


def _person(session, settings, actor, district: District, n: int, grid: str, **flags: Any):
    number = resident_id(12600 + n * 10 + int(district.code) % 10, region=district.code)
    data = PersonCreate(name=f"{district.tag}民生{n}", id_number=number, grid_code=grid, **flags)
    person, _ = people.create_person(
        session, actor=actor, protector=Protector(settings.data_key_bytes), data=data
    )
    return person


def seed(session, settings, district: District) -> Seeded:
    actor = Principal(id=None, username="probe-care", role="district_officer",
                      region_code=district.code)  # fmt: skip
    resident = _person(session, settings, actor, district, 1, district.grid_2)
    zones.declare(session, actor=actor, data=ZoneCreate(
        name=f"{district.tag}民生管控区", kind="controlled", region_code=district.grid_2))  # fmt: skip
    text = f"{district.tag}需要米面"
    request = requests.ask(session, actor=actor, settings=settings, data=RequestCreate(
        person_id=resident.id, kind=RequestKind.FOOD, text=text))  # fmt: skip
    helper = _person(session, settings, actor, district, 2, district.grid)
    volunteer = volunteers.register_volunteer(session, actor=actor, data=VolunteerCreate(
        person_id=helper.id, skills=["supply_delivery"], areas=[district.community]))  # fmt: skip
    elder = _person(session, settings, actor, district, 3, district.grid, elderly_alone=True)
    pairing = volunteers.pair(session, actor=actor, data=PairingCreate(
        person_id=elder.id, volunteer_id=volunteer.id))  # fmt: skip
    team = teams.create_team(session, actor=actor, data=TeamCreate(
        name=f"{district.tag}包保组", region_code=district.street, leader=f"{district.tag}组长",
        communities=[district.community], duties=f"{district.tag}职责"))  # fmt: skip
    today = clock.local_today()
    teams.record_visit(session, actor=actor, team_id=team.id, data=VisitCreate(
        community_code=district.community, visited_on=today, notes=f"{district.tag}走访"))  # fmt: skip
    hazard = teams.record_hazard(session, actor=actor, team_id=team.id, data=HazardCreate(
        community_code=district.community, description=f"{district.tag}隐患", found_on=today))  # fmt: skip
    return Seeded(
        ids={"care_request": str(request.id), "volunteer": str(volunteer.id),
             "pairing": str(pairing.id), "care_team": str(team.id), "hazard": str(hazard.id),
             "care_resident": str(resident.id), "care_elder": str(elder.id),
             "care_community": district.community},
        markers=(text, f"{district.tag}包保组", f"{district.tag}隐患", f"{district.tag}走访"),
    )  # fmt: skip


def _ask_for(ids: Ids) -> dict[str, Any]:
    return {"json": {"person_id": int(ids["care_resident"]), "kind": "medical", "text": "探针"}}


def _volunteer_of(ids: Ids) -> dict[str, Any]:
    body = {"person_id": int(ids["care_resident"]), "skills": ["legal_aid"],
            "areas": [ids["region"]]}  # fmt: skip
    return {"json": body}


def _pair(ids: Ids) -> dict[str, Any]:
    return {"json": {"person_id": int(ids["care_elder"]), "volunteer_id": int(ids["volunteer"])}}


def _team_in(ids: Ids) -> dict[str, Any]:
    region = ids["region"]
    body = {"name": "探针组", "region_code": region[:9], "leader": "探针",
            "communities": [region[:12]]}  # fmt: skip
    return {"json": body}


def _visit(ids: Ids) -> dict[str, Any]:
    return {"json": {"community_code": ids["region"][:12], "visited_on": "2022-12-01"}}


def _hazard(ids: Ids) -> dict[str, Any]:
    body = {"community_code": ids["region"][:12], "description": "探针", "found_on": "2022-12-01"}
    return {"json": body}


def _import_into(ids: Ids) -> dict[str, Any]:
    content = f"身份证号,技能,服务区域\n230102196001010011,法律援助,{ids['region']}\n"
    return {"files": {"file": ("volunteers.csv", content.encode(), "text/csv")}}


def _needs_of(ids: Ids) -> dict[str, Any]:
    content = f"人员编号,卧床,透析,备注\n{ids['care_resident']},是,否,探针\n"
    return {"files": {"file": ("needs.csv", content.encode(), "text/csv")}}


def _needs_without_resident(ids: Ids) -> dict[str, tuple[str, bytes, str]]:
    return {"file": ("needs.csv", "卧床,透析,备注\n是,否,\n".encode(), "text/csv")}


def _unknown_column_file(ids: Ids) -> dict[str, tuple[str, bytes, str]]:
    return {"file": ("volunteers.csv", "姓名,技能\n某,法律援助\n".encode(), "text/csv")}


REQUESTS = f"{CARE}/requests"
BAD_INPUTS = (
    BadInput("a care request for an unknown person", "post", REQUESTS, 422, "care.unknown_person",
             json={"person_id": 99999999, "kind": "medical", "text": "急"}),
    BadInput("a care request with a deadline in the past", "post", REQUESTS, 422,
             "care.deadline_in_past", json={"person_id": "{care_resident:int}", "kind": "food",
                                            "text": "米", "due_at": "2022-01-01T00:00:00+08:00"}),
    BadInput("a food request from outside any sealed or controlled zone", "post", REQUESTS, 422,
             "care.not_in_zone", json={"person_id": "{care_elder:int}", "kind": "food",
                                       "text": "米"}),
    BadInput("a care request of an unknown kind", "post", REQUESTS, 422, "request.invalid",
             json={"person_id": "{care_resident:int}", "kind": "taxi", "text": "x"}),
    BadInput("a one-to-one service for an unpaired resident", "post", REQUESTS, 422,
             "care.not_paired", json={"person_id": "{care_resident:int}", "kind": "legal_aid",
                                      "text": "咨询"}),
    BadInput("a second active pairing", "post", f"{CARE}/pairings", 409, "care.already_paired",
             json={"person_id": "{care_elder:int}", "volunteer_id": "{volunteer:int}"}),
    BadInput("a pairing of a resident who is not vulnerable", "post", f"{CARE}/pairings", 422,
             "care.not_vulnerable",
             json={"person_id": "{care_resident:int}", "volunteer_id": "{volunteer:int}"}),
    BadInput("a volunteer with a skill outside the six services", "post", f"{CARE}/volunteers",
             422, "care.unknown_skill", json={"person_id": "{care_resident:int}",
                                              "skills": ["food"], "areas": ["{region}"]}),
    BadInput("a hazard found in the future", "post", f"{CARE}/teams/{{care_team}}/hazards", 422,
             "care.date_in_future", json={"community_code": "{care_community}", "description": "x",
                                          "found_on": "2999-01-01"}),
    BadInput("a volunteer import file with an unknown column", "post",
             f"{CARE}/volunteers/import", 422, "import.unknown_columns",
             files=_unknown_column_file),
    BadInput("a care-needs import file naming residents by neither ID number nor person id",
             "post", f"{CARE}/needs/import", 422, "import.missing_columns",
             files=_needs_without_resident),
)  # fmt: skip


register(
    Domain(
        name="care",
        prefixes=(CARE,),
        seed=seed,
        order=75,
        id_names={
            "request_id": "care_request",
            "volunteer_id": "volunteer",
            "pairing_id": "pairing",
            "team_id": "care_team",
            "hazard_id": "hazard",
            "person_id": "person",
        },
        requests={
            f"POST {REQUESTS}": _ask_for,
            f"POST {CARE}/volunteers": _volunteer_of,
            f"POST {CARE}/pairings": _pair,
            f"POST {CARE}/teams": _team_in,
            f"POST {CARE}/teams/{{team_id}}/visits": _visit,
            f"POST {CARE}/teams/{{team_id}}/hazards": _hazard,
            f"POST {CARE}/volunteers/import": _import_into,
            f"POST {CARE}/needs/import": _needs_of,
        },
        unscoped={
            f"GET {CARE}/volunteers/import-template": "a blank template",
            f"GET {CARE}/needs/import-template": "a blank template",
        },
        bad_inputs=BAD_INPUTS,
    )
)
