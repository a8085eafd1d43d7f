"""A fresh fangkong for the benchmark: keys, a migrated SQLite database, one user and a token.

Everything lives in ``bench/.work/`` (git-ignored) and is made anew on every run, through the
same commands an operator uses (``fangkong db upgrade``, ``fangkong users create``) and the
same login an API client uses (``POST /api/v1/auth/token`` with the user's TOTP code).
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pyotp

from fangkong.core.security import new_key

USERNAME = "benchuser"
ROLE = "district_officer"
REGION = "230102"
_OTPAUTH = re.compile(r"^otpauth://\S+$", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class Fixture:
    workdir: Path
    env: dict[str, str]
    password: str
    otpauth_uri: str


def fangkong_command() -> str:
    """The ``fangkong`` entry point of the interpreter running the bench (the project venv)."""
    beside = Path(sys.executable).parent / "fangkong"
    found = str(beside) if beside.exists() else shutil.which("fangkong")
    if not found:
        raise RuntimeError("`fangkong` not found; run `make install` first")
    return found


def server_env(workdir: Path, *, token_minutes: int) -> dict[str, str]:
    """The environment every fangkong command and the server get (nothing from a ``.env``)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("FANGKONG_")}
    return env | {
        "FANGKONG_DATABASE_URL": f"sqlite:///{workdir / 'bench.db'}",
        "FANGKONG_SECRET_KEY": new_key(),
        "FANGKONG_DATA_KEY": new_key(),
        "FANGKONG_ENV": "demo",
        "FANGKONG_LOG_LEVEL": "WARNING",
        "FANGKONG_ACCESS_TOKEN_MINUTES": str(token_minutes),
    }


def kept_keys_env(keys: Path, url: str) -> dict[str, str]:
    """The environment of fangkong commands run on a world a bench keeps between runs: the keys
    in ``keys`` (made on the first run: the people's numbers are encrypted with them), the
    database ``url``, quiet logs; nothing ``FANGKONG_`` inherited from the caller."""
    keys.parent.mkdir(parents=True, exist_ok=True)
    if not keys.exists():
        keys.write_text(f"FANGKONG_SECRET_KEY={new_key()}\nFANGKONG_DATA_KEY={new_key()}\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("FANGKONG_")}
    env |= dict(line.split("=", 1) for line in keys.read_text().splitlines() if "=" in line)
    return env | {"FANGKONG_DATABASE_URL": url, "FANGKONG_ENV": "test",
                  "FANGKONG_LOG_LEVEL": "WARNING", "FANGKONG_LOG_JSON": "false",
                  "LANG": "C.UTF-8"}  # fmt: skip


def _fangkong(env: dict[str, str], workdir: Path, *args: str, stdin: str = "") -> str:
    completed = subprocess.run(
        [fangkong_command(), *args], env=env, cwd=workdir, input=stdin, capture_output=True,
        text=True, timeout=120, check=False,
    )  # fmt: skip
    if completed.returncode != 0:
        raise RuntimeError(
            f"fangkong {' '.join(args)} exited {completed.returncode}:\n{completed.stderr}"
        )
    return completed.stdout


def prepare(workdir: Path, *, token_minutes: int) -> Fixture:
    """Wipe ``workdir``, migrate a new database and create the benchmark user."""
    shutil.rmtree(workdir, ignore_errors=True)
    workdir.mkdir(parents=True)
    env = server_env(workdir, token_minutes=token_minutes)
    password = secrets.token_urlsafe(18)
    _fangkong(env, workdir, "db", "upgrade")
    out = _fangkong(
        env, workdir, "users", "create", USERNAME, "--role", ROLE, "--region", REGION,
        "--password-stdin", stdin=password + "\n",
    )  # fmt: skip
    found = _OTPAUTH.search(out)
    if found is None:
        raise RuntimeError(f"`fangkong users create` printed no otpauth:// URI:\n{out}")
    return Fixture(workdir=workdir, env=env, password=password, otpauth_uri=found.group(0))


def log_in(fixture: Fixture, token_url: str) -> str:
    """A bearer token for the benchmark user: password plus the current TOTP code."""
    totp = pyotp.parse_uri(fixture.otpauth_uri)
    if not isinstance(totp, pyotp.TOTP):
        raise RuntimeError(f"not a TOTP URI: {fixture.otpauth_uri}")
    form = {"username": USERNAME, "password": fixture.password, "otp": totp.now()}
    request = urllib.request.Request(
        token_url, data=urllib.parse.urlencode(form).encode(), method="POST"
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        token: str = json.load(response)["access_token"]
    return token
