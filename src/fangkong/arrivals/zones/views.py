"""Pages of local zones: the list (pending proposals first for deciders), the declaration form,
a zone's detail with its countdown, cases, history and decisions, and the day's announcement.
Forms are read as strings and validated in the handler, so bad input re-renders the form with
its values kept and the error shown."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from fangkong.arrivals.dependencies import ZonesDecidePage, ZonesManagePage, ZonesReadPage
from fangkong.arrivals.zones import errors, service
from fangkong.arrivals.zones.dependencies import ZoneIdPath
from fangkong.arrivals.zones.labels import EVENT_LABELS, KIND_LABELS, PENDING_LABELS, STATUS_LABELS
from fangkong.arrivals.zones.schemas import CaseIn, DecisionIn, ZoneCreate, ZoneUpdate
from fangkong.auth.dependencies import CsrfChecked
from fangkong.auth.permissions import Perm
from fangkong.core import clock
from fangkong.core.errors import N_, DomainError, InvalidInput
from fangkong.core.pagination import PageParams
from fangkong.core.principal import Principal
from fangkong.core.templating import render
from fangkong.core.web import DbSession, page_error
from fangkong.healthcode.service import current_edition

router = APIRouter(include_in_schema=False)
ZONES = "/zones"
PAGE_SIZE = 50
FIELDS = ("name", "kind", "region_code", "addresses", "cases", "note", "person_id",
          "infected_at", "case_ref", "action", "to_kind")  # fmt: skip
NO_STORE = {"Cache-Control": "no-store"}
KindQuery = Annotated[str | None, Query(pattern=r"^(|sealed|controlled|precaution)$")]
StatusQuery = Annotated[str | None, Query(pattern=r"^(|active|lifted)$")]
PrefixQuery = Annotated[str | None, Query(pattern=r"^([0-9]{2,15})?$")]
Cursor = Annotated[str | None, Query(max_length=200)]
DateQuery = Annotated[str | None, Query(max_length=10)]
LABELS = {"kinds": KIND_LABELS, "statuses": STATUS_LABELS, "pending": PENDING_LABELS,
          "events": EVENT_LABELS}  # fmt: skip


class FormInvalid(InvalidInput):
    code = "zone.form_invalid"
    title = N_(
        "Check the name (1 to 100 characters), the kind, the region code or the addresses "
        "(one per line), and the cases (one per line: person id, date and time)."
    )


async def _form_fields(request: Request) -> dict[str, str]:
    form = await request.form()
    return {k: v.strip() for k, v in form.multi_items() if isinstance(v, str) and k in FIELDS}


FormFields = Annotated[dict[str, str], Depends(_form_fields)]


def _page(request: Request, name: str, context: dict[str, Any], status: int = 200) -> Response:
    response = render(request, f"arrivals/{name}", context | {"labels": LABELS}, status)
    response.headers.update(NO_STORE)
    return response


def _local(text: str) -> datetime:
    """A datetime-local value ("2022-11-20T10:00" or with a space) read as local time."""
    value = datetime.fromisoformat(text.replace(" ", "T"))
    return value.replace(tzinfo=clock.LOCAL_TZ) if value.tzinfo is None else value


def _case_lines(text: str) -> list[CaseIn]:
    """One case per line: ``person_id, YYYY-MM-DD HH:MM[, reference]``."""
    cases = []
    for line in filter(None, (raw.strip() for raw in text.splitlines())):
        parts = [p.strip() for p in line.replace("，", ",").split(",")]
        if len(parts) < 2 or not parts[0].isdigit():
            raise FormInvalid()
        ref = parts[2] if len(parts) > 2 else ""
        cases.append(CaseIn(person_id=int(parts[0]), infected_at=_local(parts[1]), case_ref=ref))
    return cases


# --- the list -----------------------------------------------------------------------------


@router.get(ZONES)
def zones_page(
    request: Request,
    session: DbSession,
    actor: ZonesReadPage,
    kind: KindQuery = None,
    status: StatusQuery = None,
    region: PrefixQuery = None,
    cursor: Cursor = None,
) -> Response:
    filters = {"kind": kind or "", "status": status or "", "region": region or ""}
    where = service.ZoneFilter(kind=kind or None, status=status or None, region=region or None)
    page = PageParams(limit=PAGE_SIZE, cursor=cursor)
    rows, next_cursor = service.list_zones(session, actor=actor, page=page, where=where)
    decider = actor.can(Perm.ZONES_DECIDE)
    pending: list[Any] = []
    if decider and cursor is None:
        proposals, _ = service.list_zones(
            session, actor=actor, page=PageParams(limit=PAGE_SIZE),
            where=service.ZoneFilter(status="active", pending=True),
        )  # fmt: skip
        pending = list(proposals)
    edition = current_edition(session)
    query = {k: v for k, v in filters.items() if v}
    next_url = f"{ZONES}?{urlencode(query | {'cursor': next_cursor})}" if next_cursor else None
    context = {
        "zones": [service.zone_out(session, z, edition) for z in rows],
        "pending_zones": [service.zone_out(session, z, edition) for z in pending],
        "filters": filters, "next_url": next_url, "decider": decider,
        "manage": actor.can(Perm.ZONES_MANAGE),
    }  # fmt: skip
    return _page(request, "zones_list.html", context)


# --- declaring ----------------------------------------------------------------------------


def _new_form(
    request: Request, actor: Principal, form: dict[str, str], error: DomainError | None = None
) -> Response:
    context = {"form": form, "error": error, "actor_region": actor.region_code}
    return _page(request, "zones_new.html", context, error.status if error else 200)


@router.get(f"{ZONES}/new")
def new_zone_page(request: Request, actor: ZonesManagePage) -> Response:
    return _new_form(request, actor, {"kind": "sealed"})


@router.post(f"{ZONES}/new", dependencies=[CsrfChecked])
def declare_zone(
    request: Request, session: DbSession, actor: ZonesManagePage, fields: FormFields
) -> Response:
    try:
        addresses = [a.strip() for a in fields.get("addresses", "").splitlines() if a.strip()]
        data = ZoneCreate.model_validate({
            "name": fields.get("name", ""), "kind": fields.get("kind", ""),
            "region_code": fields.get("region_code") or None, "addresses": addresses,
            "cases": _case_lines(fields.get("cases", "")), "note": fields.get("note", ""),
        })  # fmt: skip
        zone = service.declare(session, actor=actor, data=data)
    except (ValidationError, ValueError, DomainError) as exc:
        session.rollback()
        return _new_form(request, actor, fields, page_error(exc, FormInvalid))
    return RedirectResponse(f"{ZONES}/{zone.id}", status_code=303)


# --- the announcement ---------------------------------------------------------------------


@router.get(f"{ZONES}/announcement")
def announcement_page(
    request: Request, session: DbSession, actor: ZonesReadPage, date: DateQuery = None
) -> Response:
    error: DomainError | None = None
    day = clock.local_today() - timedelta(days=1)
    if date:
        try:
            day = service.checked_day(_parse_day(date))
        except (ValueError, DomainError):
            error = errors.BadDate()
    text = service.announcement(session, actor=actor, day=day)
    context = {"announcement": text, "day": day.isoformat(), "error": error}
    return _page(request, "zones_announcement.html", context, error.status if error else 200)


def _parse_day(text: str) -> date:
    return date.fromisoformat(text)


# --- a zone -------------------------------------------------------------------------------


def _detail(
    request: Request, session: DbSession, actor: Principal, zone_id: int,
    error: DomainError | None = None, form: dict[str, str] | None = None,
) -> Response:  # fmt: skip
    zone = service.detail(session, actor=actor, zone_id=zone_id)
    context = {
        "zone": zone, "error": error, "form": form or {},
        "manage": actor.can(Perm.ZONES_MANAGE), "decider": actor.can(Perm.ZONES_DECIDE),
    }  # fmt: skip
    return _page(request, "zones_detail.html", context, error.status if error else 200)


@router.get(f"{ZONES}/{{zone_id}}")
def zone_page(
    request: Request, session: DbSession, actor: ZonesReadPage, zone_id: ZoneIdPath
) -> Response:
    return _detail(request, session, actor, zone_id)


def _after(
    request: Request, session: DbSession, actor: Principal, zone_id: int, fields: dict[str, str],
    action: Any,
) -> Response:  # fmt: skip
    try:
        action()
    except (ValidationError, ValueError, DomainError) as exc:
        session.rollback()
        return _detail(request, session, actor, zone_id, page_error(exc, FormInvalid), fields)
    return RedirectResponse(f"{ZONES}/{zone_id}", status_code=303)


@router.post(f"{ZONES}/{{zone_id}}/cases", dependencies=[CsrfChecked])
def link_case(
    request: Request, session: DbSession, actor: ZonesManagePage, zone_id: ZoneIdPath,
    fields: FormFields,
) -> Response:  # fmt: skip
    def act() -> None:
        data = CaseIn(
            person_id=int(fields.get("person_id", "")),
            infected_at=_local(fields.get("infected_at", "")),
            case_ref=fields.get("case_ref", ""),
        )
        service.link_case(session, actor=actor, zone_id=zone_id, data=data)

    return _after(request, session, actor, zone_id, fields, act)


@router.post(f"{ZONES}/{{zone_id}}/edit", dependencies=[CsrfChecked])
def edit_zone(
    request: Request, session: DbSession, actor: ZonesManagePage, zone_id: ZoneIdPath,
    fields: FormFields,
) -> Response:  # fmt: skip
    def act() -> None:
        data = ZoneUpdate(name=fields.get("name") or None, note=fields.get("note", ""))
        service.update(session, actor=actor, zone_id=zone_id, data=data)

    return _after(request, session, actor, zone_id, fields, act)


@router.post(f"{ZONES}/{{zone_id}}/decision", dependencies=[CsrfChecked])
def decide(
    request: Request, session: DbSession, actor: ZonesDecidePage, zone_id: ZoneIdPath,
    fields: FormFields,
) -> Response:  # fmt: skip
    def act() -> None:
        data = DecisionIn.model_validate({
            "action": fields.get("action", ""), "to_kind": fields.get("to_kind") or None,
            "note": fields.get("note", ""),
        })  # fmt: skip
        service.decide(session, actor=actor, zone_id=zone_id, data=data)

    return _after(request, session, actor, zone_id, fields, act)
