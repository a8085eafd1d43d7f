"""The people API: register, validate, protect, find, reveal, households, counts, ledger, merge."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from factories import auth_headers, make_region, make_tree, make_user, person_payload, resident_id
from fangkong.core import clock, events
from fangkong.models import (
    AuditLog,
    DuplicateCandidate,
    GridAssignment,
    Household,
    KeyGroupMembership,
    Person,
    PersonAccess,
)
from fangkong.people.events import PersonMerged
from fangkong.people.protect import Protector

API = "/api/v1/people"
GRID = "230102001002003"
_GOOD = resident_id(99)
BAD_CHECK = _GOOD[:-1] + ("1" if _GOOD[-1] != "1" else "2")


def _create(client, headers, seed=0, **overrides):
    return client.post(API, json=person_payload(GRID, seed, **overrides), headers=headers)


def _people_count(session):
    return session.scalar(select(func.count()).select_from(Person))


def test_create_masks_derives_and_seals(app_client, session, settings, officer):
    number = resident_id(7, born=date(1988, 2, 29), sex="2")
    response = _create(app_client, officer, 7, id_number=number, phone="+86 139-0000-0007")
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["id_number"] == number[:4] + "*" * 10 + number[-4:]
    assert body["phone"] == "139****0007"
    assert (body["sex"], body["birth_date"]) == ("2", "1988-02-29")
    assert body["registration_code"] == "230102"
    row = session.get(Person, body["id"])
    assert number.encode() not in row.id_number_enc
    protector = Protector(settings.data_key_bytes)
    assert protector.open_id(row.id_number_enc) == number
    assert protector.open_phone(row.phone_enc) == "13900000007"
    assert row.id_number_hash == protector.id_hash("resident_id", number)
    audit = session.scalars(select(AuditLog).where(AuditLog.action == "person.create")).one()
    assert number not in str(audit.after) and "13900000007" not in str(audit.after)


def test_child_under_three_is_flagged_from_birth_date(app_client, officer):
    born = clock.local_today() - timedelta(days=400)
    response = _create(app_client, officer, 1, id_number=resident_id(1, born=born))
    assert response.json()["under_three"] is True


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"id_number": "23010219900101123"}, "person.id_number_length"),
        ({"id_number": "23010219900101123A"}, "person.id_number_format"),
        ({"id_number": BAD_CHECK}, "person.id_number_checksum"),
        (
            {"id_number": resident_id(3, born=date(1990, 1, 1))[:-1] + "?"},
            "person.id_number_format",
        ),
        ({"sex": "2"}, "person.sex_mismatch"),
        ({"birth_date": "1999-09-09"}, "person.birth_date_mismatch"),
        ({"phone": "1390000000"}, "person.invalid_phone"),
        ({"phone": "23900000000"}, "person.invalid_phone"),
        ({"grid_code": "230102001002999"}, "person.unknown_grid"),
        ({"grid_code": "230102001002"}, "person.unknown_grid"),
        ({"id_type": "passport", "id_number": "E1234567"}, "person.sex_required"),
        ({"id_type": "passport", "id_number": "E12", "sex": "1"}, "person.document_format"),
    ],
)
def test_bad_input_is_refused_with_its_code_and_nothing_written(
    app_client, session, officer, overrides, code
):
    before = _people_count(session)
    response = _create(app_client, officer, 2, **overrides)
    assert response.status_code == 422, response.text
    assert response.json()["code"] == code
    assert response.headers["content-type"].startswith("application/problem+json")
    assert _people_count(session) == before


def test_checksum_error_is_translated(app_client, officer):
    body = person_payload(GRID, 4, id_number=BAD_CHECK)
    zh = app_client.post(API, json=body, headers=officer).json()
    en = app_client.post(API + "?lang=en", json=body, headers=officer).json()
    assert en["title"].startswith("The last character")
    assert zh["title"] != en["title"]


def test_grid_outside_jurisdiction_is_refused(app_client, session, officer):
    make_tree(session, "230103")
    session.commit()
    response = _create(app_client, officer, 5, grid_code="230103001002003")
    assert response.status_code == 422
    assert response.json()["code"] == "person.grid_out_of_jurisdiction"


def test_same_document_twice_is_a_conflict(app_client, session, officer):
    assert _create(app_client, officer, 6).status_code == 201
    again = _create(app_client, officer, 6, name="别名")
    assert again.status_code == 409
    assert again.json()["code"] == "person.duplicate_id_number"
    assert _people_count(session) == 1


def test_same_name_birth_and_phone_is_flagged_not_refused(app_client, session, officer):
    first = _create(app_client, officer, 8, name="王小明").json()
    second = _create(
        app_client,
        officer,
        9,
        name="王小明",
        id_type="passport",
        id_number="E99887766",
        sex="1",
        birth_date=first["birth_date"],
        phone="13900000008",
    )
    assert second.status_code == 201
    assert second.json()["possible_duplicates"] == [first["id"]]
    pair = session.scalars(select(DuplicateCandidate)).one()
    assert (pair.person_id, pair.other_id, pair.status) == (
        second.json()["id"],
        first["id"],
        "open",
    )


def test_open_reveal_and_search_are_logged(app_client, session, officer):
    number = resident_id(10)
    created = _create(app_client, officer, 10, id_number=number).json()
    plain = app_client.get(f"{API}/{created['id']}", headers=officer).json()
    assert plain["id_number"] == created["id_number"] and plain["revealed"] == []
    shown = app_client.get(
        f"{API}/{created['id']}?reveal=id_number&reveal=phone", headers=officer
    ).json()
    assert (shown["id_number"], shown["phone"]) == (number, "13900000010")
    found = app_client.post(f"{API}/search", json={"id_number": number.lower()}, headers=officer)
    assert [p["id"] for p in found.json()] == [created["id"]]
    by_phone = app_client.post(f"{API}/search", json={"phone": "139 0000 0010"}, headers=officer)
    assert [p["id"] for p in by_phone.json()] == [created["id"]]
    actions = session.scalars(select(PersonAccess.action).order_by(PersonAccess.id)).all()
    assert actions == [
        "open",
        "open",
        "reveal_id_number",
        "reveal_phone",
        "search_id_number",
        "search_id_number",
        "search_phone",
        "search_phone",
    ]
    log = app_client.get(f"{API}/access-log?person_id={created['id']}", headers=officer).json()
    assert log["items"][0]["action"] == "search_phone"


def test_search_needs_exactly_one_criterion(app_client, officer):
    for body in ({}, {"id_number": resident_id(1), "phone": "13900000001"}):
        response = app_client.post(f"{API}/search", json=body, headers=officer)
        assert response.json()["code"] == "person.search_criterion"


def test_role_without_reveal_sees_masked_only(app_client, session, settings, officer):
    created = _create(app_client, officer, 11).json()
    sampler = make_user(session, role="sampler", region_code="230102")
    session.commit()
    headers = auth_headers(settings, sampler)
    assert app_client.get(f"{API}/{created['id']}", headers=headers).status_code == 200
    response = app_client.get(f"{API}/{created['id']}?reveal=id_number", headers=headers)
    assert response.status_code == 403
    assert response.json()["code"] == "person.reveal_forbidden"


def test_list_filters_and_pages(app_client, officer):
    for seed, name in enumerate(["张三", "张三丰", "李四", "张伟"]):
        _create(app_client, officer, 20 + seed, name=name, migrant=seed == 2)
    names = [p["name"] for p in app_client.get(f"{API}?q=张三", headers=officer).json()["items"]]
    assert names == ["张三", "张三丰"]
    migrants = app_client.get(f"{API}?flag=migrant", headers=officer).json()["items"]
    assert [p["name"] for p in migrants] == ["李四"]
    first = app_client.get(f"{API}?limit=3", headers=officer).json()
    rest = app_client.get(f"{API}?limit=3&cursor={first['next_cursor']}", headers=officer).json()
    assert len(first["items"]) == 3 and len(rest["items"]) == 1 and rest["next_cursor"] is None


def test_key_group_filter_and_count(app_client, officer):
    created = _create(
        app_client, officer, 30, key_groups=[{"group": "cold_chain", "employer": "某冷库"}]
    ).json()
    _create(app_client, officer, 31)
    listed = app_client.get(f"{API}?key_group=cold_chain", headers=officer).json()["items"]
    assert [p["id"] for p in listed] == [created["id"]]
    counts = app_client.get("/api/v1/regions/230102/counts", headers=officer).json()
    assert (counts["residents"], counts["key_groups"]) == (2, 1)


def test_update_moves_grid_and_recounts(app_client, session, officer):
    make_region(session, "230102001002004")
    session.commit()
    created = _create(app_client, officer, 40).json()
    response = app_client.patch(
        f"{API}/{created['id']}",
        json={"grid_code": "230102001002004", "phone": "13700000000", "disabled": True},
        headers=officer,
    )
    assert response.status_code == 200, response.text
    assert response.json()["phone"] == "137****0000"
    old = app_client.get(f"/api/v1/regions/{GRID}/counts", headers=officer).json()
    new = app_client.get("/api/v1/regions/230102001002004/counts", headers=officer).json()
    assert (old["residents"], new["residents"], new["vulnerable"]) == (0, 1, 1)


def test_household_members_head_and_one_grid(app_client, session, officer):
    make_region(session, "230102001002004")
    session.commit()
    household = app_client.post(
        "/api/v1/households",
        json={"grid_code": GRID, "address": "测试街2号", "ref": "0001"},
        headers=officer,
    ).json()
    person = _create(app_client, officer, 50, household_id=household["id"]).json()
    other = _create(app_client, officer, 51, grid_code="230102001002004").json()
    headed = app_client.patch(
        f"/api/v1/households/{household['id']}", json={"head_id": person["id"]}, headers=officer
    )
    assert headed.json()["head_id"] == person["id"]
    assert [m["id"] for m in headed.json()["members"]] == [person["id"]]
    wrong_grid = app_client.post(
        f"/api/v1/households/{household['id']}/members",
        json={"person_id": other["id"]},
        headers=officer,
    )
    assert wrong_grid.json()["code"] == "household.grid_mismatch"
    not_member = app_client.patch(
        f"/api/v1/households/{household['id']}", json={"head_id": other["id"]}, headers=officer
    )
    assert not_member.json()["code"] == "household.head_not_member"
    taken = app_client.post(
        "/api/v1/households",
        json={"grid_code": GRID, "address": "x", "ref": "0001"},
        headers=officer,
    )
    assert taken.status_code == 409
    assert session.scalar(select(func.count()).select_from(Household)) == 1


def test_ledger_and_xlsx_are_masked(app_client, session, officer):
    household = app_client.post(
        "/api/v1/households", json={"grid_code": GRID, "address": "测试街3号"}, headers=officer
    ).json()
    number = resident_id(60)
    _create(app_client, officer, 60, id_number=number, household_id=household["id"])
    _create(app_client, officer, 61)
    ledger = app_client.get(f"/api/v1/regions/{GRID}/ledger", headers=officer).json()
    assert len(ledger["households"]) == 1 and len(ledger["without_household"]) == 1
    assert ledger["counts"]["households"] == 1 and ledger["counts"]["residents"] == 2
    response = app_client.get(f"/api/v1/regions/{GRID}/ledger.xlsx?lang=en", headers=officer)
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [str(c) for row in sheet.iter_rows(values_only=True) for c in row if c]
    assert "ID number" in cells and number not in cells
    assert number[:4] + "*" * 10 + number[-4:] in cells
    assert (
        session.scalar(
            select(func.count())
            .select_from(PersonAccess)
            .where(PersonAccess.action == "export_ledger")
        )
        == 1
    )


def test_worker_load_flags_overloaded_and_unstaffed(app_client, session, settings, officer):
    make_region(session, "230102001002004")
    worker = make_user(session, role="grid_worker", region_code=GRID)
    session.add(GridAssignment(grid_code=GRID, user_id=worker.id))
    session.commit()
    for seed in range(3):
        app_client.post(
            "/api/v1/households", json={"grid_code": GRID, "address": f"楼{seed}"}, headers=officer
        )
    app_client.post(
        "/api/v1/households",
        json={"grid_code": "230102001002004", "address": "x"},
        headers=officer,
    )
    app_client.app.state.settings = settings.model_copy(update={"grid_worker_max_households": 2})
    rows = app_client.get("/api/v1/regions/230102001/worker-load", headers=officer).json()
    by_code = {r["grid_code"]: r for r in rows}
    assert by_code[GRID]["households_per_worker"] == 3 and by_code[GRID]["overloaded"] is True
    assert by_code["230102001002004"]["unstaffed"] is True


def test_merge_moves_links_keeps_history_and_publishes(app_client, session, officer):
    first = _create(app_client, officer, 70, name="赵六", key_groups=[{"group": "delivery"}]).json()
    second = _create(
        app_client,
        officer,
        71,
        name="赵六",
        id_type="passport",
        id_number="E70707070",
        sex="1",
        birth_date=first["birth_date"],
        phone="13900000070",
    ).json()
    pair = session.scalars(select(DuplicateCandidate)).one()
    seen = []

    @events.subscribe(PersonMerged)
    def _record(_session, event):
        seen.append((event.merged_id, event.kept_id))

    listed = app_client.get(f"{API}/duplicates", headers=officer).json()["items"]
    assert [p["id"] for p in listed] == [pair.id]
    try:
        response = app_client.post(
            f"{API}/duplicates/{pair.id}/merge", json={"keep_id": second["id"]}, headers=officer
        )
    finally:
        events.unsubscribe(PersonMerged, _record)
    assert response.status_code == 200, response.text
    assert seen == [(first["id"], second["id"])]
    merged = session.get(Person, first["id"])
    session.refresh(merged)
    assert (merged.status, merged.merged_into_id) == ("merged", second["id"])
    groups = session.scalars(select(KeyGroupMembership.person_id)).all()
    assert groups == [second["id"]]
    assert app_client.get(API, headers=officer).json()["items"][0]["id"] == second["id"]
    again = app_client.post(
        f"{API}/duplicates/{pair.id}/merge", json={"keep_id": second["id"]}, headers=officer
    )
    assert again.json()["code"] == "person.duplicate_decided"
    counts = app_client.get("/api/v1/regions/230102/counts", headers=officer).json()
    assert counts["residents"] == 1


def test_merge_keep_must_be_in_pair(app_client, session, officer):
    first = _create(app_client, officer, 80, name="钱七").json()
    _create(
        app_client,
        officer,
        81,
        name="钱七",
        id_type="passport",
        id_number="E80808080",
        sex="1",
        birth_date=first["birth_date"],
        phone="13900000080",
    )
    pair = session.scalars(select(DuplicateCandidate)).one()
    response = app_client.post(
        f"{API}/duplicates/{pair.id}/merge", json={"keep_id": 999999}, headers=officer
    )
    assert response.json()["code"] == "person.merge_keep_not_in_pair"
    assert (
        app_client.post(f"{API}/duplicates/{pair.id}/dismiss", headers=officer).status_code == 204
    )


def test_import_over_the_api_with_dry_run_and_template(app_client, session, officer):
    template = app_client.get(f"{API}/import-template.csv", headers=officer)
    assert template.status_code == 200 and "证件号码" in template.content.decode("utf-8-sig")
    header = template.content.decode("utf-8-sig").splitlines()[0]
    columns = header.split(",")
    good = {"姓名": "孙八", "证件号码": resident_id(90), "网格编码": GRID}
    bad = {"姓名": "周九", "证件号码": BAD_CHECK, "网格编码": GRID}
    lines = [header] + [",".join(row.get(c, "") for c in columns) for row in (good, bad)]
    body = ("\n".join(lines) + "\n").encode()
    files = {"file": ("people.csv", body, "text/csv")}
    dry = app_client.post(f"{API}/import?dry_run=true&lang=en", files=files, headers=officer)
    assert dry.status_code == 200, dry.text
    assert dry.json()["inserted"] == 1
    assert [(r["row"], r["code"]) for r in dry.json()["rejected"]] == [
        (3, "person.id_number_checksum")
    ]
    assert _people_count(session) == 0
    real = app_client.post(f"{API}/import", files=files, headers=officer)
    assert real.json()["inserted"] == 1 and _people_count(session) == 1


def test_name_prefix_pages_in_name_order_without_gaps(app_client, officer):
    names = ["张伟", "张三", "张伟", "张三丰", "张伟", "李四"]
    for seed, name in enumerate(names):
        _create(app_client, officer, 100 + seed, name=name)
    seen, cursor = [], None
    while True:
        url = f"{API}?q=张&limit=2" + (f"&cursor={cursor}" if cursor else "")
        page = app_client.get(url, headers=officer).json()
        seen += [(p["name"], p["grid_code"], p["id"]) for p in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == sorted(seen) and len(seen) == 5 and len(set(seen)) == 5
    plain_cursor = app_client.get(f"{API}?limit=1", headers=officer).json()["next_cursor"]
    mixed = app_client.get(f"{API}?q=张&cursor={plain_cursor}", headers=officer)
    assert mixed.status_code == 422 and mixed.json()["code"] == "pagination.invalid_cursor"
