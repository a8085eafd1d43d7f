"""``GET /api/v1/testing/pool-plan`` and ``/summary``: figures, the edition's default sizes,
and bad input as problem+json with stable codes."""

from __future__ import annotations

import pytest

from fangkong.healthcode import service as healthcode
from testing.citizen.helpers import PLAN
from testing.world import OTHER_GRID, make_resident, make_site, make_tube


def test_plan_with_sizes(app_client, staff):
    response = app_client.get(
        PLAN,
        params={"prevalence": 0.01, "people": 1000, "sizes": "20,5,10", "tests_per_hour": 100},
        headers=staff["worker"],
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert [row["size"] for row in body["sizes"]] == [5, 10, 20]
    assert body["best_size"] == 10 and body["best_size_any"] == 11 and body["pooling_pays"]
    ten = body["sizes"][1]
    assert ten["tubes"] == 100 and ten["reagent_kits"] == 196
    assert ten["tests_per_person"] == pytest.approx(0.195618, abs=1e-6)
    assert ten["lab_hours"] == pytest.approx(1.95618, abs=1e-4)
    assert body["single_tests"] == 1000 and body["single_lab_hours"] == 10


def test_default_sizes_are_the_editions(app_client, session, staff):
    allowed = healthcode.current_edition(session).testing.pooling.allowed_sizes
    body = app_client.get(
        PLAN, params={"prevalence": 0.001, "people": 10}, headers=staff["officer"]
    )
    assert [row["size"] for row in body.json()["sizes"]] == sorted(allowed)


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"prevalence": 0, "people": 10}, "testing.plan.prevalence_invalid"),
        ({"prevalence": 1.5, "people": 10}, "testing.plan.prevalence_invalid"),
        ({"prevalence": 0.1, "people": 0}, "testing.plan.people_invalid"),
        ({"prevalence": 0.1, "people": 10, "sizes": "1,5"}, "testing.plan.sizes_invalid"),
        ({"prevalence": 0.1, "people": 10, "sizes": "a"}, "testing.plan.sizes_invalid"),
        (
            {"prevalence": 0.1, "people": 10, "tests_per_hour": -1},
            "testing.plan.throughput_invalid",
        ),
        ({"prevalence": "x", "people": 10}, "request.invalid"),
        ({"people": 10}, "request.invalid"),
    ],
)
def test_bad_input(app_client, staff, params, code):
    response = app_client.get(PLAN, params=params, headers=staff["officer"])
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["code"] == code


def test_summary_is_scoped(app_client, session, settings, staff):
    site = make_site(session, name="南岗采样点", region=OTHER_GRID)
    make_tube(
        session, [make_resident(session, settings, grid=OTHER_GRID)], site=site, status="open"
    )
    session.commit()
    daoli = app_client.get("/api/v1/testing/summary", headers=staff["officer"]).json()
    nangang = app_client.get("/api/v1/testing/summary", headers=staff["nangang"]).json()
    assert daoli["tubes_today"] == {}
    assert nangang["tubes_today"] == {"open": 1}
