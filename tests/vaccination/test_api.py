"""``/api/v1/vaccination``: products, recording a dose (problem+json for each bad input),
a person's record, coverage, outreach pages, the import."""

from __future__ import annotations

from datetime import date, timedelta

from fangkong.core import clock
from vaccination.conftest import API, DAOLI_GRID, make_resident, resident_with_number


def _dose(person_id: int, number: int, on: str, vaccine: str = "INACT") -> dict:
    return {"person_id": person_id, "vaccine_code": vaccine, "dose_number": number,
            "given_on": on, "site": "站A", "batch": "B1"}  # fmt: skip


def test_record_read_and_refuse(app_client, session, settings, officers):
    person = make_resident(session, settings, born=date(1990, 1, 1))
    session.commit()
    headers = officers["daoli"]
    made = app_client.post(f"{API}/doses", json=_dose(person.id, 1, "2021-04-01"), headers=headers)
    assert made.status_code == 201, made.text
    assert made.json()["vaccine_name"] == "灭活疫苗" and made.json()["region_code"] == DAOLI_GRID
    future = (clock.local_today() + timedelta(days=1)).isoformat()
    for body, code in (
        (_dose(person.id, 2, "2021-03-01"), "vaccination.dose_before_previous"),
        (_dose(person.id, 2, future), "vaccination.dose_in_future"),
        (_dose(person.id, 2, "1989-01-01"), "vaccination.dose_before_birth"),
        (_dose(person.id, 3, "2021-06-01"), "vaccination.previous_dose_missing"),
        (_dose(person.id, 2, "2021-06-01", "NOPE"), "vaccination.unknown_vaccine"),
    ):
        refused = app_client.post(f"{API}/doses", json=body, headers=headers)
        assert refused.status_code == 422, body
        assert refused.headers["content-type"].startswith("application/problem+json")
        assert refused.json()["code"] == code
    again = app_client.post(f"{API}/doses", json=_dose(person.id, 1, "2021-04-02"), headers=headers)
    assert (again.status_code, again.json()["code"]) == (409, "vaccination.duplicate_dose")
    record = app_client.get(f"{API}/people/{person.id}", headers=headers).json()
    assert [d["dose_number"] for d in record["doses"]] == [1]
    assert record["status"]["complete"] is False


def test_english_problem_detail(app_client, session, settings, officers):
    person = make_resident(session, settings, born=date(1990, 1, 1))
    session.commit()
    refused = app_client.post(
        f"{API}/doses?lang=en", json=_dose(person.id, 1, "1980-01-01"), headers=officers["daoli"]
    )
    assert refused.json()["title"] == "The dose is dated before the person's birth."


def test_coverage_and_outreach(app_client, session, settings, officers):
    vaccinated = make_resident(session, settings, born=date(1990, 1, 1))
    make_resident(session, settings, born=date(1991, 1, 1))
    make_resident(session, settings, born=date(1992, 1, 1))
    session.commit()
    headers = officers["daoli"]
    app_client.post(
        f"{API}/doses", json=_dose(vaccinated.id, 1, "2021-04-01", "ADV5"), headers=headers
    )
    coverage = app_client.get(f"{API}/coverage?on=2022-12-01", headers=headers).json()
    [adults] = coverage["cells"]
    assert (adults["band"], adults["population"], adults["complete"]) == ("18-59", 3, 1)
    first = app_client.get(
        f"{API}/outreach?grid={DAOLI_GRID}&limit=1&on=2022-12-01", headers=headers
    ).json()
    assert len(first["items"]) == 1 and first["next_cursor"]
    rest = app_client.get(
        f"{API}/outreach?grid={DAOLI_GRID}&limit=5&on=2022-12-01&cursor={first['next_cursor']}",
        headers=headers,
    ).json()
    reasons = sorted(r["reason"] for r in first["items"] + rest["items"])
    assert reasons == ["booster_due", "unvaccinated", "unvaccinated"]
    assert rest["next_cursor"] is None
    bad = app_client.get(f"{API}/outreach?grid=abc", headers=headers)
    assert bad.status_code == 422


def test_import_upload_and_dry_run(app_client, session, settings, officers):
    person, number = resident_with_number(session, settings, born=date(1990, 1, 1))
    session.commit()
    body = f"身份证号,疫苗,剂次,接种日期,接种点,批号\n{number},INACT,1,2021-04-01,站A,B1\n"
    files = {"file": ("doses.csv", body.encode(), "text/csv")}
    dry = app_client.post(
        f"{API}/doses/import?dry_run=true", files=files, headers=officers["daoli"]
    )
    assert dry.json() == {"inserted": 1, "rejected": [], "dry_run": True}
    assert (
        app_client.get(f"{API}/people/{person.id}", headers=officers["daoli"]).json()["doses"] == []
    )
    done = app_client.post(f"{API}/doses/import", files=files, headers=officers["daoli"])
    assert done.json()["inserted"] == 1
    template = app_client.get(f"{API}/import-template", headers=officers["daoli"])
    assert (
        template.text.splitlines()[0].lstrip("\ufeff") == "身份证号,疫苗,剂次,接种日期,接种点,批号"
    )


def test_vaccine_products(app_client, officers):
    listed = app_client.get(f"{API}/vaccines", headers=officers["daoli"]).json()
    assert [v["code"] for v in listed] == ["ADV5", "INACT"]
    body = {"code": "MRNA", "name": "mRNA疫苗", "series_doses": 2}
    assert (
        app_client.post(f"{API}/vaccines", json=body, headers=officers["daoli"]).status_code == 201
    )
    dup = app_client.post(f"{API}/vaccines", json=body, headers=officers["daoli"])
    assert (dup.status_code, dup.json()["code"]) == (409, "vaccination.duplicate_vaccine")
    bad = app_client.post(
        f"{API}/vaccines", json=body | {"series_doses": 0}, headers=officers["daoli"]
    )
    assert bad.status_code == 422
