"""Vaccination in the generic harness: per district a vaccine product, a resident with one
dose; the bad inputs of issue 11 (a dose before birth, in the future, a second dose before
the first)."""

from __future__ import annotations

from datetime import date
from typing import Any

from factories import resident_id
from fangkong.core.principal import Principal
from fangkong.people import service as people
from fangkong.people.protect import Protector
from fangkong.people.schemas import PersonCreate
from fangkong.vaccination import service
from fangkong.vaccination.schemas import DoseIn, VaccineCreate
from harness.registry import BadInput, District, Domain, Ids, Seeded, register

API = "/api/v1/vaccination"


def seed(session, settings, district: District) -> Seeded:
    actor = Principal(id=None, username="probe", role="city_admin", region_code="230100")
    code = f"V{district.code}"
    service.create_vaccine(
        session,
        actor=actor,
        data=VaccineCreate(code=code, name=f"{district.tag}疫苗", series_doses=2),
    )
    number = resident_id(
        int(district.code) % 1000 + 4321, born=date(1987, 7, 7), region=district.code
    )
    data = PersonCreate(name=f"{district.tag}接种", id_number=number, grid_code=district.grid)
    person, _ = people.create_person(
        session, actor=actor, protector=Protector(settings.data_key_bytes), data=data
    )
    batch = f"{district.tag}批号"
    dose = DoseIn(person_id=person.id, vaccine_code=code, dose_number=1,
                  given_on=date(2021, 4, 1), site=f"{district.tag}接种点", batch=batch)  # fmt: skip
    service.record_dose(session, actor=actor, data=dose)
    return Seeded(
        ids={"vacc_person": str(person.id), "vaccine": code},
        markers=(batch, f"{district.tag}接种点", f"{district.tag}接种"),
    )


def _dose(**overrides: Any) -> dict[str, Any]:
    return {"person_id": "{vacc_person:int}", "vaccine_code": "{vaccine}", "dose_number": 2,
            "given_on": "2021-05-01", "site": "坏输入", "batch": "B1"} | overrides  # fmt: skip


def _other_dose(ids: Ids) -> dict[str, Any]:
    body = {"person_id": int(ids["vacc_person"]), "vaccine_code": ids["vaccine"],
            "dose_number": 2, "given_on": "2021-05-01", "site": "探针", "batch": "B1"}  # fmt: skip
    return {"json": body}


def _import_other(ids: Ids) -> dict[str, Any]:
    content = f"身份证号,疫苗,剂次,接种日期,接种点,批号\n110101199003078515,{ids['vaccine']},1,2021-04-01,站,B\n"
    return {"files": {"file": ("doses.csv", content.encode(), "text/csv")}}


def _unknown_column_file(ids: Ids) -> dict[str, tuple[str, bytes, str]]:
    return {"file": ("doses.csv", "身份证号,疫苗,备注\n1,2,3\n".encode(), "text/csv")}


PRODUCTS = "vaccine products: city-wide reference data without personal data"
BAD_INPUTS = (
    BadInput("a dose dated before birth", "post", API + "/doses", 422,
             "vaccination.dose_before_birth", json=_dose(given_on="1900-01-01")),
    BadInput("a dose dated in the future", "post", API + "/doses", 422,
             "vaccination.dose_in_future", json=_dose(given_on="2999-01-01")),
    BadInput("a second dose before the first", "post", API + "/doses", 422,
             "vaccination.dose_before_previous", json=_dose(given_on="2021-03-01")),
    BadInput("a third dose without the second", "post", API + "/doses", 422,
             "vaccination.previous_dose_missing", json=_dose(dose_number=3)),
    BadInput("the first dose twice", "post", API + "/doses", 409,
             "vaccination.duplicate_dose", json=_dose(dose_number=1)),
    BadInput("a dose of an unknown product", "post", API + "/doses", 422,
             "vaccination.unknown_vaccine", json=_dose(vaccine_code="NOPE")),
    BadInput("a dose number of zero", "post", API + "/doses", 422, "request.invalid",
             json=_dose(dose_number=0)),
    BadInput("a dose import with an unknown column", "post", API + "/doses/import", 422,
             "import.unknown_columns", files=_unknown_column_file),
    BadInput("an outreach list of a grid that is not a code", "get", API + "/outreach", 422,
             "request.invalid", params={"grid": "abc"}),
)  # fmt: skip

register(
    Domain(
        name="vaccination",
        prefixes=(API,),
        seed=seed,
        order=70,
        id_names={"grid": "region"},
        requests={
            f"POST {API}/doses": _other_dose,
            f"POST {API}/doses/import": _import_other,
        },
        unscoped={
            f"GET {API}/vaccines": PRODUCTS,
            f"POST {API}/vaccines": PRODUCTS,
            f"GET {API}/import-template": "a blank template",
        },
        bad_inputs=BAD_INPUTS,
    )
)
