"""The regions API: the tree, search, create, rename, grid workers, the seeded districts."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from factories import auth_headers, make_region, make_tree, make_user
from fangkong.config import Settings
from fangkong.models import AuditLog, GridAssignment, Region

API = "/api/v1/regions"

# CONTRACTS.md, "Region codes": the city and its 18 districts and counties (GB/T 2260).
SEEDED = {
    "230100": "哈尔滨市",
    "230102": "道里区",
    "230103": "南岗区",
    "230104": "道外区",
    "230108": "平房区",
    "230109": "松北区",
    "230110": "香坊区",
    "230111": "呼兰区",
    "230112": "阿城区",
    "230113": "双城区",
    "230123": "依兰县",
    "230124": "方正县",
    "230125": "宾县",
    "230126": "巴彦县",
    "230127": "木兰县",
    "230128": "通河县",
    "230129": "延寿县",
    "230183": "尚志市",
    "230184": "五常市",
}


def officer(session: Session, settings: Settings, region: str = "230102") -> dict[str, str]:
    user = make_user(session, role="district_officer", region_code=region)
    session.commit()
    return auth_headers(settings, user)


def city_admin(session: Session, settings: Settings) -> dict[str, str]:
    user = make_user(session, role="city_admin", region_code="230100")
    session.commit()
    return auth_headers(settings, user)


def counts(session: Session) -> tuple[int, int, int]:
    """Regions, audit rows and grid assignments: what a refused request must leave alone."""
    return (
        session.scalar(select(func.count()).select_from(Region)) or 0,
        session.scalar(select(func.count()).select_from(AuditLog)) or 0,
        session.scalar(select(func.count()).select_from(GridAssignment)) or 0,
    )


def audit_rows(session: Session, action: str, object_id: str) -> list[AuditLog]:
    statement = select(AuditLog).where(AuditLog.action == action, AuditLog.object_id == object_id)
    return list(session.scalars(statement.order_by(AuditLog.id)))


def all_pages(
    client: TestClient, params: dict[str, Any], headers: dict[str, str]
) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    cursor = None
    while True:
        page = params | ({"cursor": cursor} if cursor else {})
        body = client.get(API, params=page, headers=headers).json()
        items += body["items"]
        cursor = body["next_cursor"]
        if cursor is None:
            return items


# --- reading the tree -------------------------------------------------------------------


def test_without_parent_the_root_is_the_callers_own_region(app_client, session, settings):
    make_tree(session, "230102")
    make_region(session, "230102009")
    headers = officer(session, settings)
    body = app_client.get(API, headers=headers).json()
    assert body["next_cursor"] is None
    assert [(r["code"], r["name"], r["level"], r["children"]) for r in body["items"]] == [
        ("230102", "道里区", "district", 2)
    ]
    assert body["items"][0]["parent_code"] == "230100"


def test_city_admin_root_is_the_city_with_its_18_districts(app_client, session, settings):
    body = app_client.get(API, headers=city_admin(session, settings)).json()
    assert [(r["code"], r["name"], r["level"], r["children"]) for r in body["items"]] == [
        ("230100", "哈尔滨市", "city", 18)
    ]
    assert body["items"][0]["parent_code"] is None


def test_parent_lists_children_in_code_order_with_their_counts(app_client, session, settings):
    make_tree(session, "230102")
    make_region(session, "230102009", name="新发街道")
    headers = officer(session, settings)
    body = app_client.get(API, params={"parent": "230102"}, headers=headers).json()
    assert [(r["code"], r["name"], r["children"]) for r in body["items"]] == [
        ("230102001", "区划001", 1),
        ("230102009", "新发街道", 0),
    ]
    grid = app_client.get(API, params={"parent": "230102001002"}, headers=headers).json()
    assert [(r["code"], r["level"], r["children"]) for r in grid["items"]] == [
        ("230102001002003", "grid", 0)
    ]


def test_children_page_with_cursor(app_client, session, settings):
    headers = city_admin(session, settings)
    first = app_client.get(API, params={"parent": "230100", "limit": 5}, headers=headers).json()
    assert len(first["items"]) == 5 and first["next_cursor"]
    everything = all_pages(app_client, {"parent": "230100", "limit": 5}, headers)
    codes = [r["code"] for r in everything]
    assert codes == sorted(codes) and len(codes) == len(set(codes)) == 18


def test_the_city_and_18_districts_are_seeded_with_their_names(app_client, session, settings):
    headers = city_admin(session, settings)
    city = app_client.get(f"{API}/230100", headers=headers).json()
    districts = all_pages(app_client, {"parent": "230100"}, headers)
    seeded = {r["code"]: r["name"] for r in [city, *districts]}
    assert seeded == SEEDED
    assert {r["level"] for r in districts} == {"district"}
    assert {r["parent_code"] for r in districts} == {"230100"}
    assert all(r["name_en"] for r in [city, *districts])


def test_search_by_name_and_level(app_client, session, settings):
    make_region(session, "230102001", name="中央大街街道")
    make_region(session, "230102002", name="兆麟街道")
    make_region(session, "230102001001", name="中央社区")
    headers = officer(session, settings)

    def codes(**params: str) -> list[str]:
        response = app_client.get(API, params=params, headers=headers)
        assert response.status_code == 200, response.text
        return [r["code"] for r in response.json()["items"]]

    assert codes(q="中央") == ["230102001", "230102001001"]
    assert codes(level="street") == ["230102001", "230102002"]
    assert codes(q="中央", level="community") == ["230102001001"]
    assert codes(level="district") == ["230102"]
    assert codes(q="不存在") == []
    # LIKE wildcards are matched literally, not as patterns.
    assert codes(q="%") == [] and codes(q="_") == []


def test_q_filters_the_children_of_a_parent(app_client, session, settings):
    make_region(session, "230102001", name="中央大街街道")
    make_region(session, "230102002", name="兆麟街道")
    headers = officer(session, settings)
    body = app_client.get(API, params={"parent": "230102", "q": "兆麟"}, headers=headers).json()
    assert [r["code"] for r in body["items"]] == ["230102002"]


def test_bad_query_parameters_are_422(app_client, session, settings):
    headers = officer(session, settings)
    for params in ({"level": "planet"}, {"parent": "2301"}, {"limit": 0}, {"limit": 501}):
        response = app_client.get(API, params=params, headers=headers)
        assert response.status_code == 422, params
        assert response.json()["code"] == "request.invalid"
    response = app_client.get(API, params={"parent": "230102", "cursor": "!!"}, headers=headers)
    assert response.status_code == 422
    assert response.json()["code"] == "pagination.invalid_cursor"


def test_get_one_region(app_client, session, settings):
    make_tree(session, "230102")
    headers = officer(session, settings)
    body = app_client.get(f"{API}/230102001002", headers=headers).json()
    assert body == {
        "code": "230102001002",
        "name": "区划002",
        "name_en": None,
        "level": "community",
        "parent_code": "230102001",
        "children": 1,
    }


def test_get_unknown_region_is_404_problem(app_client, session, settings):
    headers = officer(session, settings)
    response = app_client.get(f"{API}/230102999", headers=headers)
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["code"] == "not_found" and problem["status"] == 404
    assert problem["title"] == "记录不存在或不在您的辖区内。"
    assert app_client.get(f"{API}/23010", headers=headers).status_code == 422


def test_parent_outside_the_tree_is_404(app_client, session, settings):
    headers = officer(session, settings)
    response = app_client.get(API, params={"parent": "230102999"}, headers=headers)
    assert response.status_code == 404


# --- creating ---------------------------------------------------------------------------


def test_create_street_under_own_district(app_client, session, settings):
    user = make_user(session, role="district_officer", region_code="230102")
    session.commit()
    data = {"code": "230102005", "name": " 新阳路街道 ", "level": "street", "parent_code": "230102"}
    response = app_client.post(API, json=data, headers=auth_headers(settings, user))
    assert response.status_code == 201, response.text
    assert response.json() == {
        "code": "230102005",
        "name": "新阳路街道",
        "name_en": None,
        "level": "street",
        "parent_code": "230102",
        "children": 0,
    }
    region = session.get(Region, "230102005")
    assert region is not None and region.name == "新阳路街道"
    [entry] = audit_rows(session, "region.create", "230102005")
    assert entry.actor_id == user.id and entry.actor_name == user.username
    assert entry.object_type == "region" and entry.region_code == "230102005"
    assert entry.after == {"name": "新阳路街道", "level": "street", "parent_code": "230102"}
    assert entry.before is None
    listed = app_client.get(API, params={"parent": "230102"}, headers=auth_headers(settings, user))
    assert [r["code"] for r in listed.json()["items"]] == ["230102005"]


def test_create_community_and_grid_below_existing_parents(app_client, session, settings):
    make_region(session, "230102001")
    headers = officer(session, settings)
    community = {
        "code": "230102001004",
        "name": "社区",
        "level": "community",
        "parent_code": "230102001",
    }
    grid = {
        "code": "230102001004007",
        "name": "网格",
        "level": "grid",
        "parent_code": "230102001004",
    }
    assert app_client.post(API, json=community, headers=headers).status_code == 201
    assert app_client.post(API, json=grid, headers=headers).status_code == 201
    assert session.get(Region, "230102001004007").level.value == "grid"


@pytest.mark.parametrize(
    ("data", "status", "code"),
    [
        pytest.param(
            {"code": "230102005001", "level": "street", "parent_code": "230102"},
            422,
            "region.bad_code",
            id="community-length-for-a-street",
        ),
        pytest.param(
            {"code": "230102005", "level": "community", "parent_code": "230102"},
            422,
            "region.bad_code",
            id="street-length-for-a-community",
        ),
        pytest.param(
            {"code": "230102005", "level": "street", "parent_code": "230103"},
            422,
            "region.wrong_parent",
            id="parent-not-a-prefix",
        ),
        pytest.param(
            {"code": "230102009001", "level": "community", "parent_code": "230102009"},
            422,
            "region.unknown_parent",
            id="unknown-parent",
        ),
        pytest.param(
            {"code": "230103005", "level": "street", "parent_code": "230103"},
            422,
            "region.outside_jurisdiction",
            id="outside-jurisdiction",
        ),
        pytest.param(
            {"code": "230102001", "level": "street", "parent_code": "230102"},
            409,
            "region.exists",
            id="existing-code",
        ),
        pytest.param(
            {"code": "230199", "level": "district", "parent_code": "230100"},
            422,
            "region.level_not_importable",
            id="district-level",
        ),
        pytest.param(
            {"code": "230102005", "level": "planet", "parent_code": "230102"},
            422,
            "request.invalid",
            id="unknown-level",
        ),
        pytest.param(
            {"code": "23010200x", "level": "street", "parent_code": "230102"},
            422,
            "request.invalid",
            id="not-digits",
        ),
        pytest.param(
            {"code": "230102005", "level": "street", "parent_code": "230102", "colour": "red"},
            422,
            "request.invalid",
            id="unknown-field",
        ),
        pytest.param(
            {"code": "230102005", "level": "street", "parent_code": "230102", "name": ""},
            422,
            "request.invalid",
            id="empty-name",
        ),
        pytest.param(
            {"code": "230102005", "level": "street", "parent_code": "230102", "name": "长" * 65},
            422,
            "request.invalid",
            id="name-too-long",
        ),
    ],
)
def test_bad_create_is_refused_and_writes_nothing(
    app_client, session, settings, data, status, code
):
    make_region(session, "230102001")
    headers = officer(session, settings)
    before = counts(session)
    response = app_client.post(API, json={"name": "新区划"} | data, headers=headers)
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["code"] == code
    assert counts(session) == before


def test_malformed_json_is_422_and_writes_nothing(app_client, session, settings):
    headers = officer(session, settings) | {"Content-Type": "application/json"}
    before = counts(session)
    response = app_client.post(API, content=b'{"code": "230102005", ', headers=headers)
    assert response.status_code == 422
    assert response.json()["code"] == "request.invalid"
    assert counts(session) == before


def test_existing_code_outside_jurisdiction_does_not_leak_existence(app_client, session, settings):
    """Another district's existing street answers like any code outside the jurisdiction."""
    make_region(session, "230103001")
    headers = officer(session, settings, "230102")
    taken = {"code": "230103001", "name": "x", "level": "street", "parent_code": "230103"}
    free = taken | {"code": "230103002"}
    first, second = (app_client.post(API, json=d, headers=headers) for d in (taken, free))
    assert first.status_code == second.status_code == 422
    assert first.json()["code"] == second.json()["code"] == "region.outside_jurisdiction"


