"""``fangkong testing plan-pools --prevalence P --people N [--sizes 5,10,20] [--json]``

The numbers are read as text and checked by the planner, so any bad input is one line and exit
code 2 (the contract), never a usage box.
"""

from __future__ import annotations

import dataclasses
from typing import Annotated

import typer

from fangkong.core import console
from fangkong.core.errors import DomainError
from fangkong.testing import planner
from fangkong.testing.citizen import service

app = typer.Typer(no_args_is_help=True)
Text = str | None


@app.command("plan-pools")
def plan_pools(
    prevalence: Annotated[Text, typer.Option(help="Share infected, 0 < P < 1 (or 0.1%)")] = None,
    people: Annotated[Text, typer.Option(help="People to test")] = None,
    sizes: Annotated[
        Text, typer.Option(help="Pool sizes, e.g. 5,10,20 (default: the edition's)")
    ] = None,
    tests_per_hour: Annotated[Text, typer.Option(help="Lab throughput, tests per hour")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output")] = False,
) -> None:
    """Dorfman pooling: tests, tubes, reagent and lab hours per pool size, and the best size."""
    try:
        with console.unit_of_work() as session:
            result = service.plan_from_text(
                session, prevalence or "", people or "", sizes or "", tests_per_hour or ""
            )
    except DomainError as exc:
        console.fail(exc)
    if as_json:
        console.print_json(dataclasses.asdict(result))
        return
    _print_table(result)


def _print_table(result: planner.Plan) -> None:
    typer.echo(
        f"prevalence {result.prevalence:g}, people {result.people}: single tubes need "
        f"{result.single_tests} tests, {result.single_lab_hours:.1f} lab hours"
    )
    typer.echo("size  tests/person   tubes  expected tests     kits  lab hours  saved")
    for row in result.sizes:
        typer.echo(
            f"{row.size:>4}  {row.tests_per_person:>12.4f}  {row.tubes:>6}  "
            f"{row.expected_tests:>14.1f}  {row.reagent_kits:>7}  {row.lab_hours:>9.1f}  "
            f"{row.saved_percent:>5.1f}%"
        )
    typer.echo(f"best allowed size: {result.best_size}")
    typer.echo(
        f"best size of any: {result.best_size_any} "
        f"({result.best_any_tests_per_person:.4f} tests per person)"
    )
