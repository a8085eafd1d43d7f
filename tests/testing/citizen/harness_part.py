"""The citizen side of testing in the generic harness (``tests/harness``): per district a
resident with a positive antigen report (a masked name only that report shows), the routes'
id kinds, and the routes the cross-jurisdiction probe does not apply to.

``tests/testing/harness.py`` (the testing domain's) imports this module, which registers it;
the longest prefix owns a path, so these routes are this part's, not ``/api/v1/testing``'s
or ``/api/v1/me``'s.
"""

from __future__ import annotations

from datetime import timedelta

from factories import resident_id
from fangkong.core import clock
from fangkong.core.masking import mask_person_name
from fangkong.core.principal import Principal
from fangkong.people import service as people
from fangkong.people.protect import Protector
from fangkong.people.schemas import PersonCreate
from fangkong.testing.citizen import service
from harness.registry import BadInput, District, Domain, Seeded, register
from testing.citizen.helpers import PNG

REPORTS = "/api/v1/testing/antigen-reports"
ME = "the signed-in citizen's own data, under citizen auth: a staff token gets 401"


def seed(session, settings, district: District) -> Seeded:
    actor = Principal(id=None, username="probe-antigen", role="city_admin", region_code="230100")
    name = f"{district.tag[-1]}抗原者"
    number = resident_id(int(district.code) % 1000 + 900, region=district.code)
    data = PersonCreate(name=name, id_number=number, grid_code=district.grid)
    person, _ = people.create_person(
        session, actor=actor, protector=Protector(settings.data_key_bytes), data=data
    )
    report = service.report_antigen(
        session,
        person_id=person.id,
        result="positive",
        tested_at=clock.now() - timedelta(hours=1),
        photo=PNG,
    )
    return Seeded(ids={"antigen_report": str(report.id)}, markers=(mask_person_name(name),))


BAD_INPUTS = (
    BadInput("a prevalence of 1", "get", "/api/v1/testing/pool-plan", 422,
             "testing.plan.prevalence_invalid", params={"prevalence": "1", "people": "10"}),
    BadInput("a pool size of 1", "get", "/api/v1/testing/pool-plan", 422,
             "testing.plan.sizes_invalid",
             params={"prevalence": "0.01", "people": "10", "sizes": "1,10"}),
    BadInput("no people", "get", "/api/v1/testing/pool-plan", 422,
             "testing.plan.people_invalid", params={"prevalence": "0.01", "people": "0"}),
)  # fmt: skip

PART = register(
    Domain(
        name="testing.citizen",
        prefixes=(
            "/api/v1/testing/pool-plan",
            "/api/v1/testing/summary",
            REPORTS,
            "/api/v1/me/testing",
        ),
        seed=seed,
        order=75,
        id_names={"report_id": "antigen_report"},
        unscoped={
            "GET /api/v1/testing/pool-plan": "a calculation from its parameters: reads no records",
            "GET /api/v1/me/testing/results": ME,
            "GET /api/v1/me/testing/antigen": ME,
            "POST /api/v1/me/testing/antigen": ME,
        },
        volatile={
            f"GET {REPORTS}/{{report_id}}/photo": "returns the photo bytes, audited per call",
        },
        bad_inputs=BAD_INPUTS,
    )
)
