"""``fangkong arrivals``: the commands of the sub-packages, in one group."""

from __future__ import annotations

import typer

from fangkong.arrivals.intake import cli as intake
from fangkong.arrivals.riskareas import cli as riskareas
from fangkong.arrivals.screening import cli as screening
from fangkong.arrivals.zones import cli as zones

app = typer.Typer(no_args_is_help=True, help="Arrivals and risk zones (抵返报备、风险区).")
for _part in (riskareas, zones, intake, screening):
    for command in _part.app.registered_commands:
        app.registered_commands.append(command)
    for group in _part.app.registered_groups:
        app.registered_groups.append(group)
