"""``fangkong tracing``: the commands of the sub-packages, in one group."""

from __future__ import annotations

import typer

from fangkong.tracing.contacts import cli as contacts
from fangkong.tracing.public import cli as public
from fangkong.tracing.trajectories import cli as trajectories

app = typer.Typer(
    no_args_is_help=True, help="Tracing: trajectories, contacts, public trajectories (流调溯源)."
)
for _part in (trajectories, contacts, public):
    for command in _part.app.registered_commands:
        app.registered_commands.append(command)
    for group in _part.app.registered_groups:
        app.registered_groups.append(group)
