"""The health code in the generic harness: per district a person with a fact in force, a pending
manual change and an open appeal; the bad inputs of the health-code routes.

Only this domain's sub-paths of ``/api/v1/health-code`` are registered: the citizens domain owns
``POST /api/v1/health-code/verify``.
"""

from __future__ import annotations

from factories import resident_id
from fangkong.core.principal import Principal
from fangkong.healthcode import service
from fangkong.healthcode.schemas import ChangeIn, FactIn
from fangkong.people import service as people
from fangkong.people.protect import Protector
from fangkong.people.schemas import PersonCreate
from fangkong.policy.types import Colour, Reason
from harness.registry import BadInput, District, Domain, Seeded, register

API = "/api/v1/health-code"


def seed(session, settings, district: District) -> Seeded:
    actor = Principal(
        id=None,
        username="probe-hc",
        role="district_officer",
        region_code=district.code,
        permissions=frozenset({"health_code.change"}),
    )
    protector = Protector(settings.data_key_bytes)
    number = resident_id(int(district.code) % 1000 + 500, region=district.code)
    data = PersonCreate(name=f"{district.tag}码", id_number=number, grid_code=district.grid)
    person, _ = people.create_person(session, actor=actor, protector=protector, data=data)
    fact = service.add_fact(
        session,
        actor=actor,
        settings=settings,
        person_id=person.id,
        data=FactIn(reason=Reason.CONTACT_SECONDARY, ref=f"{district.tag}-接触"),
    )
    change = service.propose(
        session,
        actor=actor,
        data=ChangeIn(person_id=person.id, colour=Colour.GREEN, reason=f"{district.tag}改码"),
    )
    appeal = service.file_appeal(session, person.id, f"{district.tag}申诉")
    return Seeded(
        ids={
            "hc_person": str(person.id),
            "hc_fact": str(fact.id),
            "hc_change": str(change.id),
            "hc_appeal": str(appeal.id),
        },
        markers=(f"{district.tag}-接触", f"{district.tag}改码", f"{district.tag}申诉"),
    )


BAD_INPUTS = (
    BadInput("a fact ending in the past", "post", API + "/people/{hc_person}/facts", 422,
             "health_code.until_in_past",
             json={"reason": "zone.sealed", "ref": "x", "until": "2020-01-01T00:00:00Z"}),
    BadInput("an unknown reason", "post", API + "/people/{hc_person}/facts", 422,
             "request.invalid", json={"reason": "no.such_reason", "ref": "x"}),
    BadInput("a negative test sampled in the future", "post", API + "/negative-tests", 422,
             "health_code.sampled_in_future",
             json={"person_id": "{hc_person:int}", "sampled_at": "2999-01-01T00:00:00Z"}),
    BadInput("a change with an unknown colour", "post", API + "/change-requests", 422,
             "request.invalid",
             json={"person_id": "{hc_person:int}", "colour": "blue", "reason": "x"}),
    BadInput("a change ending in the past", "post", API + "/change-requests", 422,
             "health_code.until_in_past",
             json={"person_id": "{hc_person:int}", "colour": "green", "reason": "x",
                   "until": "2020-01-01T00:00:00Z"}),
    BadInput("an upheld appeal without a remedy", "post", API + "/appeals/{hc_appeal}/decide",
             422, "health_code.appeal_remedy", json={"decision": "upheld", "text": "x"}),
    BadInput("ending a fact twice is refused only once it ended; an unknown fact", "post",
             API + "/people/{hc_person}/facts/99999999/end", 404,
             "health_code.fact_not_found"),
)  # fmt: skip


register(
    Domain(
        name="healthcode",
        prefixes=(
            API + "/people",
            API + "/codes",
            API + "/counts",
            API + "/negative-tests",
            API + "/change-requests",
            API + "/appeals",
        ),
        seed=seed,
        order=40,
        id_names={
            "fact_id": "hc_fact",
            "change_id": "hc_change",
            "appeal_id": "hc_appeal",
        },
        bad_inputs=BAD_INPUTS,
    )
)