def test_problem_follows_the_request_language(app_client, session, settings):
    headers = officer(session, settings)
    data = {"code": "230103005", "name": "x", "level": "street", "parent_code": "230103"}
    zh = app_client.post(API, json=data, headers=headers).json()
    en = app_client.post(f"{API}?lang=en", json=data, headers=headers).json()
    assert zh["title"] == "该区划不在您的辖区内。"
    assert en["title"] == "The region lies outside your jurisdiction."
    assert zh["type"].endswith("region.outside_jurisdiction")


# --- renaming ---------------------------------------------------------------------------


def test_rename_is_audited_before_and_after(app_client, session, settings):
    make_region(session, "230102001", name="旧名街道")
    user = make_user(session, role="district_officer", region_code="230102")
    session.commit()
    headers = auth_headers(settings, user)
    data = {"name": "新名街道", "name_en": "Xinming Street"}
    response = app_client.patch(f"{API}/230102001", json=data, headers=headers)
    assert response.status_code == 200, response.text
    assert response.json()["name"] == "新名街道"
    assert response.json()["name_en"] == "Xinming Street"
    session.expire_all()
    assert session.get(Region, "230102001").name == "新名街道"
    [entry] = audit_rows(session, "region.rename", "230102001")
    assert entry.actor_id == user.id
    assert entry.before == {"name": "旧名街道", "name_en": None}
    assert entry.after == {"name": "新名街道", "name_en": "Xinming Street"}


