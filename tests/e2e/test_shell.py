"""The shell in a real browser: login, Chinese by default, the region tree, English, logout."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from e2e.support import PHONE, Server, login

pytestmark = pytest.mark.e2e

STREETS_CSV = "code,name,level,parent_code\n230102001,兆麟街道,street,230102\n"


@pytest.fixture(scope="module", autouse=True)
def streets(server: Server, tmp_path_factory: pytest.TempPathFactory) -> None:
    """道里区 gets a street, so its node in the tree has children to load."""
    csv = Path(tmp_path_factory.mktemp("regions"), "streets.csv")
    csv.write_text(STREETS_CSV, encoding="utf-8")
    server.cli("regions", "import", str(csv))


def test_login_shows_chinese_home_and_logout_returns_to_login(page: Page, server: Server) -> None:
    login(page, server.accounts["e2e_admin"])

    expect(page).to_have_url(f"{server.base_url}/")
    expect(page.locator("html")).to_have_attribute("lang", re.compile(r"^zh"))
    expect(page.get_by_role("heading", level=2)).to_have_text("欢迎,e2e_admin")
    expect(page.get_by_test_id("role")).to_have_text("市指挥部")
    nav = page.locator(".nav-links")
    expect(nav.get_by_role("link", name="区划")).to_be_visible()
    expect(nav.get_by_role("link", name="用户管理")).to_be_visible()
    expect(page.get_by_test_id("logout")).to_contain_text("退出")

    page.get_by_test_id("logout").click()

    expect(page).to_have_url(re.compile(r"/login$"))
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login"))


def test_wrong_password_shows_the_error(page: Page, server: Server) -> None:
    login(page, server.accounts["e2e_admin"], password="not-the-password")

    expect(page).to_have_url(re.compile(r"/login$"))
    expect(page.get_by_role("alert")).to_have_text("用户名或密码错误。")
    expect(page.locator("input[name=username]")).to_have_value("e2e_admin")


def test_region_tree_shows_the_city_and_its_districts(admin_page: Page) -> None:
    admin_page.goto("/regions")

    names = admin_page.get_by_test_id("region-tree").locator(".region-name")
    for name in ("哈尔滨市", "道里区", "南岗区"):
        expect(names.filter(has_text=name)).to_be_visible()


def test_opening_a_district_loads_its_streets(admin_page: Page) -> None:
    admin_page.goto("/regions")
    summary = admin_page.get_by_test_id("region-tree").locator("summary", has_text="道里区")
    district = summary.locator("xpath=..")
    expect(district).not_to_have_attribute("open", "")
    expect(district.locator(".children")).to_be_empty()

    summary.click()

    expect(district).to_have_attribute("open", "")
    expect(district.locator(".children")).to_contain_text("兆麟街道")
    expect(district.locator(".children")).to_contain_text("230102001")


def test_english_switch_translates_the_shell(admin_page: Page) -> None:
    admin_page.goto("/regions")

    admin_page.get_by_test_id("lang-en").click()

    expect(admin_page).to_have_url(re.compile(r"/regions$"))
    expect(admin_page.locator("html")).to_have_attribute("lang", "en")
    expect(admin_page.locator(".nav-links").get_by_role("link", name="Regions")).to_be_visible()
    expect(admin_page.get_by_test_id("logout")).to_contain_text("Log out")
    expect(admin_page.get_by_role("heading", name="Region tree")).to_be_visible()
    expect(admin_page.get_by_test_id("lang-zh")).to_have_text("中文")


def test_district_officer_sees_only_the_district(page: Page, server: Server) -> None:
    login(page, server.accounts["e2e_daoli"], next_path="/regions")

    expect(page).to_have_url(f"{server.base_url}/regions")
    tree = page.get_by_test_id("region-tree")
    roots = tree.locator(":scope > ul > li")
    expect(roots).to_have_count(1)
    expect(roots.locator("summary").first).to_contain_text("道里区")
    expect(tree).not_to_contain_text("哈尔滨市")
    expect(tree).not_to_contain_text("南岗区")
    expect(tree).to_contain_text("兆麟街道")
    assert page.request.get("/regions/230103/children").status == 404


PHONE_PAGES = {
    "login": "/login",
    "home": "/",
    "regions": "/regions",
    "users": "/users",
    "audit": "/audit",
    "policy": "/policy",
}


@pytest.mark.parametrize("path", PHONE_PAGES.values(), ids=PHONE_PAGES.keys())
def test_page_fits_a_phone(page: Page, server: Server, admin_cookies: list[Any], path: str) -> None:
    if path != "/login":
        page.context.add_cookies(admin_cookies)
    page.set_viewport_size(PHONE)

    page.goto(path)
    page.wait_for_load_state("networkidle")

    expect(page).to_have_url(re.compile(re.escape(path) + "$"))
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{path} scrolls sideways: {width}px > {PHONE['width']}px"
