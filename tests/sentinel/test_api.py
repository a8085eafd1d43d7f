"""The JSON routes: reporting visits and sales, problem+json for each bad input, the grid's
follow-up list, counts and alerts."""

from __future__ import annotations

import pytest

from factories import resident_id
from fangkong.models.sentinel import DrugSale, FeverVisit
from sentinel.conftest import API, activate, colour_of, count


def visit_body(world, **overrides):
    return {"venue_id": world.clinic, "id_number": world.id_number, "symptoms": ["fever"],
            "nat_taken": True} | overrides  # fmt: skip


def sale_body(world, **overrides):
    return {"venue_id": world.pharmacy, "id_number": world.id_number,
            "drug_class": "antiviral"} | overrides  # fmt: skip


def test_the_operator_reports_a_visit_at_its_clinic(app_client, session, world):
    response = app_client.post(
        f"{API}/visits", json=visit_body(world), headers=world.headers["operator"]
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["marked"] is True and body["symptoms"] == ["fever"]
    assert "id_number" not in body
    assert colour_of(session, world.person)[0] == "yellow"


def test_the_operator_cannot_report_at_a_venue_it_does_not_operate(app_client, world):
    body = visit_body(world, venue_id=world.nangang_clinic)
    response = app_client.post(f"{API}/visits", json=body, headers=world.headers["operator"])
    assert response.status_code == 404
    assert response.json()["code"] == "sentinel.site_not_found"


@pytest.mark.parametrize(
    ("path", "overrides", "status", "code"),
    [
        ("sales", {"drug_class": "vitamins"}, 422, "sentinel.unknown_drug_class"),
        ("sales", {"sold_at": "2099-01-01T00:00:00+08:00"}, 422, "sentinel.in_future"),
        ("visits", {"visited_at": "2099-01-01T00:00:00+08:00"}, 422, "sentinel.in_future"),
        ("visits", {"id_number": "230102199013011234"}, 422, "sentinel.invalid_id_number"),
        ("visits", {"symptoms": ["sneezing"]}, 422, "sentinel.unknown_symptom"),
        ("visits", {"venue_id": 2_000_000_000}, 404, "sentinel.site_not_found"),
        ("sales", {"venue_id": "clinic"}, 422, "request.invalid"),
    ],
)
def test_bad_input_is_a_problem_and_writes_nothing(
    app_client, session, world, path, overrides, status, code
):
    body = (sale_body if path == "sales" else visit_body)(world, **overrides)
    response = app_client.post(f"{API}/{path}", json=body, headers=world.headers["daoli"])
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["code"] == code
    assert count(session, DrugSale) == count(session, FeverVisit) == 0


def test_an_unknown_person_is_refused_in_both_languages(app_client, world):
    body = visit_body(world, id_number=resident_id(5_000))
    zh = app_client.post(f"{API}/visits", json=body, headers=world.headers["daoli"])
    en = app_client.post(f"{API}/visits?lang=en", json=body, headers=world.headers["daoli"])
    assert zh.json()["code"] == en.json()["code"] == "sentinel.unknown_person"
    assert en.json()["title"] == "No registered person has this ID number."


def test_sales_are_refused_once_registration_is_abolished(app_client, session, settings, world):
    activate(session, settings, "harbin-2022-12")
    session.commit()
    response = app_client.post(
        f"{API}/sales", json=sale_body(world), headers=world.headers["daoli"]
    )
    assert response.status_code == 409
    assert response.json()["code"] == "sentinel.registration_not_in_force"
    listed = app_client.get(f"{API}/follow-ups", headers=world.headers["worker"])
    assert listed.json() == {"items": [], "next_cursor": None}


def test_the_grid_worker_sees_and_closes_the_buyers_of_its_grid(app_client, world):
    officer = world.headers["daoli"]
    mine = app_client.post(f"{API}/sales", json=sale_body(world), headers=officer).json()
    other = sale_body(world, id_number=world.neighbour_id_number)
    theirs = app_client.post(f"{API}/sales", json=other, headers=officer).json()
    listed = app_client.get(f"{API}/follow-ups", headers=world.headers["worker"]).json()
    assert [item["sale_id"] for item in listed["items"]] == [mine["id"]]
    url = f"{API}/follow-ups/{theirs['id']}/contacted"
    assert app_client.post(url, headers=world.headers["worker"]).status_code == 404
    url = f"{API}/follow-ups/{mine['id']}/contacted"
    done = app_client.post(url, headers=world.headers["worker"])
    assert done.status_code == 200 and done.json()["contacted_at"]
    listed = app_client.get(f"{API}/follow-ups", headers=world.headers["worker"]).json()
    assert listed["items"] == []


def test_counts_and_alerts(app_client, world):
    for _ in range(3):
        app_client.post(f"{API}/visits", json=visit_body(world), headers=world.headers["daoli"])
    counts = app_client.get(f"{API}/counts", headers=world.headers["daoli"]).json()
    assert [(r["key"], r["visits"], r["nat_taken"]) for r in counts["by_district"]] == [
        ("230102", 3, 3)
    ]
    run = app_client.post(f"{API}/alerts/compute", headers=world.headers["daoli"]).json()
    assert run["alerts"] == 0  # 3 visits are fewer than the edition's minimum of 10
    assert app_client.get(f"{API}/alerts", headers=world.headers["daoli"]).json()["items"] == []
    bad = app_client.get(f"{API}/counts?day=2022-13-01", headers=world.headers["daoli"])
    assert bad.status_code == 422


def test_visit_list_is_scoped(app_client, world):
    app_client.post(f"{API}/visits", json=visit_body(world), headers=world.headers["daoli"])
    daoli = app_client.get(f"{API}/visits", headers=world.headers["daoli"]).json()
    nangang = app_client.get(f"{API}/visits", headers=world.headers["nangang"]).json()
    assert len(daoli["items"]) == 1 and nangang["items"] == []