def test_rename_keeps_english_name_when_not_given(app_client, session, settings):
    region = make_region(session, "230102001", name="旧名街道")
    region.name_en = "Old Street"
    session.flush()
    headers = officer(session, settings)
    response = app_client.patch(f"{API}/230102001", json={"name": "新名"}, headers=headers)
    assert response.json()["name_en"] == "Old Street"


def test_bad_rename_writes_nothing(app_client, session, settings):
    make_region(session, "230102001", name="旧名街道")
    headers = officer(session, settings)
    before = counts(session)
    for data in ({"name": ""}, {"name": "x", "level": "grid"}, {}):
        response = app_client.patch(f"{API}/230102001", json=data, headers=headers)
        assert response.status_code == 422, data
        assert response.json()["code"] == "request.invalid"
    missing = app_client.patch(f"{API}/230102999", json={"name": "x"}, headers=headers)
    assert missing.status_code == 404
    assert counts(session) == before
    session.expire_all()
    assert session.get(Region, "230102001").name == "旧名街道"


# --- grid workers -----------------------------------------------------------------------


GRID = "230102001002003"


def workers_url(code: str = GRID) -> str:
    return f"{API}/{code}/workers"


@pytest.mark.parametrize("worker_region", ["230102001", "230102001002", GRID])
def test_assign_list_and_unassign_a_grid_worker(app_client, session, settings, worker_region):
    make_tree(session, "230102")
    actor = make_user(session, role="district_officer", region_code="230102")
    worker = make_user(session, role="grid_worker", region_code=worker_region)
    session.commit()
    headers = auth_headers(settings, actor)

    response = app_client.post(workers_url(), json={"user_id": worker.id}, headers=headers)
    assert response.status_code == 204, response.text
    assert response.content == b""
    listed = app_client.get(workers_url(), headers=headers).json()
    assert listed == [
        {
            "id": worker.id,
            "username": worker.username,
            "display_name": "测试用户",
            "region_code": worker_region,
        }
    ]
    [assigned] = audit_rows(session, "grid.assign_worker", GRID)
    assert assigned.actor_id == actor.id and assigned.after == {"user_id": worker.id}

    # Assigning twice keeps one assignment and one audit row.
    assert (
        app_client.post(workers_url(), json={"user_id": worker.id}, headers=headers).status_code
        == 204
    )
    assert len(app_client.get(workers_url(), headers=headers).json()) == 1
    assert len(audit_rows(session, "grid.assign_worker", GRID)) == 1

    response = app_client.delete(f"{workers_url()}/{worker.id}", headers=headers)
    assert response.status_code == 204
    assert app_client.get(workers_url(), headers=headers).json() == []
    [unassigned] = audit_rows(session, "grid.unassign_worker", GRID)
    assert unassigned.before == {"user_id": worker.id}
    again = app_client.delete(f"{workers_url()}/{worker.id}", headers=headers)
    assert again.status_code == 404


