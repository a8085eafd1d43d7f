"""Commands (filled in by this domain)."""

import typer

app = typer.Typer(help="Venues and place codes.", no_args_is_help=True)
