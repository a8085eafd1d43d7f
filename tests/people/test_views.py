"""The people pages: list, exact search, forms, reveal, households, ledger, counts, load, logs."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import select

from factories import make_region, make_tree, make_user, person_payload, resident_id, web_login
from fangkong.core.principal import SYSTEM
from fangkong.main import create_app
from fangkong.models import (
    DuplicateCandidate,
    DuplicateStatus,
    GridAssignment,
    Household,
    KeyGroupMembership,
    Person,
    PersonAccess,
)
from fangkong.people import service
from fangkong.people.protect import Protector
from fangkong.people.schemas import HouseholdCreate, PersonCreate

GRID = "230102001002003"
OTHER_GRID = "230103001002003"
PAGES = (
    "/people",
    "/people/new",
    "/people/import",
    "/households",
    "/households/new",
    "/counts",
    "/counts/230102001",
    f"/ledger/{GRID}",
    "/worker-load",
    "/people/access-log",
    "/people/duplicates",
)


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "no CSRF token on the page"
    return match.group(1)


def login(client, session, role="district_officer", region="230102"):
    user = make_user(session, role=role, region_code=region)
    session.commit()
    web_login(client, user.username)
    return user


def add_person(session, settings, seed=0, grid=GRID, **overrides) -> Person:
    data = PersonCreate.model_validate(person_payload(grid, seed, **overrides))
    protector = Protector(settings.data_key_bytes)
    person, _ = service.create_person(session, actor=SYSTEM, protector=protector, data=data)
    return person


def add_household(session, grid=GRID, address="道里区测试街1号", ref=None):
    data = HouseholdCreate(grid_code=grid, address=address, ref=ref)
    return service.create_household(session, actor=SYSTEM, data=data)


@pytest.fixture
def city(session):
    make_tree(session, "230102")
    make_tree(session, "230103")
    session.commit()


def token_of(client) -> str:
    return csrf_of(client.get("/people").text)


def accesses(session, action: str) -> list[PersonAccess]:
    session.expire_all()
    return list(session.scalars(select(PersonAccess).where(PersonAccess.action == action)))


# --- access ------------------------------------------------------------------------------


def test_anonymous_is_sent_to_login(app_client, city):
    for path in (*PAGES, "/people/1", "/households/1", f"/ledger/{GRID}.xlsx"):
        response = app_client.get(path, follow_redirects=False)
        assert response.status_code == 303, path
        assert response.headers["location"].startswith("/login?next="), path


def test_every_page_renders_for_a_district_officer(app_client, session, settings, city):
    person = add_person(session, settings)
    household = add_household(session)
    session.commit()
    login(app_client, session)
    for path in (*PAGES, f"/people/{person.id}", f"/households/{household.id}"):
        response = app_client.get(path)
        assert response.status_code == 200, path
        assert response.headers["content-type"].startswith("text/html"), path
        assert "<main" in response.text, path


def test_nav_shows_the_people_pages_by_permission(app_client, session):
    login(app_client, session)
    nav = app_client.get("/").text.split('class="nav-links"')[1].split("</nav>")[0]
    for href in ("/people", "/counts", "/worker-load", "/people/duplicates", "/people/access-log"):
        assert f'href="{href}"' in nav


def test_grid_worker_nav_and_refusals(app_client, session, city):
    login(app_client, session, "grid_worker", GRID)
    nav = app_client.get("/").text.split('class="nav-links"')[1].split("</nav>")[0]
    assert 'href="/people"' in nav
    assert 'href="/people/duplicates"' not in nav and 'href="/people/access-log"' not in nav
    assert app_client.get("/people").status_code == 200
    assert app_client.get("/people/new").status_code == 200  # grid workers register people
    assert app_client.get("/people/duplicates").status_code == 403
    assert app_client.get("/people/access-log").status_code == 403


def test_roles_without_people_access_are_refused(app_client, session, city):
    login(app_client, session, "inspector", "230102001")
    for path in PAGES:
        response = app_client.get(path)
        assert response.status_code == 403, path
        assert 'data-code="auth.forbidden"' in response.text


def test_readers_without_write_cannot_use_the_forms(app_client, session, settings, city):
    person = add_person(session, settings)
    session.commit()
    login(app_client, session, "epidemiologist", "230102")
    page = app_client.get(f"/people/{person.id}")
    assert page.status_code == 200
    assert 'action="/people/new"' not in app_client.get("/people").text
    assert f'action="/people/{person.id}/edit"' not in page.text
    assert app_client.get("/people/new").status_code == 403
    assert app_client.get("/people/import").status_code == 403
    edit = app_client.post(
        f"/people/{person.id}/edit", data={"csrf_token": csrf_of(page.text), "name": "改名"}
    )
    assert edit.status_code == 403


def test_another_districts_records_are_404(app_client, session, settings, city):
    person = add_person(session, settings, grid=OTHER_GRID, address="南岗区")
    household = add_household(session, grid=OTHER_GRID)
    session.commit()
    login(app_client, session)
    for path in (
        f"/people/{person.id}",
        f"/households/{household.id}",
        f"/ledger/{OTHER_GRID}",
        f"/ledger/{OTHER_GRID}.xlsx",
        "/counts/230103",
        "/worker-load?region=230103",
    ):
        assert app_client.get(path).status_code == 404, path
    listing = app_client.get("/people?region=2301")
    assert f'href="/people/{person.id}"' not in listing.text


# --- list and exact search -----------------------------------------------------------------


def test_list_masks_numbers_and_filters(app_client, session, settings, city):
    first = add_person(session, settings, seed=1, name="张三", elderly_alone=True)
    second = add_person(session, settings, seed=2, name="李四")
    session.commit()
    login(app_client, session)
    page = app_client.get("/people")
    assert f'href="/people/{first.id}"' in page.text and f'href="/people/{second.id}"' in page.text
    assert resident_id(1) not in page.text and "13900000001" not in page.text
    assert first.id_number_masked in page.text and "139****0001" in page.text
    assert 'data-flag="elderly_alone"' in page.text
    by_name = app_client.get("/people", params={"q": "张", "region": "", "key_group": ""})
    assert by_name.status_code == 200
    assert f'href="/people/{first.id}"' in by_name.text
    assert f'href="/people/{second.id}"' not in by_name.text
    flagged = app_client.get("/people", params={"flag": "elderly_alone"})
    assert f'href="/people/{second.id}"' not in flagged.text
    assert f'href="/people/{first.id}"' in flagged.text
    elsewhere = app_client.get("/people", params={"region": "230102009"})
    assert 'href="/people/' not in elsewhere.text.split('data-testid="people"')[1]


def test_list_pages_with_a_cursor(app_client, session, settings, city):
    people = [add_person(session, settings, seed=i) for i in range(51)]
    session.commit()
    login(app_client, session)
    first = app_client.get("/people", params={"q": "测试"})
    link = re.search(r'href="([^"]+)" data-testid="next-page"', first.text)
    assert link, "no next-page link"
    url = link.group(1).replace("&amp;", "&")
    assert "q=%E6%B5%8B%E8%AF%95" in url and "cursor=" in url
    second = app_client.get(url)
    by_name = sorted(
        people, key=lambda p: (p.name, p.grid_code, p.id)
    )  # a name search pages by name
    assert f'href="/people/{by_name[-1].id}"' in second.text
    assert f'href="/people/{by_name[0].id}"' not in second.text
    assert 'data-testid="next-page"' not in second.text


def test_exact_search_is_a_logged_post(app_client, session, settings, city):
    person = add_person(session, settings, seed=7, name="王五")
    session.commit()
    login(app_client, session)
    token = token_of(app_client)
    number = resident_id(7)
    found = app_client.post(
        "/people/search", data={"csrf_token": token, "id_type": "resident_id", "id_number": number}
    )
    assert found.status_code == 200
    assert found.headers["cache-control"] == "no-store"
    results = found.text.split('data-testid="search-results"')[1].split("</article>")[0]
    assert f'href="/people/{person.id}"' in results and "王五" in results
    assert number not in found.text  # neither echoed nor shown: only the masked form
    assert person.id_number_masked in results
    assert [a.person_id for a in accesses(session, "search_id_number")] == [None, person.id]
    by_phone = app_client.post("/people/search", data={"csrf_token": token, "phone": "13900000007"})
    assert f'href="/people/{person.id}"' in by_phone.text
    assert app_client.get("/people/search").status_code == 422  # only POST searches


def test_exact_search_errors_are_shown_on_the_form(app_client, session, city):
    login(app_client, session)
    token = token_of(app_client)
    both = app_client.post(
        "/people/search", data={"csrf_token": token, "id_number": "x", "phone": "13900000000"}
    )
    assert both.status_code == 422
    assert 'data-code="person.search_criterion"' in both.text
    bad = app_client.post("/people/search", data={"csrf_token": token, "id_number": "1234"})
    assert bad.status_code == 422 and 'data-error="id_number"' in bad.text
    nobody = app_client.post(
        "/people/search", data={"csrf_token": token, "id_number": resident_id(99)}
    )
    assert nobody.status_code == 200 and 'data-testid="search-results"' in nobody.text
    forged = app_client.post("/people/search", data={"csrf_token": "x", "phone": "13900000000"})
    assert forged.status_code == 403


# --- create, edit, reveal ---------------------------------------------------------------------


def new_person_form(token: str, seed: int = 3, **fields: str) -> dict[str, str]:
    form = {
        "csrf_token": token,
        "name": "赵六",
        "id_type": "resident_id",
        "id_number": resident_id(seed),
        "phone": f"139{seed:08d}",
        "address": "道里区新阳路1号",
        "grid_code": GRID,
        "chronic_disease": "on",
        "group": "delivery",
        "employer": "某外卖平台",
    }
    return form | fields


def test_create_person_through_the_form(app_client, session, city):
    login(app_client, session)
    token = csrf_of(app_client.get("/people/new").text)
    response = app_client.post("/people/new", data=new_person_form(token), follow_redirects=False)
    assert response.status_code == 303
    person_id = int(response.headers["location"].rsplit("/", 1)[1])
    session.expire_all()
    person = session.get(Person, person_id)
    assert person.name == "赵六" and person.chronic_disease and not person.migrant
    groups = session.scalars(
        select(KeyGroupMembership).where(KeyGroupMembership.person_id == person_id)
    ).all()
    assert [g.group for g in groups] == ["delivery"]
    page = app_client.get(response.headers["location"])
    assert "赵六" in page.text and person.id_number_masked in page.text
    assert resident_id(3) not in page.text


def test_create_form_errors_keep_the_fields(app_client, session, settings, city):
    login(app_client, session)
    token = csrf_of(app_client.get("/people/new").text)
    number = resident_id(4)
    typo = number[:-1] + ("0" if number[-1] != "0" else "1")
    bad = app_client.post("/people/new", data=new_person_form(token, id_number=typo))
    assert bad.status_code == 422
    assert 'data-code="person.id_number_checksum"' in bad.text
    assert 'data-error="id_number"' in bad.text
    assert 'value="赵六"' in bad.text and 'value="道里区新阳路1号"' in bad.text
    assert 'name="chronic_disease" checked' in bad.text
    phone = app_client.post("/people/new", data=new_person_form(token, phone="12345"))
    assert phone.status_code == 422 and 'data-error="phone"' in phone.text
    grid = app_client.post("/people/new", data=new_person_form(token, grid_code=OTHER_GRID))
    assert grid.status_code == 422 and 'data-error="grid_code"' in grid.text
    empty = app_client.post("/people/new", data=new_person_form(token, name=" "))
    assert empty.status_code == 422 and 'data-error="name"' in empty.text
    add_person(session, settings, seed=4)
    session.commit()
    taken = app_client.post("/people/new", data=new_person_form(token, id_number=number))
    assert taken.status_code == 409 and 'data-code="person.duplicate_id_number"' in taken.text
    session.expire_all()
    assert session.scalars(select(Person).where(Person.name == "赵六")).first() is None


def test_a_likely_duplicate_shows_a_notice(app_client, session, settings, city):
    born = date(1980, 5, 6)
    add_person(session, settings, seed=5, name="孙七", id_number=resident_id(5, born=born))
    session.commit()
    login(app_client, session)
    token = csrf_of(app_client.get("/people/new").text)
    form = new_person_form(
        token, name="孙七", id_number=resident_id(6, born=born), phone="13900000005"
    )
    response = app_client.post("/people/new", data=form)
    assert response.status_code == 200
    assert str(response.url).endswith("?duplicates=1")
    notice = response.text.split('data-testid="duplicate-notice"')[1].split("</article>")[0]
    assert 'href="/people/duplicates"' in notice


def test_edit_changes_only_what_the_form_changed(app_client, session, settings, city):
    person = add_person(session, settings, seed=8)
    session.commit()
    login(app_client, session)
    page = app_client.get(f"/people/{person.id}")
    form = {
        "csrf_token": csrf_of(page.text),
        "name": person.name,
        "address": "道里区新地址9号",
        "grid_code": GRID,
        "household_id": "",
        "phone": "",
        "migrant": "on",
    }
    response = app_client.post(f"/people/{person.id}/edit", data=form, follow_redirects=False)
    assert response.status_code == 303
    session.expire_all()
    person = session.get(Person, person.id)
    assert person.address == "道里区新地址9号" and person.migrant
    assert person.phone_masked == "139****0008"  # an empty phone field keeps the number
    page = app_client.get(f"/people/{person.id}?lang=en").text
    timeline = page.split('data-testid="timeline"')[1]
    assert "Details changed: Address, Migrant worker" in timeline
    wrong = app_client.post(f"/people/{person.id}/edit", data=form | {"phone": "123"})
    assert wrong.status_code == 422 and 'data-error="phone"' in wrong.text
    assert 'open data-testid="edit"' in wrong.text
    nameless = app_client.post(f"/people/{person.id}/edit", data=form | {"name": ""})
    assert nameless.status_code == 422 and 'data-error="name"' in nameless.text
    cleared = app_client.post(f"/people/{person.id}/edit", data=form | {"clear_phone": "on"})
    assert cleared.status_code == 200
    session.expire_all()
    assert session.get(Person, person.id).phone_masked is None


def test_reveal_shows_the_number_once_and_is_logged(app_client, session, settings, city):
    person = add_person(session, settings, seed=9)
    session.commit()
    login(app_client, session)
    page = app_client.get(f"/people/{person.id}")
    assert resident_id(9) not in page.text
    assert 'data-testid="reveal-id_number"' in page.text
    token = csrf_of(page.text)
    shown = app_client.post(
        f"/people/{person.id}/reveal", data={"csrf_token": token, "field": "id_number"}
    )
    assert shown.status_code == 200
    assert shown.headers["cache-control"] == "no-store"
    assert f'data-testid="revealed-id">{resident_id(9)}<' in shown.text
    assert "13900000009" not in shown.text
    phone = app_client.post(
        f"/people/{person.id}/reveal", data={"csrf_token": token, "field": "phone"}
    )
    assert 'data-testid="revealed-phone">13900000009<' in phone.text
    assert len(accesses(session, "reveal_id_number")) == 1
    assert len(accesses(session, "reveal_phone")) == 1
    again = app_client.get(f"/people/{person.id}")
    assert resident_id(9) not in again.text
    bad = app_client.post(f"/people/{person.id}/reveal", data={"csrf_token": token, "field": "x"})
    assert bad.status_code == 422


def test_reveal_needs_the_permission_and_the_token(app_client, session, settings, city):
    person = add_person(session, settings, seed=10)
    session.commit()
    login(app_client, session, "sampler", "230102")
    page = app_client.get(f"/people/{person.id}")
    assert page.status_code == 200 and person.id_number_masked in page.text
    assert 'data-testid="reveal-' not in page.text
    token = csrf_of(page.text)
    refused = app_client.post(
        f"/people/{person.id}/reveal", data={"csrf_token": token, "field": "id_number"}
    )
    assert refused.status_code == 403 and resident_id(10) not in refused.text
    other = TestClient(app_client.app)
    login(other, session)
    forged = other.post(f"/people/{person.id}/reveal", data={"csrf_token": "x", "field": "phone"})
    assert forged.status_code == 403
    assert accesses(session, "reveal_id_number") == [] and accesses(session, "reveal_phone") == []


def test_opening_a_person_is_logged_and_listed_for_auditors(app_client, session, settings, city):
    person = add_person(session, settings, seed=11)
    session.commit()
    user = login(app_client, session)
    app_client.get(f"/people/{person.id}")
    page = app_client.get(f"/people/{person.id}")
    history = page.text.split('data-testid="person-access"')[1]
    assert history.count(f"<td>{user.username}</td>") == 2
    log = app_client.get("/people/access-log", params={"person_id": person.id})
    assert log.status_code == 200
    rows = log.text.split('data-testid="access-log"')[1]
    assert f'href="/people/{person.id}"' in rows and user.username in rows
    by_user = app_client.get("/people/access-log", params={"user_id": user.id + 1000})
    assert f'href="/people/{person.id}"' not in by_user.text.split('data-testid="access-log"')[1]


def test_key_groups_are_added_and_ended(app_client, session, settings, city):
    person = add_person(session, settings, seed=12)
    session.commit()
    login(app_client, session)
    token = csrf_of(app_client.get(f"/people/{person.id}").text)
    added = app_client.post(
        f"/people/{person.id}/key-groups",
        data={"csrf_token": token, "group": "cold_chain", "employer": "冷库", "start_date": ""},
        follow_redirects=False,
    )
    assert added.status_code == 303
    membership = session.scalars(
        select(KeyGroupMembership).where(KeyGroupMembership.person_id == person.id)
    ).one()
    ended = app_client.post(
        f"/people/{person.id}/key-groups/{membership.id}/end",
        data={"csrf_token": token, "end_date": "2100-01-01"},
        follow_redirects=False,
    )
    assert ended.status_code == 303
    session.expire_all()
    assert session.get(KeyGroupMembership, membership.id).end_date == date(2100, 1, 1)
    bad = app_client.post(
        f"/people/{person.id}/key-groups",
        data={
            "csrf_token": token,
            "group": "port",
            "start_date": "2022-05-01",
            "end_date": "2022-04-01",
        },
    )
    assert bad.status_code == 422 and 'data-code="person.key_group_dates"' in bad.text
    timeline = app_client.get(f"/people/{person.id}").text.split('data-testid="timeline"')[1]
    assert timeline.count("<li>") == 3  # registered, key group added, key group ended


# --- households ------------------------------------------------------------------------------


def test_households_are_created_and_members_managed(app_client, session, settings, city):
    alice = add_person(session, settings, seed=13, name="户主甲")
    bob = add_person(session, settings, seed=14, name="成员乙")
    make_region(session, "230102001002004")
    stranger = add_person(session, settings, seed=15, grid="230102001002004")
    session.commit()
    login(app_client, session)
    token = csrf_of(app_client.get("/households/new").text)
    created = app_client.post(
        "/households/new",
        data={"csrf_token": token, "grid_code": GRID, "address": "道里区某小区1-1", "ref": "A-1"},
        follow_redirects=False,
    )
    assert created.status_code == 303
    path = created.headers["location"]
    household_id = int(path.rsplit("/", 1)[1])
    for person, head in ((alice, "on"), (bob, "")):
        added = app_client.post(
            f"{path}/members",
            data={"csrf_token": token, "person_id": person.id, "head": head},
            follow_redirects=False,
        )
        assert added.status_code == 303
    page = app_client.get(path)
    assert "户主甲" in page.text and "成员乙" in page.text
    assert f'data-testid="make-head-{bob.id}"' in page.text
    assert f'data-testid="make-head-{alice.id}"' not in page.text
    app_client.post(f"{path}/head", data={"csrf_token": token, "person_id": bob.id})
    session.expire_all()
    assert session.get(Household, household_id).head_id == bob.id
    wrong = app_client.post(f"{path}/members", data={"csrf_token": token, "person_id": stranger.id})
    assert wrong.status_code == 422 and 'data-code="household.grid_mismatch"' in wrong.text
    app_client.post(f"{path}/members/{alice.id}/remove", data={"csrf_token": token})
    session.expire_all()
    assert session.get(Person, alice.id).household_id is None
    listing = app_client.get("/households", params={"region": GRID})
    assert f'href="/households/{household_id}"' in listing.text and "成员乙" in listing.text
    taken = app_client.post(
        "/households/new",
        data={"csrf_token": token, "grid_code": GRID, "address": "另一户", "ref": "A-1"},
    )
    assert taken.status_code == 409 and 'data-error="ref"' in taken.text
    blank = app_client.post(
        "/households/new", data={"csrf_token": token, "grid_code": GRID, "address": ""}
    )
    assert blank.status_code == 422 and 'data-error="address"' in blank.text


# --- ledger, counts, load -------------------------------------------------------------------


def test_ledger_page_and_download_are_masked(app_client, session, settings, city):
    household = add_household(session, ref="101")
    member = add_person(session, settings, seed=16, name="台账甲", household_id=household.id)
    loose = add_person(session, settings, seed=17, name="台账乙")
    worker = make_user(session, role="grid_worker", region_code=GRID, username="gw-ledger")
    session.add(GridAssignment(grid_code=GRID, user_id=worker.id))
    session.commit()
    login(app_client, session)
    page = app_client.get(f"/ledger/{GRID}")
    assert page.status_code == 200
    assert "gw-ledger" in page.text
    households = page.text.split('data-testid="ledger-households"')[1].split("</table>")[0]
    assert "台账甲" in households and "101" in households
    assert "台账乙" in page.text.split('data-testid="ledger-loose"')[1]
    assert 'data-count="residents"' in page.text
    residents = page.text.split('data-count="residents"')[1].split("</article>")[0]
    assert ">2<" in residents
    assert resident_id(16) not in page.text and member.id_number_masked in page.text
    download = app_client.get(f"/ledger/{GRID}.xlsx")
    assert download.status_code == 200
    assert download.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert f"ledger-{GRID}.xlsx" in download.headers["content-disposition"]
    cells = [
        str(c) for row in load_workbook(io.BytesIO(download.content)).active.values for c in row
    ]
    assert "台账甲" in cells and member.id_number_masked in cells and loose.phone_masked in cells
    assert resident_id(16) not in cells and "13900000016" not in cells
    assert len(accesses(session, "export_ledger")) == 1


def test_counts_drill_down(app_client, session, settings, city):
    add_person(session, settings, seed=18, migrant=True)
    session.commit()
    login(app_client, session)
    district = app_client.get("/counts")
    assert district.status_code == 200
    assert "道里区" in district.text
    assert 'href="/counts/230102001"' in district.text
    street = app_client.get("/counts/230102001")
    assert 'href="/counts/230102"' in street.text  # the breadcrumb leads back up
    assert 'href="/counts/230102001002"' in street.text
    community = app_client.get("/counts/230102001002")
    assert f'href="/ledger/{GRID}"' in community.text
    migrants = community.text.split('data-count="migrants"')[1].split("</article>")[0]
    assert ">1<" in migrants
    grid = app_client.get(f"/counts/{GRID}")
    assert 'data-testid="open-ledger"' in grid.text
    assert app_client.get("/counts/2301").status_code == 422


def test_worker_load_flags_unstaffed_and_overloaded(session, settings, db, city):
    make_region(session, "230102001002004")
    add_household(session, grid=GRID)
    add_household(session, grid=GRID, address="二号")
    add_household(session, grid="230102001002004")
    worker = make_user(session, role="grid_worker", region_code=GRID)
    session.add(GridAssignment(grid_code=GRID, user_id=worker.id))
    service.recount_all(session)
    session.commit()
    strict = settings.model_copy(update={"grid_worker_max_households": 1})
    with TestClient(create_app(strict, database=db)) as client:
        login(client, session)
        page = client.get("/worker-load", params={"region": "230102001"})
        assert page.status_code == 200
        table = page.text.split('data-testid="worker-load"')[1]
        overloaded = table.split(f'data-grid="{GRID}"')[1].split("</tr>")[0]
        assert "tag-alert" in overloaded and "2.0" in overloaded
        unstaffed = table.split('data-grid="230102001002004"')[1].split("</tr>")[0]
        assert "tag-alert" in unstaffed
        problems = client.get("/worker-load", params={"region": "", "problems": "on"})
        assert problems.status_code == 200 and 'data-grid="230102001002004"' in problems.text
        assert 'data-grid="230102001002003"' in problems.text


# --- duplicates and import --------------------------------------------------------------------


def make_pair(session, settings, seed: int) -> tuple[Person, Person, DuplicateCandidate]:
    born = date(1970, 1, 1)
    phone = f"137{seed:08d}"
    first = add_person(
        session, settings, seed, name="重复", id_number=resident_id(seed, born=born), phone=phone
    )
    second = add_person(
        session,
        settings,
        seed + 1,
        name="重复",
        id_number=resident_id(seed + 1, born=born),
        phone=phone,
    )
    pair = session.scalars(
        select(DuplicateCandidate).where(DuplicateCandidate.person_id == second.id)
    ).one()
    return first, second, pair


def test_duplicates_are_compared_and_merged(app_client, session, settings, city):
    first, second, pair = make_pair(session, settings, 20)
    session.commit()
    login(app_client, session)
    listing = app_client.get("/people/duplicates")
    assert f'href="/people/duplicates/{pair.id}"' in listing.text
    page = app_client.get(f"/people/duplicates/{pair.id}")
    assert page.status_code == 200
    compare = page.text.split('data-testid="compare"')[1]
    assert first.id_number_masked in compare and second.id_number_masked in compare
    assert resident_id(20, born=date(1970, 1, 1)) not in page.text
    merged = app_client.post(
        f"/people/duplicates/{pair.id}/merge",
        data={"csrf_token": csrf_of(page.text), "keep_id": first.id},
        follow_redirects=False,
    )
    assert merged.status_code == 303 and merged.headers["location"] == f"/people/{first.id}"
    session.expire_all()
    assert session.get(DuplicateCandidate, pair.id).status == DuplicateStatus.MERGED
    assert session.get(Person, second.id).merged_into_id == first.id
    again = app_client.post(
        f"/people/duplicates/{pair.id}/merge",
        data={"csrf_token": csrf_of(page.text), "keep_id": first.id},
    )
    assert again.status_code == 409 and 'data-code="person.duplicate_decided"' in again.text
    history = app_client.get(f"/people/{second.id}")
    assert 'data-testid="merged-notice"' in history.text
    assert f'action="/people/{second.id}/edit"' not in history.text


def test_duplicates_can_be_dismissed(app_client, session, settings, city):
    _, _, pair = make_pair(session, settings, 30)
    session.commit()
    login(app_client, session)
    token = token_of(app_client)
    response = app_client.post(
        f"/people/duplicates/{pair.id}/dismiss", data={"csrf_token": token}, follow_redirects=False
    )
    assert response.status_code == 303
    session.expire_all()
    assert session.get(DuplicateCandidate, pair.id).status == DuplicateStatus.DISMISSED
    dismissed = app_client.get("/people/duplicates", params={"status": "dismissed"})
    assert f'href="/people/duplicates/{pair.id}"' in dismissed.text
    assert f'href="/people/duplicates/{pair.id}"' not in app_client.get("/people/duplicates").text


def import_csv(*rows: str) -> bytes:
    return ("name,id_number,phone,grid_code\n" + "".join(r + "\n" for r in rows)).encode()


def test_import_reports_counts_and_rejected_rows(app_client, session, city):
    login(app_client, session)
    page = app_client.get("/people/import")
    assert 'href="/people/import/template.xlsx"' in page.text
    token = csrf_of(page.text)
    body = import_csv(
        f"导入甲,{resident_id(40)},13900000040,{GRID}",
        f"导入乙,{resident_id(41)[:-1]}Y,13900000041,{GRID}",
    )
    dry = app_client.post(
        "/people/import",
        data={"csrf_token": token, "dry_run": "true"},
        files={"file": ("people.csv", body, "text/csv")},
    )
    assert dry.status_code == 200
    report = dry.text.split('data-testid="import-report"')[1].split("</article>\n{%")[0]
    assert 'data-testid="rejected-count">1<' in report
    assert "<td>3</td>" in report
    session.expire_all()
    assert session.scalars(select(Person).where(Person.name == "导入甲")).first() is None
    real = app_client.post(
        "/people/import",
        data={"csrf_token": token},
        files={"file": ("people.csv", body, "text/csv")},
    )
    assert real.status_code == 200
    session.expire_all()
    assert session.scalars(select(Person).where(Person.name == "导入甲")).one().grid_code == GRID
    unreadable = app_client.post(
        "/people/import",
        data={"csrf_token": token},
        files={"file": ("people.csv", b"a,b\n1,2\n", "text/csv")},
    )
    assert unreadable.status_code == 422 and 'role="alert"' in unreadable.text


def test_import_templates_download(app_client, session):
    login(app_client, session)
    csv_file = app_client.get("/people/import/template.csv")
    assert csv_file.status_code == 200 and csv_file.headers["content-type"].startswith("text/csv")
    assert "people-template.csv" in csv_file.headers["content-disposition"]
    xlsx = app_client.get("/people/import/template.xlsx")
    assert load_workbook(io.BytesIO(xlsx.content)).active.max_row >= 2


# --- language ---------------------------------------------------------------------------------


def test_pages_render_in_english(app_client, session, settings, city):
    person = add_person(session, settings, seed=50, elderly_alone=True)
    session.commit()
    login(app_client, session)
    people = app_client.get("/people?lang=en")
    assert '<html lang="en"' in people.text
    assert "Exact search by ID number or phone" in people.text
    assert "Elderly living alone" in people.text and "Resident ID card" in people.text
    detail = app_client.get(f"/people/{person.id}?lang=en")
    assert "Reveal the ID number" in detail.text and "Timeline" in detail.text
    counts = app_client.get("/counts?lang=en")
    assert "Seven counts of" in counts.text and "Arrivals from abroad" in counts.text
    ledger = app_client.get(f"/ledger/{GRID}.xlsx?lang=en")
    header = list(load_workbook(io.BytesIO(ledger.content)).active.values)[1]
    assert "ID number" in header
    assert '<html lang="zh-CN"' in app_client.get("/people").text