def test_workers_are_listed_by_username(app_client, session, settings):
    make_tree(session, "230102")
    headers = officer(session, settings)
    b = make_user(session, role="grid_worker", region_code="230102001", username="wang")
    a = make_user(session, role="grid_worker", region_code="230102001002", username="li")
    session.commit()
    for user in (b, a):
        app_client.post(workers_url(), json={"user_id": user.id}, headers=headers)
    assert [w["username"] for w in app_client.get(workers_url(), headers=headers).json()] == [
        "li",
        "wang",
    ]


def test_refused_assignments_write_nothing(app_client, session, settings):
    make_tree(session, "230102")
    make_region(session, "230102009")
    headers = officer(session, settings)
    sampler = make_user(session, role="sampler", region_code="230102001")
    elsewhere = make_user(session, role="grid_worker", region_code="230102009")
    worker = make_user(session, role="grid_worker", region_code="230102001")
    session.commit()
    before = counts(session)
    cases = [
        (workers_url(), sampler.id, 422, "region.not_a_grid_worker"),
        (workers_url(), elsewhere.id, 422, "region.not_a_grid_worker"),
        (workers_url(), 999_999, 422, "region.not_a_grid_worker"),
        (workers_url("230102001002"), worker.id, 422, "region.not_a_grid"),
        (workers_url("230102001"), worker.id, 422, "region.not_a_grid"),
        (workers_url("230102001002999"), worker.id, 404, "not_found"),
    ]
    for url, user_id, status, code in cases:
        response = app_client.post(url, json={"user_id": user_id}, headers=headers)
        assert (response.status_code, response.json()["code"]) == (status, code), url
    bad_body = app_client.post(workers_url(), json={"user_id": "x"}, headers=headers)
    assert bad_body.status_code == 422
    assert counts(session) == before


def test_unassigning_someone_never_assigned_is_404(app_client, session, settings):
    make_tree(session, "230102")
    headers = officer(session, settings)
    worker = make_user(session, role="grid_worker", region_code="230102001")
    session.commit()
    assert app_client.delete(f"{workers_url()}/{worker.id}", headers=headers).status_code == 404
