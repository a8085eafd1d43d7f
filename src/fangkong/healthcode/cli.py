"""``fangkong health-code show PERSON_ID [--json] | recompute [--all]``"""

from __future__ import annotations

from typing import Annotated, Any

import typer

from fangkong.core import console, i18n
from fangkong.core.errors import DomainError
from fangkong.core.masking import mask_person_name
from fangkong.core.principal import SYSTEM
from fangkong.healthcode import service

app = typer.Typer(help="Health codes (健康码): show, recompute.", no_args_is_help=True)


def _show(person_id: int) -> dict[str, Any]:
    settings = console.settings()
    locale = console.cli_locale()
    with console.unit_of_work() as session:
        person, code, negative = service.open_code(session, SYSTEM, settings, person_id)
        facts = service.person_facts(session, person.id)
        return {
            "person_id": person.id,
            "name": mask_person_name(person.name),
            "grid_code": person.grid_code,
            "colour": code.colour,
            "manual": code.manual,
            "edition_id": code.edition_id,
            "computed_at": code.computed_at.isoformat(),
            "reasons": [
                {"code": view.code, "message": i18n.gettext(locale, view.msgid)}
                for view in service.reason_views(code.reasons)
            ],
            "last_negative_sampled_at": negative.sampled_at.isoformat() if negative else None,
            "facts_in_force": [
                {"id": f.id, "reason": f.reason, "ref": f.ref, "until": f.until}
                for f in facts
                if f.ended_at is None
            ],
        }


@app.command("show")
def show(
    person_id: Annotated[int, typer.Argument(min=1, max=2**63 - 1)],
    as_json: Annotated[bool, typer.Option("--json", help="The code as JSON")] = False,
) -> None:
    """A person's colour, reasons, latest negative test and facts in force."""
    try:
        shown = _show(person_id)
    except DomainError as exc:
        console.fail(exc)
    if as_json:
        console.print_json(shown)
        return
    typer.echo(f"{shown['person_id']} {shown['name']} {shown['grid_code']}: {shown['colour']}")
    for reason in shown["reasons"]:
        typer.echo(f"  {reason['code']}: {reason['message']}")
    typer.echo(f"  edition {shown['edition_id']}, computed {shown['computed_at']}")


@app.command("recompute")
def recompute(
    all_people: Annotated[
        bool, typer.Option("--all", help="Every person with a code or a fact in force")
    ] = False,
) -> None:
    """Recompute codes under the active edition: by default those computed under another."""
    settings = console.settings()
    with console.unit_of_work() as session:
        if all_people:
            count = service.recompute_all(session, settings)
        else:
            edition = service.current_edition(session, settings.policy)
            count = service.recompute_stale_editions(session, edition)
    typer.echo(f"recomputed {count} codes")
