"""``fangkong policy list | show ID | activate ID``"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
import yaml

from fangkong.core import console
from fangkong.core.errors import DomainError
from fangkong.core.principal import Principal
from fangkong.policy import service
from fangkong.policy.loader import get_edition, load_edition_file

app = typer.Typer(help="Policy editions (政策版本).", no_args_is_help=True)
CLI_ACTOR = Principal(id=None, username="cli", role="system", region_code="230100")


@app.command("list")
def list_editions(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """The shipped editions; the active one is marked with *."""
    with console.unit_of_work() as session:
        active = service.active_id(session, default=console.settings().policy)
    rows = [
        {
            "id": e.id,
            "title": e.title,
            "effective_on": e.effective_on.isoformat(),
            "base": e.base,
            "active": e.id == active,
        }
        for e in service.editions()
    ]
    if as_json:
        console.print_json(rows)
        return
    for row in rows:
        mark = "*" if row["active"] else " "
        typer.echo(f"{mark} {row['id']:<20} {row['effective_on']}  {row['title']}")


@app.command("show")
def show(edition_id: str, as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Every value of one edition (overlays shown merged with their base)."""
    try:
        data = get_edition(edition_id).model_dump(mode="json")
    except DomainError as exc:
        console.fail(exc)
    if as_json:
        console.print_json(data)
    else:
        typer.echo(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))


@app.command("check")
def check(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)],
) -> None:
    """Validate an edition file (an overlay is merged with its base); names every bad field."""
    try:
        edition = load_edition_file(file)
    except DomainError as exc:
        console.fail(exc)
    typer.echo(f"ok: {edition.id} ({edition.title}), effective {edition.effective_on}")


@app.command("activate")
def activate(edition_id: str) -> None:
    """Switch the deployment to another edition (audited)."""
    try:
        with console.unit_of_work() as session:
            edition = service.activate(
                session, actor=CLI_ACTOR, edition_id=edition_id, default=console.settings().policy
            )
    except DomainError as exc:
        console.fail(exc)
    typer.echo(f"active edition: {edition.id} ({edition.title})")
