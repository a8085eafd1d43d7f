"""``fangkong cases``: the commands of the sub-packages, in one group."""

from __future__ import annotations

import typer

from fangkong.cases.chains import cli as chains
from fangkong.cases.registry import cli as registry

app = typer.Typer(no_args_is_help=True, help="Cases and transmission chains (阳性感染者、传播链).")
for _part in (registry, chains):
    for command in _part.app.registered_commands:
        app.registered_commands.append(command)
    for group in _part.app.registered_groups:
        app.registered_groups.append(group)
