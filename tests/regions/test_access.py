"""Who may see and change which regions: 401, 403, 404 outside the jurisdiction, city-wide."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from sqlalchemy import delete, func, select

from factories import auth_headers, make_tree, make_user
from fangkong.core.scoping import covers, within
from fangkong.models import AuditLog, GridAssignment, Region

API = "/api/v1/regions"
NANGANG = ["230103", "230103001", "230103001002", "230103001002003"]


@pytest.fixture
def two_districts(session):
    """Trees under 道里区 (230102) and 南岗区 (230103)."""
    return make_tree(session, "230102"), make_tree(session, "230103")


def test_anonymous_is_401(app_client):
    for method, url in [
        ("get", API),
        ("get", f"{API}/230102"),
        ("post", API),
        ("get", f"{API}/230102/workers"),
        ("post", f"{API}/import"),
    ]:
        response = app_client.request(method.upper(), url)
        assert response.status_code == 401, url
        assert response.json()["code"] == "auth.required"


def test_bad_token_is_401(app_client):
    response = app_client.get(API, headers={"Authorization": "Bearer not-a-token"})
    assert response.status_code == 401


@pytest.mark.parametrize("role", ["lab", "citizen", "venue_operator"])
def test_roles_without_regions_read_get_403(app_client, session, settings, role):
    user = make_user(session, role=role, region_code="230102")
    session.commit()
    headers = auth_headers(settings, user)
    for url in (API, f"{API}/230102", f"{API}?q=道里"):
        response = app_client.get(url, headers=headers)
        assert response.status_code == 403, url
        assert response.json()["code"] == "auth.forbidden"


@pytest.mark.parametrize("role", ["sampler", "inspector", "grid_worker", "epidemiologist"])
def test_readers_without_regions_manage_cannot_write(app_client, session, settings, role):
    make_tree(session, "230102")
    user = make_user(session, role=role, region_code="230102001")
    session.commit()
    headers = auth_headers(settings, user)
    assert app_client.get(f"{API}/230102001", headers=headers).status_code == 200
    data = {"code": "230102001009", "name": "x", "level": "community", "parent_code": "230102001"}
    assert app_client.post(API, json=data, headers=headers).status_code == 403
    assert (
        app_client.patch(f"{API}/230102001", json={"name": "x"}, headers=headers).status_code == 403
    )
    files = {"file": ("r.csv", b"code,name,level,parent_code\n", "text/csv")}
    assert app_client.post(f"{API}/import", files=files, headers=headers).status_code == 403
    assert session.get(Region, "230102001009") is None


def test_other_district_answers_404(app_client, session, settings, two_districts):
    user = make_user(session, role="district_officer", region_code="230102")
    session.commit()
    headers = auth_headers(settings, user)
    for code in NANGANG:
        assert app_client.get(f"{API}/{code}", headers=headers).status_code == 404, code
        listed = app_client.get(API, params={"parent": code}, headers=headers)
        assert listed.status_code == 404, code
        assert listed.json()["code"] == "not_found"
        assert app_client.get(f"{API}/{code}/workers", headers=headers).status_code == 404
        renamed = app_client.patch(f"{API}/{code}", json={"name": "改名"}, headers=headers)
        assert renamed.status_code == 404
    # The city above is outside a district's jurisdiction too.
    assert app_client.get(f"{API}/230100", headers=headers).status_code == 404
    assert session.get(Region, "230103001").name == "区划001"


def test_other_district_is_absent_from_lists_and_search(
    app_client, session, settings, two_districts
):
    user = make_user(session, role="district_officer", region_code="230102")
    session.commit()
    headers = auth_headers(settings, user)

    def codes(**params: str) -> list[str]:
        return [
            r["code"] for r in app_client.get(API, params=params, headers=headers).json()["items"]
        ]

    assert codes(level="street") == ["230102001"]
    assert codes(level="grid") == ["230102001002003"]
    assert codes(level="district") == ["230102"]
    assert codes(level="city") == []
    assert codes(q="南岗") == []
    assert codes() == ["230102"]
    search = app_client.get(API, params={"q": "区划"}, headers=headers).json()["items"]
    assert [r["code"] for r in search] == ["230102001", "230102001002", "230102001002003"]


def test_street_officer_sees_only_their_street(app_client, session, settings, two_districts):
    user = make_user(session, role="street_officer", region_code="230102001")
    session.commit()
    headers = auth_headers(settings, user)
    root = app_client.get(API, headers=headers).json()["items"]
    assert [(r["code"], r["children"]) for r in root] == [("230102001", 1)]
    assert app_client.get(f"{API}/230102", headers=headers).status_code == 404
    data = {"code": "230102002", "name": "邻街", "level": "street", "parent_code": "230102"}
    response = app_client.post(API, json=data, headers=headers)
    assert response.json()["code"] == "region.outside_jurisdiction"


def test_import_into_another_district_is_rejected_per_row(
    app_client, session, settings, two_districts
):
    user = make_user(session, role="district_officer", region_code="230102")
    session.commit()
    csv = (
        "code,name,level,parent_code\n230103005,外区街道,street,230103\n"
        "230103001009,外区社区,community,230103001\n230103001,改名,street,230103\n"
    )
    files = {"file": ("r.csv", csv.encode(), "text/csv")}
    report = app_client.post(
        f"{API}/import", files=files, headers=auth_headers(settings, user)
    ).json()
    assert (report["created"], report["updated"], report["unchanged"]) == (0, 0, 0)
    assert [(r["row"], r["code"]) for r in report["rejected"]] == [
        (2, "region.outside_jurisdiction"),
        (3, "region.outside_jurisdiction"),
        (4, "region.outside_jurisdiction"),
    ]
    session.expire_all()
    assert session.get(Region, "230103005") is None
    assert session.get(Region, "230103001").name == "区划001"


def test_cannot_assign_workers_in_another_district(app_client, session, settings, two_districts):
    actor = make_user(session, role="district_officer", region_code="230102")
    theirs = make_user(session, role="grid_worker", region_code="230103001")
    ours = make_user(session, role="grid_worker", region_code="230102001")
    session.commit()
    headers = auth_headers(settings, actor)
    grid = "230103001002003"
    response = app_client.post(
        f"{API}/{grid}/workers", json={"user_id": theirs.id}, headers=headers
    )
    assert response.status_code == 404
    response = app_client.delete(f"{API}/{grid}/workers/{theirs.id}", headers=headers)
    assert response.status_code == 404
    # A worker from another district cannot be pulled into ours either.
    own_grid = "230102001002003"
    response = app_client.post(
        f"{API}/{own_grid}/workers", json={"user_id": theirs.id}, headers=headers
    )
    assert response.status_code == 422
    assert response.json()["code"] == "region.not_a_grid_worker"
    assert (
        app_client.post(
            f"{API}/{own_grid}/workers", json={"user_id": ours.id}, headers=headers
        ).status_code
        == 204
    )
    assigned = session.scalars(select(GridAssignment.grid_code)).all()
    assert assigned == [own_grid]


def test_city_admin_sees_and_manages_everything(app_client, session, settings, two_districts):
    admin = make_user(session, role="city_admin", region_code="230100")
    worker = make_user(session, role="grid_worker", region_code="230103001002")
    session.commit()
    headers = auth_headers(settings, admin)
    for code in ["230100", "230102001002003", *NANGANG]:
        assert app_client.get(f"{API}/{code}", headers=headers).status_code == 200, code
    search = app_client.get(API, params={"level": "grid"}, headers=headers).json()["items"]
    assert [r["code"] for r in search] == ["230102001002003", "230103001002003"]
    data = {"code": "230184001", "name": "五常街道", "level": "street", "parent_code": "230184"}
    assert app_client.post(API, json=data, headers=headers).status_code == 201
    url = f"{API}/230103001002003/workers"
    assert app_client.post(url, json={"user_id": worker.id}, headers=headers).status_code == 204
    assert [w["id"] for w in app_client.get(url, headers=headers).json()] == [worker.id]


# --- scoping: Python's covers() and SQL's within() agree -------------------------------

ADMIN_CODES = st.builds(
    lambda province, city, district: province + city + district,
    st.sampled_from(["23", "22", "00", "99"]),
    st.sampled_from(["01", "00", "02", "10", "99"]),
    st.sampled_from(["00", "02", "03", "09", "10", "99"]),
)
GROUPS = st.lists(
    st.sampled_from(["000", "001", "002", "009", "010", "099", "100", "999"]), max_size=3
)
REGION_CODES = st.one_of(
    st.builds(lambda admin, groups: admin + "".join(groups), ADMIN_CODES, GROUPS),
    st.from_regex(r"\A\d{6}(\d{3}){0,3}\Z"),
)


@hypothesis_settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    codes=st.lists(REGION_CODES, min_size=1, max_size=25, unique=True),
    scopes=st.lists(REGION_CODES, min_size=1, max_size=6),
    pick=st.integers(min_value=0),
)
def test_covers_agrees_with_within_in_the_database(session, codes, scopes, pick):
    # Scopes drawn from the codes themselves (and their ancestors) make hits likely.
    chosen = codes[pick % len(codes)]
    scopes = [*scopes, chosen, chosen[:9], chosen[:6], chosen[:4] + "00", chosen[:2] + "0000"]
    marker = "scoping.property"
    session.execute(delete(AuditLog).where(AuditLog.action == marker))
    session.add_all(
        AuditLog(actor_name="t", action=marker, object_type="t", object_id=str(i), region_code=code)
        for i, code in enumerate(codes)
    )
    session.flush()
    for scope in scopes:
        statement = select(AuditLog.region_code).where(
            AuditLog.action == marker, within(AuditLog.region_code, scope)
        )
        in_sql = set(session.scalars(statement))
        in_python = {code for code in codes if covers(scope, code)}
        assert in_sql == in_python, scope
    session.execute(delete(AuditLog).where(AuditLog.action == marker))
    assert session.scalar(select(func.count()).where(AuditLog.action == marker)) == 0


@pytest.mark.parametrize(
    ("scope", "code", "inside"),
    [
        ("230100", "230102001002003", True),  # the city scopes every 2301… code
        ("230100", "230200", False),
        ("230102", "230102", True),
        ("230102", "2301020", True),
        ("230102", "230103001", False),
        ("230102001", "230102001002", True),
        ("230102001", "230102002001", False),
        ("230102001", "230102", False),  # a street does not cover its district
        ("230000", "230184", True),  # a province scopes its cities
        ("230102001002003", "230102001002003", True),
        ("230102001002003", "230102001002004", False),
    ],
)
def test_covers_examples(scope, code, inside):
    assert covers(scope, code) is inside
