"""``fangkong reports bulletin``: the daily bulletin's text (or ``--json``) at a terminal.
Bad input prints one line and exits 2."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer

from fangkong.core import console
from fangkong.core.errors import DomainError
from fangkong.core.principal import SYSTEM
from fangkong.reports import bulletin as bulletins
from fangkong.reports.schemas import BulletinOut

app = typer.Typer(no_args_is_help=True, help="Reports: the daily bulletin (疫情通报).")


def _day(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        console.bad_input(f"report.bad_window: --date is a YYYY-MM-DD, not {value!r}")


@app.command("bulletin")
def bulletin(
    day: Annotated[str | None, typer.Option("--date", help="YYYY-MM-DD: 06:00 to 06:00")] = None,
    region: Annotated[str | None, typer.Option(help="A district (region code)")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Figures and texts as JSON")] = False,
) -> None:
    """The bulletin's text (zh, or en under an English locale); default: the last whole day."""
    the_day = _day(day)
    try:
        with console.unit_of_work() as session:
            found = bulletins.bulletin(session, actor=SYSTEM, day=the_day, region=region)
    except DomainError as exc:
        console.fail(exc)
    _print(found, as_json=as_json)


def _print(found: BulletinOut, *, as_json: bool) -> None:
    if as_json:
        console.print_json(found.model_dump(mode="json"))
        return
    typer.echo(found.text_en if console.cli_locale() == "en" else found.text_zh)
