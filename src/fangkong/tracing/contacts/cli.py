"""``fangkong tracing contacts generate CASE_NO | list``: generate a case's candidates by the
edition's rules (idempotent) and list contacts (masked). Bad input prints one line, exits 2."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from sqlalchemy.orm import Session

from fangkong.core import console
from fangkong.core.errors import DomainError
from fangkong.core.pagination import MAX_LIMIT, PageParams
from fangkong.core.principal import SYSTEM
from fangkong.tracing.contacts import service

app = typer.Typer(no_args_is_help=True)
contacts = typer.Typer(help="Close and secondary contacts (密接、次密接).", no_args_is_help=True)
app.add_typer(contacts, name="contacts")
DEGREES = ("close", "secondary")
STATUSES = ("candidate", "confirmed", "rejected", "released", "upgraded", "merged")


@contacts.command("generate")
def generate(case_no: Annotated[str, typer.Argument(help="The case number")]) -> None:
    """Generate the case's contact candidates (household, venue, transport, secondary)."""
    try:
        with console.unit_of_work() as session:
            case = service.case_by_no(session, actor=SYSTEM, case_no=case_no)
            result = service.generate(session, actor=SYSTEM, case_id=case.id)
    except DomainError as error:
        console.fail(error)
    console.print_json(result.model_dump(mode="json") | {"case_no": case_no})


def _check(value: str | None, allowed: tuple[str, ...], name: str) -> None:
    if value is not None and value not in allowed:
        console.bad_input(f"--{name} is one of {', '.join(allowed)}")


@contacts.command("list")
def list_contacts(
    degree: Annotated[str | None, typer.Option(help="close | secondary")] = None,
    status: Annotated[str | None, typer.Option(help="candidate | confirmed | ...")] = None,
    case_no: Annotated[str | None, typer.Option("--case", help="A case number")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON instead of lines")] = False,
) -> None:
    """Contacts of the city (newest first, at most 500), ID numbers masked."""
    _check(degree, DEGREES, "degree")
    _check(status, STATUSES, "status")
    try:
        with console.unit_of_work() as session:
            found = _found(session, degree, status, case_no)
    except DomainError as error:
        console.fail(error)
    if as_json:
        console.print_json(found)
        return
    for c in found:
        cases = ",".join(c["case_nos"])
        typer.echo(f"{c['id']}\t{c['degree']}\t{c['status']}\t{c['name']}\t"
                   f"{c['id_number_masked']}\t{cases}\t{c['last_exposure_at']}")  # fmt: skip


def _found(
    session: Session, degree: str | None, status: str | None, case_no: str | None
) -> list[dict[str, Any]]:
    case_id = service.case_by_no(session, actor=SYSTEM, case_no=case_no).id if case_no else None
    where = service.ContactFilter(degree=degree, status=status, case_id=case_id)
    rows, _ = service.list_contacts(session, actor=SYSTEM, page=PageParams(limit=MAX_LIMIT),
                                    where=where)  # fmt: skip
    return [row.model_dump(mode="json") for row in rows]
