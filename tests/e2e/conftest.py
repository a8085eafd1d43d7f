"""Browser tests: the real server in a subprocess on a free loopback port, driven by Chromium.

The server runs ``fangkong serve`` against a database of its own: a temporary SQLite file, or,
when FANGKONG_TEST_DATABASE_URL points at PostgreSQL, a separate ``<name>_e2e`` database that
is dropped and created here, so the main test database is never touched. Playwright drives
Debian's Chromium (``/usr/bin/chromium``); ``playwright install`` is never needed.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, Response, sync_playwright

from databases import database_name, recreate_postgres, with_database, worker_suffix
from e2e.support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    DESKTOP,
    START_TIMEOUT_SECONDS,
    Server,
    fangkong_command,
    login,
)
from fangkong.core.security import new_key


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# --- the database ------------------------------------------------------------------------


@pytest.fixture(scope="session")
def e2e_database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    main = os.environ.get("FANGKONG_TEST_DATABASE_URL")
    if not main:
        yield f"sqlite:///{tmp_path_factory.mktemp('e2e-db') / 'e2e.db'}"
        return
    rendered = with_database(main, f"{database_name(main)}_e2e{worker_suffix()}")
    recreate_postgres(rendered, create=True)
    yield rendered
    recreate_postgres(rendered, create=False)


# --- the server --------------------------------------------------------------------------


def _server_env(database_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FANGKONG_")}
    return env | {
        "FANGKONG_DATABASE_URL": database_url,
        "FANGKONG_SECRET_KEY": new_key(),
        "FANGKONG_DATA_KEY": new_key(),
        "FANGKONG_ENV": "demo",
        "FANGKONG_LOG_JSON": "false",
    }


def _wait_until_healthy(process: subprocess.Popen[bytes], base_url: str, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"server exited {process.returncode}:\n{log.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(f"{base_url}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:  # refused, reset or timed out while it boots
            time.sleep(0.2)
    pytest.fail(
        f"server not healthy after {START_TIMEOUT_SECONDS}s:\n{log.read_text(errors='replace')}"
    )


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


USERS = [("e2e_admin", "city_admin", "230100"), ("e2e_daoli", "district_officer", "230102")]


def _artifacts(config: pytest.Config) -> Path:
    folder = Path(config.rootpath, "test-artifacts")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _start(srv: Server, port: int, log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as sink:
        return subprocess.Popen(
            [fangkong_command(), "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=srv.env,
            cwd=srv.workdir,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )


@pytest.fixture(scope="session")
def server(e2e_database_url: str, pytestconfig: pytest.Config) -> Iterator[Server]:
    """The real server with a migrated database, a city admin and a 道里区 district officer.

    Its output goes to ``test-artifacts/e2e-server.log``."""
    with tempfile.TemporaryDirectory(prefix="fangkong-e2e-") as tmp:
        port = _free_port()
        srv = Server(f"http://127.0.0.1:{port}", _server_env(e2e_database_url), Path(tmp))
        srv.cli("db", "upgrade")
        log = _artifacts(pytestconfig) / "e2e-server.log"
        process = _start(srv, port, log)
        try:
            with ThreadPoolExecutor() as pool:  # each CLI start costs ~1.5 s: overlap them
                list(pool.map(srv.create_user, *zip(*USERS, strict=True)))
            _wait_until_healthy(process, srv.base_url, log)
            yield srv
        finally:
            _stop(process)


# --- the browser -------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `bash scripts/system-deps.sh` (as root)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


def _screenshot_path(request: pytest.FixtureRequest) -> Path:
    name = re.sub(r"[^\w.-]+", "_", request.node.name).strip("_")
    folder = _artifacts(request.config) / "screenshots"
    folder.mkdir(exist_ok=True)
    return folder / f"{name}.png"


@pytest.fixture
def page(browser: Browser, server: Server, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A fresh context (no cookies, a Chinese phone's Accept-Language); after the test, a
    full-page screenshot, and a failure if the server answered any request with a 5xx."""
    context = browser.new_context(base_url=server.base_url, locale="zh-CN", viewport=DESKTOP)
    context.set_default_timeout(10_000)
    page = context.new_page()
    server_errors: list[str] = []

    def note_server_error(response: Response) -> None:
        if response.status >= 500:
            server_errors.append(f"{response.status} {response.url}")

    page.on("response", note_server_error)
    try:
        yield page
    finally:
        try:
            page.screenshot(path=str(_screenshot_path(request)), full_page=True)
        finally:
            context.close()
    if server_errors:
        pytest.fail(f"server errors (see test-artifacts/e2e-server.log): {server_errors}")


@pytest.fixture(scope="session")
def admin_cookies(browser: Browser, server: Server) -> list[Any]:
    """One login of the city admin, shared by tests that do not log out."""
    context = browser.new_context(base_url=server.base_url)
    page = context.new_page()
    login(page, server.accounts["e2e_admin"])
    page.wait_for_url(f"{server.base_url}/")
    cookies: list[Any] = list(context.cookies())
    context.close()
    return cookies


@pytest.fixture
def admin_page(page: Page, admin_cookies: list[Any]) -> Page:
    page.context.add_cookies(admin_cookies)
    return page
