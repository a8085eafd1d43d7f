"""Helpers for the browser tests: the accounts, the server handle and the login form."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

import pyotp
import pytest
from playwright.sync_api import Page

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORD = "e2e-Passw0rd-long-enough"
START_TIMEOUT_SECONDS = 30.0
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}


@dataclass
class Account:
    """A user the server knows, with its TOTP secret; each login needs an unused time step."""

    username: str
    role: str
    region: str
    totp: pyotp.TOTP | None = None
    last_step: int = 0

    def next_code(self) -> str:
        """A code for the oldest step not used yet; the server allows one step ahead."""
        assert self.totp is not None
        step = max(self._current_step(), self.last_step + 1)
        while step > self._current_step() + 1:
            time.sleep(0.5)
        self.last_step = step
        return self.totp.at(step * self.totp.interval)

    def _current_step(self) -> int:
        assert self.totp is not None
        return int(time.time()) // self.totp.interval


@dataclass
class Server:
    base_url: str
    env: dict[str, str]
    workdir: Path
    accounts: dict[str, Account] = field(default_factory=dict)

    def cli(self, *args: str, stdin: str | None = None) -> str:
        """Run ``fangkong ARGS`` against the server's database; fail with its output."""
        done = subprocess.run(
            [fangkong_command(), *args],
            input=stdin,
            capture_output=True,
            text=True,
            env=self.env,
            cwd=self.workdir,
            timeout=60,
            check=False,
        )
        if done.returncode != 0:
            pytest.fail(f"fangkong {' '.join(args)} exited {done.returncode}:\n{done.stderr}")
        return done.stdout

    def create_user(self, username: str, role: str, region: str) -> Account:
        out = self.cli(
            "users",
            "create",
            username,
            "--role",
            role,
            "--region",
            region,
            "--password-stdin",
            stdin=PASSWORD + "\n",
        )
        account = Account(username, role, region, totp=_totp_from(out))
        self.accounts[username] = account
        return account


def fangkong_command() -> str:
    local = Path(sys.prefix, "bin", "fangkong")
    return str(local) if local.exists() else (shutil.which("fangkong") or "fangkong")


def _totp_from(cli_output: str) -> pyotp.TOTP | None:
    match = re.search(r"otpauth://\S+", cli_output)
    if match is None:
        return None
    secret = parse_qs(urlsplit(match.group(0)).query)["secret"][0]
    return pyotp.TOTP(secret)


def login(page: Page, account: Account, password: str = PASSWORD, next_path: str = "/") -> None:
    """Fill the login form and submit; the caller asserts where it lands."""
    page.goto(f"/login?next={quote(next_path)}")
    page.fill("input[name=username]", account.username)
    page.fill("input[name=password]", password)
    if account.totp is not None and password == PASSWORD:
        page.fill("input[name=otp]", account.next_code())
    page.click("[data-testid=login-submit]")
