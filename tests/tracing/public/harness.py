"""The ``tracing.public`` part in the generic harness (``tests/harness``): per district a case
(``trajectories.harness.case_world``) whose trajectory is published, through this package's
own service, and a second publication withdrawn; the id kinds of the routes, the public and
citizen routes the probe does not apply to, and the bad inputs of issue 9 (a picked stop at
the home, a label naming a phone, an unknown stop, a second withdrawal)."""

from __future__ import annotations

from fangkong.models.tracing import InterviewEntry
from fangkong.tracing.public import service
from fangkong.tracing.public.schemas import PublicationIn
from harness.registry import BadInput, District, Domain, Seeded, register
from outbreak_world import at
from tracing.trajectories.harness import actor_of, case_world

PUBLICATIONS = "/api/v1/publications"
PUBLIC = "/api/v1/public/trajectories"
SELF_CHECK = "/api/v1/me/self-check"


def seed(session, settings, district: District) -> Seeded:
    person, case = case_world(session, settings, district, 2, "公布")
    session.add(InterviewEntry(case_id=case.id, place=person.address or "", start_at=at(2, 20),
                               end_at=at(2, 21), region_code=case.region_code))  # fmt: skip
    session.flush()
    actor = actor_of(district)
    data = PublicationIn(case_id=case.id)
    published = service.publish(session, actor=actor, data=data)
    withdrawn = service.publish(session, actor=actor, data=data)
    service.withdraw(session, actor=actor, publication_id=withdrawn.id)
    home = session.query(InterviewEntry).filter_by(case_id=case.id).one()
    ids = {"publication": str(published.id), "withdrawn_publication": str(withdrawn.id),
           "public_case": str(case.id), "public_home_stop": f"interview:{home.id}"}  # fmt: skip
    return Seeded(ids=ids, markers=(f"{district.tag}公布商场",))


def _publish(**extra: object) -> dict[str, object]:
    return {"case_id": "{public_case:int}"} | extra


BAD_INPUTS = (
    BadInput("a picked stop at the case's home", "post", PUBLICATIONS, 422,
             "publication.home_stop", json=_publish(refs=["{public_home_stop}"])),
    BadInput("a stop not in the case's trajectory", "post", PUBLICATIONS, 422,
             "publication.unknown_stop", json=_publish(refs=["scan:99999999"])),
    BadInput("a label naming a phone", "post", PUBLICATIONS, 422, "publication.personal_data",
             json=_publish(label="病例13700001234")),
    BadInput("a publication of a case outside the jurisdiction", "post", PUBLICATIONS, 404,
             "trajectory.case_not_found", json={"case_id": 99999999}),
    BadInput("a publication withdrawn twice", "post",
             PUBLICATIONS + "/{withdrawn_publication}/withdraw", 409,
             "publication.already_withdrawn"),
    BadInput("a public list of too many days", "get", PUBLIC, 422, "request.invalid",
             params={"days": "9999"}),
)  # fmt: skip

DOMAIN = register(
    Domain(
        name="tracing.public",
        prefixes=(PUBLICATIONS, PUBLIC, SELF_CHECK),
        seed=seed,
        order=87,
        id_names={"publication_id": "publication"},
        unscoped={
            f"GET {PUBLIC}": "public by design: every district's published stops, which name no "
            "one (a label, places and times), readable without login",
            f"GET {SELF_CHECK}": "a citizen's own scans against the public stops: a staff token "
            "gets 401, no district's records",
        },
        bad_inputs=BAD_INPUTS,
    )
)
