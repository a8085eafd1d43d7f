"""The ``cases.registry`` part in the generic harness (``tests/harness``): per district a
resident with a confirmed case in a cluster, through the registry's own service; the id kinds
of the routes, the bodies the probe cannot build (a case, a cluster naming the other
district's person or region), and the bad inputs of issue 9 (a case for an unknown person,
onset after confirmation, a placement the edition does not list, a second conversion)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from factories import resident_id
from fangkong.cases.registry import clusters, service
from fangkong.cases.registry.schemas import CaseCreate, ClusterCreate, ClusterSet
from fangkong.core import clock
from fangkong.core.principal import Principal
from fangkong.people import service as people
from fangkong.people.protect import Protector
from fangkong.people.schemas import PersonCreate
from harness.registry import BadInput, District, Domain, Ids, Seeded, register

CASES = "/api/v1/cases"
CLUSTERS = "/api/v1/clusters"


def actor_of(district: District) -> Principal:
    return Principal(id=None, username="probe-cases", role="district_officer",
                     region_code=district.code,
                     permissions=frozenset({"cases.read", "cases.manage"}))  # fmt: skip


def make_person(session, settings, district: District, seed: int, name: str) -> int:
    number = resident_id(seed + int(district.code) % 1000, region=district.code)
    person, _ = people.create_person(
        session, actor=actor_of(district), protector=Protector(settings.data_key_bytes),
        data=PersonCreate(name=name, id_number=number, grid_code=district.grid),
    )  # fmt: skip
    return person.id


def make_case(session, district: District, person_id: int, kind: str = "confirmed") -> Any:
    sampled = clock.now() - timedelta(days=1)
    data = CaseCreate(person_id=person_id, kind=kind, sampled_at=sampled,  # type: ignore[arg-type]
                      onset_on=sampled.astimezone(clock.LOCAL_TZ).date())  # fmt: skip
    return service.create_case(session, actor=actor_of(district), data=data)


def seed(session, settings, district: District) -> Seeded:
    actor = actor_of(district)
    person = make_person(session, settings, district, 9400, f"{district.tag}病例居民")
    case = make_case(session, district, person)
    name = f"{district.tag}聚集性疫情"
    cluster = clusters.create(session, actor=actor, data=ClusterCreate(name=name))
    clusters.set_cluster(session, actor=actor, case_id=case.id,
                         data=ClusterSet(cluster_id=cluster.id))  # fmt: skip
    # ``confirmed_case``: this seed's own (other domains' seeds also name a "case")
    ids = {"case": str(case.id), "confirmed_case": str(case.id), "cluster": str(cluster.id),
           "person": str(person)}  # fmt: skip
    return Seeded(ids=ids, markers=(name, case.case_no))


def _new_case(ids: Ids) -> dict[str, Any]:
    return {"json": {"person_id": int(ids["person"]), "kind": "confirmed",
                     "sampled_at": "2022-11-01T08:00:00+08:00"}}  # fmt: skip


def _new_cluster(ids: Ids) -> dict[str, Any]:
    return {"json": {"name": "探针聚集", "region_code": ids["region"]}}


def _line_list(ids: Ids) -> dict[str, Any]:
    return {
        "json": {"text": "身份证号\t类型\t采样时间\n230103199001010011\t确诊\t2022-11-01 08:00"}
    }


BAD_INPUTS = (
    BadInput("a case for an unknown person", "post", CASES, 422, "case.unknown_person",
             json={"person_id": 99999999, "kind": "confirmed",
                   "sampled_at": "2022-11-01T08:00:00+08:00"}),
    BadInput("a case with onset after confirmation", "post", CASES, 422,
             "case.onset_after_confirmation",
             json={"person_id": "{person:int}", "kind": "confirmed",
                   "sampled_at": "2022-11-01T08:00:00+08:00", "onset_on": "2022-11-03",
                   "confirmed_at": "2022-11-02T08:00:00+08:00"}),
    BadInput("a case with onset in the future", "post", CASES, 422, "case.in_future",
             json={"person_id": "{person:int}", "kind": "confirmed",
                   "sampled_at": "2022-11-01T08:00:00+08:00", "onset_on": "2999-01-01"}),
    BadInput("a transfer to a placement the edition does not list", "post",
             CASES + "/{confirmed_case}/transfer", 422, "case.bad_placement",
             json={"placement": "home", "hospital": "居家"}),
    BadInput("a confirmed case converted again", "post", CASES + "/{confirmed_case}/convert", 409,
             "case.already_confirmed", json={}),
    BadInput("a line list with an unknown person", "post", CASES + "/line-list", 200,
             "case.unknown_person", line=True,
             json={"text": "身份证号\t类型\t采样时间\n230102199001010011\t确诊\t2022-11-01 08:00"}),
    BadInput("counts of a date that is not one", "get", CASES + "/counts", 422,
             "request.invalid", params={"date": "2022-13-01"}),
)  # fmt: skip


DOMAIN = register(
    Domain(
        name="cases.registry",
        prefixes=(CASES, CLUSTERS),
        seed=seed,
        order=80,
        id_names={"case_id": "case", "cluster_id": "cluster", "person_id": "person"},
        requests={
            f"POST {CASES}": _new_case,
            f"POST {CLUSTERS}": _new_cluster,
            f"POST {CASES}/line-list": _line_list,
        },
        bad_inputs=BAD_INPUTS,
    )
)
