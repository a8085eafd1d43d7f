"""``fangkong users ...``: the real command in a subprocess against its own migrated SQLite file.

The CLI reads its settings once per process from the environment (``console.settings`` is
cached), so running it in-process could not be pointed at the test database; a subprocess is
also what an operator runs. Each run costs a couple of seconds of imports, so the commands run
once per module, independent ones side by side, and the tests read their results.
"""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from cli_support import CliHome, Input, Result
from fangkong.config import decode_key
from fangkong.core import security
from fangkong.models import AuditLog, User

PASSWORD = "a-good-password-1"


class Cli(CliHome):
    def user(self, username: str):
        return self.one(select(User.__table__).where(User.username == username))


def create(username: str, *options: str, password: str = PASSWORD) -> Input:
    return Input(("users", "create", username, *options, "--password-stdin"), password + "\n")


@pytest.fixture(scope="module")
def cli(tmp_path_factory, cli_template) -> tuple[Cli, dict[str, Result]]:
    cli = Cli(tmp_path_factory.mktemp("cli"))
    cli.copy_database(cli_template)
    admin, unknown_role = cli.run(
        create(
            "cli-admin", "--role", "city_admin", "--region", "230100", "--display-name", "市管理员"
        ),
        create("cli-bad", "--role", "superuser", "--region", "230102"),
    )
    duplicate, listed = cli.run(
        create("cli-admin", "--role", "sampler", "--region", "230102"),
        ("users", "list", "--json"),
    )
    results = {"admin": admin, "unknown_role": unknown_role, "duplicate": duplicate, "list": listed}
    return cli, results


def test_create_city_admin_prints_the_user_and_the_otpauth_uri(cli):
    admin = cli[1]["admin"]
    assert admin.returncode == 0, admin.stderr
    lines = admin.stdout.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("created user cli-admin (id ")
    assert lines[0].endswith(", city_admin, 230100)")
    assert lines[1].startswith("otpauth://totp/fangkong:cli-admin?secret=")
    assert PASSWORD not in admin.stdout + admin.stderr


def test_created_user_is_stored_with_password_and_second_factor(cli):
    run, results = cli
    user = run.user("cli-admin")
    assert (user.role, user.region_code, user.display_name) == ("city_admin", "230100", "市管理员")
    assert user.is_active
    assert security.verify_password(user.password_hash, PASSWORD)  # the newline is not part of it
    secret = security.decrypt(decode_key(run.data_key), user.totp_secret, context=b"totp")
    assert f"secret={secret.decode()}&" in results["admin"].stdout  # the printed key is stored


def test_create_writes_an_audit_row(cli):
    run, _ = cli
    user = run.user("cli-admin")
    row = run.one(select(AuditLog.__table__).where(AuditLog.object_id == str(user.id)))
    assert (row.action, row.actor_name, row.object_type) == ("user.create", "system", "user")
    assert row.after["role"] == "city_admin" and row.after["totp_enabled"] is True
    assert "password" not in json.dumps(row.after)


def test_duplicate_username_exits_2_with_one_line(cli):
    run, results = cli
    again = results["duplicate"]
    assert again.returncode == 2
    assert again.stdout == ""
    lines = again.stderr.strip().splitlines()
    assert len(lines) == 1, again.stderr
    assert lines[0].startswith("error: user.duplicate_username")
    assert run.user("cli-admin").role == "city_admin"


def test_unknown_role_exits_2(cli):
    run, results = cli
    result = results["unknown_role"]
    assert result.returncode == 2, result.stderr
    assert "superuser" in result.stderr
    assert "Traceback" not in result.stderr
    assert run.user("cli-bad") is None


def test_list_json(cli):
    run, results = cli
    assert results["list"].returncode == 0, results["list"].stderr
    listed = {item["username"]: item for item in json.loads(results["list"].stdout)}
    user = run.user("cli-admin")
    assert listed["cli-admin"] == {
        "id": user.id,
        "username": "cli-admin",
        "role": "city_admin",
        "region_code": "230100",
        "active": True,
        "totp": True,
    }
