"""``fangkong supervision``: the commands of the parts, in one group."""

from __future__ import annotations

import typer

from fangkong.supervision.companies import cli as companies
from fangkong.supervision.inspections import cli as inspections
from fangkong.supervision.video import cli as video

app = typer.Typer(
    no_args_is_help=True,
    help="Supervision: inspections, rectification, property companies, video points (督导).",
)
for _part in (companies, inspections, video):
    for command in _part.app.registered_commands:
        app.registered_commands.append(command)
    for group in _part.app.registered_groups:
        app.registered_groups.append(group)
