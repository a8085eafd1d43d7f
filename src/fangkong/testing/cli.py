"""``fangkong testing``: the commands of the testing sub-packages, in one group."""

from __future__ import annotations

import typer

from fangkong.testing.campaigns import cli as campaigns
from fangkong.testing.citizen import cli as citizen
from fangkong.testing.results import cli as results
from fangkong.testing.sampling import cli as sampling

app = typer.Typer(no_args_is_help=True, help="Nucleic-acid testing (核酸检测).")
for _part in (sampling, results, campaigns, citizen):
    for command in _part.app.registered_commands:
        app.registered_commands.append(command)
    for group in _part.app.registered_groups:
        app.registered_groups.append(group)
