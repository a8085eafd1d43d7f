"""``fangkong jobs list | run NAME [--date]`` and ``fangkong worker``."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer

from fangkong.core import clock, console
from fangkong.jobs import runner
from fangkong.jobs.catalog import all_jobs

app = typer.Typer(help="Scheduled jobs (定时任务).", no_args_is_help=True)


@app.command("list")
def list_jobs(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    rows = [
        {"name": j.name, "cron": j.cron, "description": j.description} for j in all_jobs().values()
    ]
    if as_json:
        console.print_json(rows)
        return
    for row in rows:
        typer.echo(f"{row['name']:<24} {row['cron']:<16} {row['description']}")


@app.command("run")
def run(
    name: str,
    run_for: Annotated[
        str | None, typer.Option("--date", help="YYYY-MM-DD (default: today)")
    ] = None,
) -> None:
    """Run one job now, under the same lock the worker takes."""
    job = all_jobs().get(name)
    if job is None:
        console.bad_input(f"unknown job {name!r}; see `fangkong jobs list`")
    try:
        day = date.fromisoformat(run_for) if run_for else clock.local_today()
    except ValueError:
        console.bad_input(f"--date must be YYYY-MM-DD, got {run_for!r}")
    try:
        outcome = runner.run(console.database(), console.settings(), job, day)
    except runner.JobBusy:
        typer.echo(f"error: job {name} is running in another worker", err=True)
        raise typer.Exit(console.EXIT_FAILURE) from None
    typer.echo(f"{name} for {day}: {outcome}")
