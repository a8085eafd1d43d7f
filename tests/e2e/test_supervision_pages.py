"""The supervision pages in a real browser: the overview (report sentence, red and black
lists), the problems page and the video-point ledger, zh and en. Screenshots go to
``test-artifacts/screenshots/supervision-*.png``. Data in 道外区 (230104), made with the CLI."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from e2e.support import DESKTOP, PHONE, Server

pytestmark = pytest.mark.e2e

REGIONS_CSV = (
    "code,name,level,parent_code\n"
    "230104001,靖宇街道,street,230104\n"
    "230104001001,靖宇社区,community,230104001\n"
)


@pytest.fixture(scope="module", autouse=True)
def ledger(server: Server, tmp_path_factory: pytest.TempPathFactory) -> None:
    folder = tmp_path_factory.mktemp("supervision")
    regions, communities, points = (Path(folder, n) for n in ("r.csv", "c.csv", "p.csv"))
    regions.write_text(REGIONS_CSV, encoding="utf-8")
    communities.write_text(
        "名称,区划代码,地址\n靖宇花园,230104001001,靖宇街9号\n", encoding="utf-8"
    )
    server.cli("regions", "import", str(regions))
    server.cli("supervision", "import-communities", str(communities))
    listed = server.cli("supervision", "import-video-points", "--help")
    assert "小区编号" in listed
    points.write_text("名称,小区编号,状态\n靖宇花园东门,1,故障\n", encoding="utf-8")
    server.cli("supervision", "import-video-points", str(points))


def shot(page: Page, name: str) -> None:
    folder = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"supervision-{name}.png"), full_page=True)


def test_overview_problems_and_video_points(admin_page: Page) -> None:
    tab = admin_page
    for label, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        tab.set_viewport_size(viewport)
        tab.goto("/supervision")
        expect(tab.get_by_test_id("report-text")).to_contain_text("六大方面进行督导检查")
        shot(tab, f"overview-{label}")
    tab.set_viewport_size(DESKTOP)
    tab.goto("/supervision?lang=en")
    expect(tab.get_by_test_id("report-text")).to_contain_text("six aspects")
    tab.goto("/supervision/video-points")
    expect(tab.get_by_test_id("video-points")).to_contain_text("靖宇花园东门")
    shot(tab, "video-points")
    tab.goto("/supervision/problems?overdue=true")
    expect(tab.get_by_test_id("problems")).to_be_visible()
