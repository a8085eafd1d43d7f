"""The venue pages in a real browser: list, detail (QR image, a new place code), the poster;
desktop and a 390 px phone. Screenshots go to ``test-artifacts/screenshots/venues-*.png``.

The data lives in 道外区 (230104): its grid and two venues, made with the real CLI.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from e2e.support import DESKTOP, PHONE, Server

pytestmark = pytest.mark.e2e

GRID = "230104001001001"
REGIONS_CSV = (
    "code,name,level,parent_code\n"
    "230104001,靖宇街道,street,230104\n"
    "230104001001,靖宇社区,community,230104001\n"
    f"{GRID},靖宇一网格,grid,230104001001\n"
)
VENUES_CSV = f"名称,类型,区划代码,地址\n靖宇大药房超市,超市,{GRID},靖宇街18号\n哈尔滨东站,车站机场,230104001,\n"


@pytest.fixture(scope="module", autouse=True)
def venues(server: Server, tmp_path_factory: pytest.TempPathFactory) -> None:
    folder = tmp_path_factory.mktemp("venues")
    regions, listing = Path(folder, "regions.csv"), Path(folder, "venues.csv")
    regions.write_text(REGIONS_CSV, encoding="utf-8")
    listing.write_text(VENUES_CSV, encoding="utf-8")
    server.cli("regions", "import", str(regions))
    server.cli("venues", "import", str(listing))


def shot(page: Page, name: str) -> None:
    folder = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"venues-{name}.png"), full_page=True)


def qr_loaded(page: Page) -> bool:
    """The QR image has arrived and decoded (waits for it)."""
    check = "() => { const i = document.querySelector('[data-testid=qr]'); "
    check += "return i && i.complete && i.naturalWidth > 0; }"
    page.wait_for_function(check)
    return True


def test_list_detail_rotate_and_poster(admin_page: Page) -> None:
    tab = admin_page
    for label, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        tab.set_viewport_size(viewport)
        tab.goto("/venues?region=230104")
        expect(tab.get_by_test_id("venues")).to_contain_text("哈尔滨东站")
        shot(tab, f"list-{label}")
    tab.set_viewport_size(DESKTOP)
    tab.get_by_test_id("venues").get_by_role("link", name="靖宇大药房超市").click()
    expect(tab.get_by_test_id("venue-name")).to_have_text("靖宇大药房超市")
    assert qr_loaded(tab)
    before = tab.get_by_test_id("place-code").inner_text()
    tab.get_by_test_id("rotate").click()
    expect(tab.get_by_test_id("place-code")).not_to_have_text(before)
    assert qr_loaded(tab)
    shot(tab, "detail-desktop")
    tab.set_viewport_size(PHONE)
    tab.reload()
    shot(tab, "detail-phone")
    tab.get_by_test_id("poster-link").click()
    expect(tab.get_by_test_id("poster-name")).to_have_text("靖宇大药房超市")
    expect(tab.get_by_test_id("poster")).to_contain_text("请使用手机扫码登记")
    assert tab.locator("[data-testid=poster-qr] svg").count() == 1
    shot(tab, "poster-phone")
    tab.set_viewport_size(DESKTOP)
    tab.reload()
    shot(tab, "poster-desktop")
    tab.emulate_media(media="print")
    expect(tab.locator(".poster-tools")).to_be_hidden()
