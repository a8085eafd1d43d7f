"""``fangkong quarantine``: the commands of the sub-packages, in one group."""

from __future__ import annotations

import typer

from fangkong.quarantine.placements import cli as placements
from fangkong.quarantine.sites import cli as sites

app = typer.Typer(
    no_args_is_help=True, help="Quarantine: isolation sites, placements, release (隔离管控)."
)
for _part in (sites, placements):
    for command in _part.app.registered_commands:
        app.registered_commands.append(command)
    for group in _part.app.registered_groups:
        app.registered_groups.append(group)
