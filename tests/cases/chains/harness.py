"""The ``cases.chains`` part in the generic harness: per district two cases of its own
(through the registry's service) and an infector link between them; the link id kind, the
link body naming the other district's cases, and the bad inputs of the chains (a self link,
a duplicate link)."""

from __future__ import annotations

from typing import Any

from cases.registry.harness import actor_of, make_case, make_person
from fangkong.cases.chains import service
from fangkong.cases.chains.schemas import LinkCreate, Via
from harness.registry import BadInput, District, Domain, Ids, Seeded, register

CHAINS = "/api/v1/chains"


def seed(session, settings, district: District) -> Seeded:
    infector = make_case(session, district,
                         make_person(session, settings, district, 9600, f"{district.tag}传染源"))  # fmt: skip
    infectee = make_case(session, district,
                         make_person(session, settings, district, 9700, f"{district.tag}续发"),
                         kind="asymptomatic")  # fmt: skip
    data = LinkCreate(infector_id=infector.id, infectee_id=infectee.id, via=Via.HOUSEHOLD)
    link = service.add_link(session, actor=actor_of(district), data=data)
    ids = {"link": str(link.id), "infector": str(infector.id), "infectee": str(infectee.id)}
    return Seeded(ids=ids, markers=(infector.case_no, infectee.case_no))


def _new_link(ids: Ids) -> dict[str, Any]:
    return {"json": {"infector_id": int(ids["infectee"]), "infectee_id": int(ids["infector"]),
                     "via": "other"}}  # fmt: skip


BAD_INPUTS = (
    BadInput("a case linked to itself", "post", CHAINS + "/links", 422, "chain.self_link",
             json={"infector_id": "{infector:int}", "infectee_id": "{infector:int}",
                   "via": "household"}),
    BadInput("a link made twice", "post", CHAINS + "/links", 409, "chain.duplicate_link",
             json={"infector_id": "{infector:int}", "infectee_id": "{infectee:int}",
                   "via": "household"}),
    BadInput("a link that closes a cycle", "post", CHAINS + "/links", 422, "chain.cycle",
             json={"infector_id": "{infectee:int}", "infectee_id": "{infector:int}",
                   "via": "household"}),
)  # fmt: skip


DOMAIN = register(
    Domain(
        name="cases.chains",
        prefixes=(CHAINS,),
        seed=seed,
        order=81,
        id_names={"link_id": "link"},
        requests={f"POST {CHAINS}/links": _new_link},
        bad_inputs=BAD_INPUTS,
    )
)
