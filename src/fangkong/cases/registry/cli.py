"""``fangkong cases list | show | import | counts``: the cases at a terminal, one case file, a
line list from a CSV/XLSX file (all or nothing unless ``--write-good-rows``) and the bulletin
counts of an official day. Bad input prints one line and exits 2."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Annotated

import typer

from fangkong.cases.registry import bulletin, line_list, service
from fangkong.core import clock, console
from fangkong.core.errors import DomainError
from fangkong.core.pagination import PageParams
from fangkong.core.principal import SYSTEM
from fangkong.people.protect import Protector

app = typer.Typer(no_args_is_help=True)
MAX_LISTED = 500
KINDS = ("confirmed", "asymptomatic")
STATUSES = ("pending", "active", "discharged", "released", "died")


@app.command("list")
def list_cases(
    kind: Annotated[str | None, typer.Option(help="confirmed | asymptomatic")] = None,
    status: Annotated[str | None, typer.Option(help="pending | active | discharged | …")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON instead of lines")] = False,
) -> None:
    """The latest cases of the city (person names masked)."""
    if kind is not None and kind not in KINDS:
        console.bad_input(f"--kind is one of {', '.join(KINDS)}")
    if status is not None and status not in STATUSES:
        console.bad_input(f"--status is one of {', '.join(STATUSES)}")
    with console.unit_of_work() as session:
        where = service.CaseFilter(kind=kind, status=status)
        page = PageParams(limit=MAX_LISTED)
        rows, _ = service.list_cases(session, actor=SYSTEM, page=page, where=where)
        found = [row.model_dump(mode="json") for row in rows]
    if as_json:
        console.print_json(found)
        return
    for c in found:
        typer.echo(f"{c['case_no']}\t{c['kind'] or '-'}\t{c['status']}\t{c['channel']}\t"
                   f"{c['reported_on']}\t{c['region_code']}\t{c['person_name']}")  # fmt: skip


@app.command("show")
def show(
    number: Annotated[str, typer.Argument(help="The case number, e.g. 2022-1103-0007")],
) -> None:
    """One case file with its history (JSON, the person masked)."""
    with console.unit_of_work() as session:
        try:
            case = service.case_by_no(session, actor=SYSTEM, case_no=number)
        except DomainError as exc:
            console.fail(exc)
        found = service.detail(session, actor=SYSTEM, case_id=case.id).model_dump(mode="json")
    console.print_json(found)


@app.command("import")
def import_cases(
    file: Annotated[Path, typer.Argument(help="CSV or XLSX with a header row")],
    write_good_rows: Annotated[bool, typer.Option(help="Write the good rows anyway")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="The report as JSON")] = False,
) -> None:
    """A line list (一览表): every row checked; nothing written when a row is refused."""
    if not file.is_file() or file.suffix.lower() not in (".csv", ".xlsx"):
        console.bad_input(f"{file} is not a readable .csv or .xlsx file")
    protector = Protector(console.settings().data_key_bytes)
    with console.unit_of_work() as session:
        try:
            report = line_list.import_rows(session, actor=SYSTEM, protector=protector,
                                          rows=line_list.rows_of_file(file),
                                          write_good_rows=write_good_rows)  # fmt: skip
        except DomainError as exc:
            console.fail(exc)
    console.print_report(report, f"{report.accepted} accepted, {report.rejected} refused, "
                         f"{'written' if report.written else 'nothing written'}",
                         as_json=as_json, place=True)  # fmt: skip
    if report.rejected and not report.written:
        raise typer.Exit(console.EXIT_BAD_INPUT)


@app.command("counts")
def counts(
    day: Annotated[str | None, typer.Option("--date", help="YYYY-MM-DD: 06:00 to 06:00")] = None,
) -> None:
    """The daily bulletin's figures (default: the last whole official day)."""
    try:
        the_day = date.fromisoformat(day) if day else clock.local_today() - timedelta(days=1)
        with console.unit_of_work() as session:
            found = bulletin.day_counts(session, actor=SYSTEM, day=the_day)
    except ValueError:
        console.bad_input(f"case.bad_date: --date is a YYYY-MM-DD, not {day!r}")
    except DomainError as exc:
        console.fail(exc)
    console.print_json(found.model_dump(mode="json"))
