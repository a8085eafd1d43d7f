"""Commands (filled in by this domain)."""

import typer

app = typer.Typer(help="Health codes.", no_args_is_help=True)
