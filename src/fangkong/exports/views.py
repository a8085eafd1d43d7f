"""Pages of exports: ``/exports`` (my exports, their progress polled by htmx while they are
written, download links) and ``/exports/approvals`` (what awaits my decision, with approve
and deny forms). The "Export" buttons of the exportable lists (people, cases, contacts,
placements, trips) post the kind and the page's current filters to ``POST /exports``."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, BackgroundTasks, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from fangkong.auth.dependencies import CsrfChecked
from fangkong.auth.permissions import Perm
from fangkong.core.errors import N_, DomainError, InvalidInput
from fangkong.core.pagination import PageParams
from fangkong.core.principal import Principal
from fangkong.core.templating import render
from fangkong.core.web import DbSession, SettingsDep, page_error
from fangkong.exports import kinds, runner, service, worker
from fangkong.exports.dependencies import (
    ExportIdPath,
    ExportsApprovePage,
    ExportsRequestPage,
    export_file,
)
from fangkong.exports.schemas import ExportCreate, ExportDecision
from fangkong.models.exports import Export, ExportStatus

router = APIRouter(include_in_schema=False)
PAGE = "/exports"
PAGE_SIZE = 100
NO_STORE = {"Cache-Control": "no-store"}
ACTIVE = (ExportStatus.QUEUED, ExportStatus.RUNNING)
STATUS_LABELS = {
    ExportStatus.AWAITING_APPROVAL: N_("Awaiting approval"),
    ExportStatus.QUEUED: N_("Queued"),
    ExportStatus.RUNNING: N_("Writing"),
    ExportStatus.READY: N_("Ready"),
    ExportStatus.FAILED: N_("Failed"),
    ExportStatus.DENIED: N_("Denied"),
    ExportStatus.EXPIRED: N_("Expired"),
}


class FormInvalid(InvalidInput):
    code = "export.form_invalid"
    title = N_("Check the fields: a list, xlsx or csv, and the list's filters.")


def _context(**extra: Any) -> dict[str, Any]:
    return {
        "status_labels": STATUS_LABELS,
        "kind_labels": {k.name: k.label for k in kinds.KINDS.values()},
        "active": ACTIVE,
        **extra,
    }


def _page(request: Request, name: str, context: dict[str, Any], status: int = 200) -> Response:
    response = render(request, f"exports/{name}", _context(**context), status)
    response.headers.update(NO_STORE)
    return response


def _mine(
    request: Request, session: DbSession, actor: Principal, error: DomainError | None = None
) -> Response:
    rows, _ = service.list_mine(session, actor=actor, page=PageParams(limit=PAGE_SIZE))
    context = {"exports": rows, "error": error, "approver": actor.can(Perm.EXPORTS_APPROVE)}
    return _page(request, "list.html", context, error.status if error else 200)


@router.get(PAGE)
def exports_page(request: Request, session: DbSession, actor: ExportsRequestPage) -> Response:
    return _mine(request, session, actor)


# Form fields that are not the list's filters; an empty field is a filter left blank.
NOT_FILTERS = {"csrf_token", "kind", "format"}
PARAM_PREFIX = "params."


async def _export_form(request: Request) -> dict[str, list[str]]:
    """Every non-empty field of the form, each name with all its values (``flag`` repeats)."""
    form = await request.form()
    fields: dict[str, list[str]] = {}
    for name, value in form.multi_items():
        if isinstance(value, str) and value.strip():
            fields.setdefault(name, []).append(value.strip())
    return fields


def _create(fields: dict[str, list[str]]) -> ExportCreate:
    """The request from a list page's form. A filter is posted as ``params.<name>`` (so that
    a list's own ``kind`` filter never meets the export's ``kind``); the people page posts
    its filters by their bare names, its repeated ``flag`` being the ``flags`` list."""
    kind = fields.get("kind", [""])[0]
    params: dict[str, Any] = {}
    for name, values in fields.items():
        if name == "flag":
            params["flags"] = values
        elif name not in NOT_FILTERS:
            params[name.removeprefix(PARAM_PREFIX)] = values[0] if len(values) == 1 else values
    data = {"kind": kind, "format": fields.get("format", ["xlsx"])[0], "params": params}
    return ExportCreate.model_validate(data)


@router.post(PAGE, dependencies=[CsrfChecked])
def request_export(
    request: Request,
    background: BackgroundTasks,
    session: DbSession,
    settings: SettingsDep,
    actor: ExportsRequestPage,
    fields: Annotated[dict[str, list[str]], Depends(_export_form)],
) -> Response:
    try:
        data = _create(fields)
        export = service.request_export(session, settings, actor=actor, data=data)
        _start(request, background, session, settings, export)
    except (ValidationError, DomainError) as exc:
        session.rollback()
        return _mine(request, session, actor, page_error(exc, FormInvalid))
    return RedirectResponse(f"{PAGE}#export-{export.id}", status_code=303)


def _start(
    request: Request,
    background: BackgroundTasks,
    session: DbSession,
    settings: SettingsDep,
    export: Export,
) -> None:
    if export.status != ExportStatus.QUEUED:
        return
    if export.rows_total <= settings.export_inline_rows:
        runner.write_inline(session, settings, export)
    else:
        background.add_task(worker.notify, request.app)


@router.get(f"{PAGE}/approvals")
def approvals_page(request: Request, session: DbSession, actor: ExportsApprovePage) -> Response:
    return _approvals(request, session, actor)


def _approvals(
    request: Request, session: DbSession, actor: Principal, error: DomainError | None = None
) -> Response:
    rows, _ = service.awaiting_my_decision(session, actor=actor, page=PageParams(limit=PAGE_SIZE))
    context = {"exports": rows, "error": error}
    return _page(request, "approvals.html", context, error.status if error else 200)


@router.get(f"{PAGE}/{{export_id}}/row")
def export_row(
    request: Request, session: DbSession, actor: ExportsRequestPage, export_id: ExportIdPath
) -> Response:
    """One row of my list, polled by htmx while the export is being written."""
    export = service.get_export(session, actor=actor, export_id=export_id)
    return _page(request, "_row.html", {"e": export})


@router.get(f"{PAGE}/{{export_id}}/file")
def download(
    session: DbSession, settings: SettingsDep, actor: ExportsRequestPage, export_id: ExportIdPath
) -> Response:
    return export_file(*service.download(session, settings, actor=actor, export_id=export_id))


def _decide(
    request: Request,
    background: BackgroundTasks,
    session: DbSession,
    actor: Principal,
    export_id: int,
    note: str,
    approve: bool,
) -> Response:
    try:
        data = ExportDecision(note=note)
        service.decide(session, actor=actor, export_id=export_id, approve=approve, data=data)
    except (ValidationError, DomainError) as exc:
        session.rollback()
        return _approvals(request, session, actor, page_error(exc, FormInvalid))
    if approve:
        background.add_task(worker.notify, request.app)
    return RedirectResponse(f"{PAGE}/approvals", status_code=303)


@router.post(f"{PAGE}/{{export_id}}/approve", dependencies=[CsrfChecked])
def approve(
    request: Request,
    background: BackgroundTasks,
    session: DbSession,
    actor: ExportsApprovePage,
    export_id: ExportIdPath,
    note: str = Form(""),
) -> Response:
    return _decide(request, background, session, actor, export_id, note, approve=True)


@router.post(f"{PAGE}/{{export_id}}/deny", dependencies=[CsrfChecked])
def deny(
    request: Request,
    background: BackgroundTasks,
    session: DbSession,
    actor: ExportsApprovePage,
    export_id: ExportIdPath,
    note: str = Form(""),
) -> Response:
    return _decide(request, background, session, actor, export_id, note, approve=False)
