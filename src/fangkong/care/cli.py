"""``fangkong care``: the commands of the parts, in one group."""

from __future__ import annotations

import typer

from fangkong.care.needs import cli as needs_cli
from fangkong.care.requests import cli as requests_cli
from fangkong.care.volunteers import cli as volunteers_cli

app = typer.Typer(
    no_args_is_help=True,
    help="Care: livelihood requests, volunteers, care needs, pairings, teams (民生保障).",
)
for _part in (requests_cli, volunteers_cli, needs_cli):
    for command in _part.app.registered_commands:
        app.registered_commands.append(command)
    for group in _part.app.registered_groups:
        app.registered_groups.append(group)
