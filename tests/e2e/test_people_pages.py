"""The people pages in a real browser: list, person, reveal, exact search, ledger, counts.

The data lives in 南岗区 (230103), which the shell tests leave alone: a street, a community, two
grids, and people imported with the real ``fangkong people import`` command.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from e2e.support import PHONE, Server
from factories import resident_id

pytestmark = pytest.mark.e2e

GRID = "230103001001001"
REGIONS_CSV = (
    "code,name,level,parent_code\n"
    "230103001,花园街道,street,230103\n"
    "230103001001,花园社区,community,230103001\n"
    f"{GRID},花园一网格,grid,230103001001\n"
    "230103001001002,花园二网格,grid,230103001001\n"
)
PEOPLE = (  # name, seed, phone, household number, head
    ("浏览甲", 301, "13812340301", "H1", "是"),
    ("浏览乙", 302, "13812340302", "H1", "否"),
    ("浏览丙", 303, "", "", ""),
)


def people_csv() -> str:
    rows = ["姓名,证件号码,手机号码,现住址,网格编码,户号,户主,独居老人"]
    for name, seed, phone, ref, head in PEOPLE:
        number = resident_id(seed, region="230103")
        rows.append(f"{name},{number},{phone},南岗区花园街1号,{GRID},{ref},{head},否")
    return "\n".join(rows) + "\n"


@pytest.fixture(scope="module", autouse=True)
def people(server: Server, tmp_path_factory: pytest.TempPathFactory) -> None:
    folder = tmp_path_factory.mktemp("people")
    regions = Path(folder, "regions.csv")
    regions.write_text(REGIONS_CSV, encoding="utf-8")
    server.cli("regions", "import", str(regions))
    csv = Path(folder, "people.csv")
    csv.write_text(people_csv(), encoding="utf-8")
    server.cli("people", "import", str(csv))


def open_person(page: Page, name: str) -> None:
    page.goto("/people?region=230103")
    page.get_by_test_id("people").get_by_role("link", name=name).click()
    expect(page.get_by_test_id("person-name")).to_contain_text(name)


def test_list_shows_people_masked(admin_page: Page) -> None:
    admin_page.goto("/people?region=230103")

    table = admin_page.get_by_test_id("people")
    for name, *_ in PEOPLE:
        expect(table.get_by_role("link", name=name)).to_be_visible()
    expect(table).to_contain_text("138****0301")
    expect(table).not_to_contain_text("13812340301")
    expect(table).not_to_contain_text(resident_id(301, region="230103"))


def test_person_page_reveals_the_id_number_once(admin_page: Page) -> None:
    number = resident_id(301, region="230103")
    open_person(admin_page, "浏览甲")
    identity = admin_page.get_by_test_id("identity")
    expect(identity.get_by_test_id("masked-id")).to_have_text(number[:4] + "*" * 10 + number[-4:])
    expect(admin_page.get_by_test_id("household")).to_contain_text("浏览乙")

    admin_page.get_by_test_id("reveal-id_number").click()

    expect(admin_page.get_by_test_id("revealed-id")).to_have_text(number)
    expect(admin_page.get_by_test_id("revealed-note")).to_be_visible()
    admin_page.goto(admin_page.url.replace("/reveal", ""))
    expect(admin_page.get_by_test_id("masked-id")).to_be_visible()
    expect(admin_page.locator("main")).not_to_contain_text(number)


def test_exact_search_finds_by_id_number(admin_page: Page) -> None:
    admin_page.goto("/people")
    admin_page.get_by_test_id("exact-search").locator("xpath=..").locator("summary").click()
    form = admin_page.get_by_test_id("exact-search")
    form.locator("input[name=id_number]").fill(resident_id(302, region="230103"))

    form.get_by_role("button").click()

    expect(admin_page).to_have_url(re.compile(r"/people/search$"))
    results = admin_page.get_by_test_id("search-results")
    expect(results.get_by_role("link", name="浏览乙")).to_be_visible()
    expect(results).not_to_contain_text(resident_id(302, region="230103"))


def test_counts_drill_down_to_the_ledger(admin_page: Page) -> None:
    admin_page.goto("/counts")
    expect(admin_page.get_by_test_id("counts-title")).to_contain_text("哈尔滨市")

    admin_page.get_by_test_id("child-230103").click()
    expect(admin_page.get_by_test_id("counts-title")).to_contain_text("南岗区")
    admin_page.get_by_test_id("child-230103001").click()
    admin_page.get_by_test_id("child-230103001001").click()
    residents = admin_page.locator("[data-count=residents] .count-value")
    expect(residents).to_have_text("3")
    admin_page.get_by_test_id(f"child-{GRID}").click()

    expect(admin_page).to_have_url(re.compile(f"/ledger/{GRID}$"))
    expect(admin_page.get_by_test_id("ledger-title")).to_contain_text("花园一网格")
    households = admin_page.get_by_test_id("ledger-households")
    expect(households).to_contain_text("浏览甲")
    expect(households).to_contain_text("H1")
    expect(admin_page.get_by_test_id("ledger-loose")).to_contain_text("浏览丙")
    expect(admin_page.get_by_role("navigation", name="breadcrumb")).to_contain_text("花园社区")


def test_ledger_downloads_a_masked_workbook(admin_page: Page) -> None:
    admin_page.goto(f"/ledger/{GRID}")

    with admin_page.expect_download() as info:
        admin_page.get_by_test_id("ledger-download").click()

    download = info.value
    assert download.suggested_filename == f"ledger-{GRID}.xlsx"
    body = Path(download.path()).read_bytes()
    cells = {str(c) for row in load_workbook(io.BytesIO(body)).active.values for c in row}
    assert "浏览甲" in cells and "138****0301" in cells
    assert resident_id(301, region="230103") not in cells and "13812340301" not in cells


def test_register_a_person_through_the_form(admin_page: Page) -> None:
    admin_page.goto("/people/new")
    admin_page.fill("input[name=name]", "浏览丁")
    admin_page.fill("input[name=id_number]", resident_id(304, region="230103"))
    admin_page.fill("input[name=grid_code]", "230103001001002")
    admin_page.fill("input[name=phone]", "12")

    admin_page.get_by_test_id("create-person").click()

    expect(admin_page.locator("[data-error=phone]")).to_be_visible()
    expect(admin_page.locator("input[name=name]")).to_have_value("浏览丁")
    admin_page.fill("input[name=phone]", "13812340304")
    admin_page.get_by_test_id("create-person").click()
    expect(admin_page.get_by_test_id("person-name")).to_have_text("浏览丁")
    expect(admin_page.get_by_test_id("masked-phone")).to_have_text("138****0304")


def test_english_person_page(admin_page: Page) -> None:
    open_person(admin_page, "浏览乙")
    admin_page.get_by_test_id("lang-en").click()

    expect(admin_page.locator("html")).to_have_attribute("lang", "en")
    expect(admin_page.get_by_test_id("identity")).to_contain_text("Resident ID card")
    expect(admin_page.get_by_test_id("reveal-id_number")).to_have_text("Reveal the ID number")
    admin_page.get_by_test_id("lang-zh").click()
    expect(admin_page.locator("html")).to_have_attribute("lang", re.compile(r"^zh"))


PHONE_PAGES = {
    "people": "/people",
    "ledger": f"/ledger/{GRID}",
    "counts": "/counts/230103",
    "worker-load": "/worker-load",
    "new-person": "/people/new",
}


@pytest.mark.parametrize("path", PHONE_PAGES.values(), ids=PHONE_PAGES.keys())
def test_people_pages_fit_a_phone(page: Page, admin_cookies: list[Any], path: str) -> None:
    page.context.add_cookies(admin_cookies)
    page.set_viewport_size(PHONE)

    page.goto(path)
    page.wait_for_load_state("networkidle")

    expect(page.locator("main h2").first).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{path} scrolls sideways: {width}px > {PHONE['width']}px"
