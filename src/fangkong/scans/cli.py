"""Commands (filled in by this domain)."""

import typer

app = typer.Typer(help="Scans and check-ins.", no_args_is_help=True)
