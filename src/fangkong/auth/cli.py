"""``fangkong users ...``"""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from pydantic import ValidationError

from fangkong.auth import service
from fangkong.auth.permissions import Role
from fangkong.auth.schemas import UserCreate, UserFilters
from fangkong.core import console
from fangkong.core.errors import DomainError
from fangkong.core.pagination import PageParams
from fangkong.core.principal import SYSTEM, Principal

app = typer.Typer(help="Users: create and list (内部用户管理).", no_args_is_help=True)


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    value: str = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    return value


@app.command("create")
def create(
    username: str,
    role: Annotated[Role, typer.Option(help="One of the roles in CONTRACTS.md")],
    region: Annotated[str, typer.Option(help="Region code of the user's jurisdiction")],
    display_name: Annotated[str | None, typer.Option(help="Shown name (default: username)")] = None,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input")
    ] = False,
) -> None:
    """Create a user; prints the otpauth:// URI once when the role needs a second factor."""
    password = _read_password(password_stdin)
    try:
        data = UserCreate(
            username=username,
            display_name=display_name or username,
            role=role,
            region_code=region,
            password=password,
        )
    except ValidationError as exc:
        first = exc.errors()[0]
        console.bad_input(f"{'.'.join(map(str, first['loc']))}: {first['msg']}")
    try:
        with console.unit_of_work() as session:
            user, uri = service.create_user(
                session, actor=SYSTEM, settings=console.settings(), data=data
            )
    except DomainError as exc:
        console.fail(exc)
    typer.echo(f"created user {user.username} (id {user.id}, {user.role}, {user.region_code})")
    if uri:
        typer.echo(uri)


@app.command("list")
def list_users(
    region: Annotated[str, typer.Option(help="Only users inside this region")] = "230100",
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """List users inside a region (500 at most)."""
    with console.unit_of_work() as session:
        scope = Principal(id=None, username="cli", role="system", region_code=region)
        rows, _ = service.list_users(
            session, actor=scope, filters=UserFilters(), page=PageParams(limit=500)
        )
        data = [
            {
                "id": u.id,
                "username": u.username,
                "role": u.role,
                "region_code": u.region_code,
                "active": u.is_active,
                "totp": u.totp_enabled,
            }
            for u in rows
        ]
    if as_json:
        console.print_json(data)
        return
    for item in data:
        typer.echo(
            "{id}\t{username}\t{role}\t{region_code}\tactive={active}\ttotp={totp}".format(**item)
        )
