"""Vaccination pages: coverage by district × age band × dose, the outreach list of a grid,
and a person's dose history with the form that records a dose.

The form is read as plain strings and validated in the handler, so bad input re-renders it
with its values kept and the error shown; nothing is written.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from fangkong.auth.dependencies import CsrfChecked
from fangkong.auth.permissions import Perm
from fangkong.core.errors import N_, DomainError
from fangkong.core.forms import RawFormFields as FormFields
from fangkong.core.pagination import decode_cursor, encode_cursor
from fangkong.core.principal import Principal
from fangkong.core.templating import render
from fangkong.core.web import DbSession, IdPath
from fangkong.vaccination import service
from fangkong.vaccination.dependencies import VaccinationForm, VaccinationPage
from fangkong.vaccination.labels import REASON_LABELS
from fangkong.vaccination.rules import AGE_BANDS
from fangkong.vaccination.schemas import DoseIn

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 50
FIELDS = ("vaccine_code", "dose_number", "given_on", "site", "batch")
PrefixQuery = Annotated[str | None, Query(pattern=r"^([0-9]{2,15})?$")]
DayQuery = Annotated[date | Literal[""] | None, Query()]
ReasonQuery = Annotated[Literal["", "incomplete", "booster_due", "unvaccinated"] | None, Query()]
Cursor = Annotated[str | None, Query(max_length=200)]
REASONS = REASON_LABELS
NO_STORE = {"Cache-Control": "no-store"}


def _day(value: date | str | None) -> date:
    return value if isinstance(value, date) else service.today()


@router.get("/vaccination")
def coverage_page(
    request: Request,
    session: DbSession,
    actor: VaccinationPage,
    region: PrefixQuery = None,
    on: DayQuery = None,
) -> Response:
    day = _day(on)
    report = service.coverage(session, actor=actor, region=region or None, on=day)
    context = {
        "report": report,
        "filters": {"region": region or "", "on": day.isoformat()},
        "bands": [key for key, _, _ in AGE_BANDS],
    }
    return render(request, "vaccination/coverage.html", context)


@router.get("/vaccination/outreach")
def outreach_page(
    request: Request,
    session: DbSession,
    actor: VaccinationPage,
    grid: PrefixQuery = None,
    reason: ReasonQuery = None,
    on: DayQuery = None,
    cursor: Cursor = None,
) -> Response:
    day, scope = _day(on), grid or actor.region_code
    after = decode_cursor(cursor, int) if cursor else None
    where = service.OutreachFilter(grid=scope, on=day, reason=reason or None)
    rows, last = service.outreach(session, actor=actor, where=where, after=after, limit=PAGE_SIZE)
    filters = {"grid": grid or "", "reason": reason or "", "on": day.isoformat()}
    next_url = None
    if last is not None:
        query = {k: v for k, v in filters.items() if v} | {"cursor": encode_cursor(last)}
        next_url = f"/vaccination/outreach?{urlencode(query)}"
    context = {"rows": rows, "filters": filters, "reasons": REASONS, "next_url": next_url}
    return render(request, "vaccination/outreach.html", context)


def _person_page(
    request: Request,
    session: DbSession,
    actor: Principal,
    person_id: int,
    form: dict[str, str] | None = None,
    error: DomainError | str | None = None,
    status: int = 200,
) -> Response:
    record = service.person_record(session, actor=actor, person_id=person_id)
    context: dict[str, Any] = {
        "record": record,
        "manage": actor.can(Perm.VACCINATION_MANAGE),
        "vaccines": service.list_vaccines(session, active_only=True),
        "form": form or {"dose_number": str(len(record.doses) + 1), "given_on": ""},
        "error": error,
    }
    response = render(request, "vaccination/person.html", context, status)
    response.headers.update(NO_STORE)
    return response


@router.get("/vaccination/people/{person_id}")
def person_page(
    request: Request, session: DbSession, actor: VaccinationPage, person_id: IdPath
) -> Response:
    return _person_page(request, session, actor, person_id)


@router.post("/vaccination/people/{person_id}/doses", dependencies=[CsrfChecked])
def record_dose_submit(
    request: Request,
    session: DbSession,
    actor: VaccinationForm,
    person_id: IdPath,
    fields: FormFields,
) -> Response:
    form = {name: (fields.get(name) or "").strip() for name in FIELDS}
    try:
        data = DoseIn.model_validate(form | {"person_id": person_id})
        service.record_dose(session, actor=actor, data=data)
    except ValidationError:
        message = N_("Please fill in every field: a dose number from 1 to 9 and a date.")
        return _person_page(request, session, actor, person_id, form, message, 422)
    except DomainError as exc:
        session.rollback()
        return _person_page(request, session, actor, person_id, form, exc, exc.status)
    return RedirectResponse(f"/vaccination/people/{person_id}", status_code=303)
