"""Pages of the case registry: the case list (filters, the line-list paste box), a new case,
the case file (the person masked, history, forms for each step) and the clusters. Forms are
read as strings and validated in the handler, so bad input re-renders with the error shown."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from fangkong.auth.dependencies import CsrfChecked
from fangkong.auth.permissions import Perm
from fangkong.cases.dependencies import CasesManagePage, CasesReadPage
from fangkong.cases.registry import clusters, labels, line_list, service
from fangkong.cases.registry.dependencies import CaseIdPath, ClusterIdPath
from fangkong.cases.registry.schemas import (
    CaseCreate,
    ClassifyIn,
    ClusterCreate,
    ClusterSet,
    ClusterUpdate,
    ConvertIn,
    HandOverIn,
    OutcomeIn,
    TransferIn,
)
from fangkong.core import clock
from fangkong.core.errors import N_, DomainError, InvalidInput
from fangkong.core.pagination import PageParams
from fangkong.core.principal import Principal
from fangkong.core.templating import render
from fangkong.core.web import DbSession, SettingsDep, page_error
from fangkong.healthcode.service import current_edition
from fangkong.people.protect import Protector

router = APIRouter(include_in_schema=False)
CASES = "/cases"
PAGE_SIZE = 50
FIELDS = ("person_id", "kind", "sampled_at", "onset_on", "confirmed_at", "channel", "source",
          "severity", "note", "placement", "hospital", "transferred_at", "outcome", "at",
          "owner_id", "cluster_id", "name", "text", "write_good_rows", "local")  # fmt: skip
NO_STORE = {"Cache-Control": "no-store"}
LABELS = {"kinds": labels.KIND_LABELS, "statuses": labels.STATUS_LABELS,
          "channels": labels.CHANNEL_LABELS, "sources": labels.SOURCE_LABELS,
          "severities": labels.SEVERITY_LABELS, "placements": labels.PLACEMENT_LABELS,
          "events": labels.EVENT_LABELS, "outcomes": labels.OUTCOMES}  # fmt: skip
Choice = Annotated[str | None, Query(pattern=r"^[a-z_]{0,20}$")]
Prefix = Annotated[str | None, Query(pattern=r"^([0-9]{2,15})?$")]
Day = Annotated[str | None, Query(pattern=r"^([0-9]{4}-[0-9]{2}-[0-9]{2})?$")]
Number = Annotated[str | None, Query(pattern=r"^[0-9-]{0,32}$")]


class FormInvalid(InvalidInput):
    code = "case.form_invalid"
    title = N_("Check the fields: dates as YYYY-MM-DD, times as YYYY-MM-DD HH:MM, ids as numbers.")


async def _form_fields(request: Request) -> dict[str, str]:
    form = await request.form()
    return {k: v.strip() for k, v in form.multi_items() if isinstance(v, str) and k in FIELDS}


FormFields = Annotated[dict[str, str], Depends(_form_fields)]


def _page(request: Request, name: str, context: dict[str, Any], status: int = 200) -> Response:
    response = render(request, f"cases/{name}", context | {"labels": LABELS}, status)
    response.headers.update(NO_STORE)
    return response


def _local(text: str) -> datetime | None:
    if not text:
        return None
    value = datetime.fromisoformat(text.replace(" ", "T"))
    return value.replace(tzinfo=clock.LOCAL_TZ) if value.tzinfo is None else value


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _or_none(fields: dict[str, str], name: str) -> str | None:
    return fields.get(name) or None


# --- the list -----------------------------------------------------------------------------


@router.get(CASES)
def cases_page(
    request: Request, session: DbSession, actor: CasesReadPage, kind: Choice = None,
    status: Choice = None, channel: Choice = None, district: Prefix = None,
    cluster_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
    reported_from: Day = None, reported_to: Day = None, case_no: Number = None,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
) -> Response:  # fmt: skip
    filters = {"kind": kind or "", "status": status or "", "channel": channel or "",
               "district": district or "", "cluster_id": cluster_id or "",
               "reported_from": reported_from or "", "reported_to": reported_to or "",
               "case_no": case_no or ""}  # fmt: skip
    where = service.CaseFilter(
        kind=kind or None, status=status or None, channel=channel or None,
        district=district or None, cluster_id=cluster_id, reported_from=_day(reported_from),
        reported_to=_day(reported_to), case_no=case_no or None,
    )  # fmt: skip
    rows, next_cursor = service.list_cases(
        session, actor=actor, page=PageParams(limit=PAGE_SIZE, cursor=cursor), where=where
    )
    query = {k: v for k, v in filters.items() if v}
    next_url = f"{CASES}?{urlencode(query | {'cursor': next_cursor})}" if next_cursor else None
    return _list(request, session, actor, rows, filters, next_url)


def _list(
    request: Request, session: DbSession, actor: Principal, rows: Any, filters: dict[str, Any],
    next_url: str | None, report: Any = None, form: dict[str, str] | None = None,
    error: DomainError | None = None,
) -> Response:  # fmt: skip
    found, _ = clusters.list_clusters(session, actor=actor, page=PageParams(limit=200))
    context = {"cases": rows, "filters": filters, "next_url": next_url, "report": report,
               "form": form or {}, "error": error, "clusters": found,
               "manage": actor.can(Perm.CASES_MANAGE)}  # fmt: skip
    return _page(request, "list.html", context, error.status if error else 200)


@router.post(f"{CASES}/line-list", dependencies=[CsrfChecked])
def paste_line_list(
    request: Request, session: DbSession, settings: SettingsDep, actor: CasesManagePage,
    fields: FormFields,
) -> Response:  # fmt: skip
    try:
        report = line_list.import_rows(
            session, actor=actor, protector=Protector(settings.data_key_bytes),
            rows=line_list.rows_of_text(fields.get("text", "")),
            write_good_rows=fields.get("write_good_rows") == "1",
        )  # fmt: skip
    except DomainError as exc:
        session.rollback()
        return _list(request, session, actor, [], {}, None, form=fields, error=exc)
    rows, _ = service.list_cases(
        session, actor=actor, page=PageParams(limit=PAGE_SIZE), where=service.CaseFilter()
    )
    status = 200 if report.written else 422
    response = _list(request, session, actor, rows, {}, None, report, fields)
    response.status_code = status
    return response


# --- a new case ---------------------------------------------------------------------------


def _new_form(request: Request, form: dict[str, str], error: DomainError | None = None) -> Response:
    return _page(
        request, "new.html", {"form": form, "error": error}, error.status if error else 200
    )


@router.get(f"{CASES}/new")
def new_case_page(request: Request, actor: CasesManagePage) -> Response:
    return _new_form(request, {"kind": "confirmed", "channel": "community_screening"})


@router.post(f"{CASES}/new", dependencies=[CsrfChecked])
def create_case(
    request: Request, session: DbSession, actor: CasesManagePage, fields: FormFields
) -> Response:
    try:
        data = CaseCreate.model_validate({
            "person_id": fields.get("person_id", ""), "kind": fields.get("kind", ""),
            "sampled_at": _local(fields.get("sampled_at", "")),
            "onset_on": _or_none(fields, "onset_on"),
            "confirmed_at": _local(fields.get("confirmed_at", "")),
            "channel": fields.get("channel", ""), "source": fields.get("source") or "manual",
            "severity": _or_none(fields, "severity"), "local": fields.get("local", "1") == "1",
            "note": fields.get("note", ""),
        })  # fmt: skip
        case = service.create_case(session, actor=actor, data=data)
    except (ValidationError, ValueError, DomainError) as exc:
        session.rollback()
        return _new_form(request, fields, page_error(exc, FormInvalid))
    return RedirectResponse(f"{CASES}/{case.id}", status_code=303)


# --- the case file ------------------------------------------------------------------------


def _detail(
    request: Request, session: DbSession, actor: Principal, case_id: int,
    error: DomainError | None = None, form: dict[str, str] | None = None,
) -> Response:  # fmt: skip
    case = service.detail(session, actor=actor, case_id=case_id)
    found, _ = clusters.list_clusters(session, actor=actor, page=PageParams(limit=200))
    placements = service.allowed_placements(current_edition(session), case.kind)
    context = {"case": case, "error": error, "form": form or {}, "clusters": found,
               "placements": placements, "manage": actor.can(Perm.CASES_MANAGE)}  # fmt: skip
    return _page(request, "detail.html", context, error.status if error else 200)


@router.get(f"{CASES}/{{case_id}}")
def case_page(
    request: Request, session: DbSession, actor: CasesReadPage, case_id: CaseIdPath
) -> Response:
    return _detail(request, session, actor, case_id)


def _after(
    request: Request, session: DbSession, actor: Principal, case_id: int,
    fields: dict[str, str], action: Callable[[], Any], to: str | None = None,
) -> Response:  # fmt: skip
    try:
        action()
    except (ValidationError, ValueError, DomainError) as exc:
        session.rollback()
        return _detail(request, session, actor, case_id, page_error(exc, FormInvalid), fields)
    return RedirectResponse(to or f"{CASES}/{case_id}", status_code=303)


def _classify(session: Session, actor: Principal, case_id: int, f: dict[str, str]) -> Any:
    data = ClassifyIn.model_validate({"kind": f.get("kind", ""), "note": f.get("note", ""),
                                      "onset_on": _or_none(f, "onset_on"),
                                      "severity": _or_none(f, "severity")})  # fmt: skip
    return service.classify(session, actor=actor, case_id=case_id, data=data)


def _convert(session: Session, actor: Principal, case_id: int, f: dict[str, str]) -> Any:
    data = ConvertIn.model_validate({"onset_on": _or_none(f, "onset_on"),
                                     "severity": _or_none(f, "severity"),
                                     "note": f.get("note", "")})  # fmt: skip
    return service.convert(session, actor=actor, case_id=case_id, data=data)


def _transfer(session: Session, actor: Principal, case_id: int, f: dict[str, str]) -> Any:
    data = TransferIn.model_validate({
        "placement": f.get("placement", ""), "hospital": f.get("hospital", ""),
        "transferred_at": _local(f.get("transferred_at", "")),
    })  # fmt: skip
    return service.transfer(session, actor=actor, case_id=case_id, data=data)


def _outcome(session: Session, actor: Principal, case_id: int, f: dict[str, str]) -> Any:
    data = OutcomeIn.model_validate({
        "outcome": f.get("outcome", ""), "at": _local(f.get("at", "")), "note": f.get("note", ""),
    })  # fmt: skip
    return service.close(session, actor=actor, case_id=case_id, data=data)


def _hand_over(session: Session, actor: Principal, case_id: int, f: dict[str, str]) -> Any:
    data = HandOverIn.model_validate({"owner_id": f.get("owner_id", ""),
                                      "note": f.get("note", "")})  # fmt: skip
    return service.hand_over(session, actor=actor, case_id=case_id, data=data)


def _cluster(session: Session, actor: Principal, case_id: int, f: dict[str, str]) -> Any:
    data = ClusterSet.model_validate({"cluster_id": f.get("cluster_id") or None})
    return clusters.set_cluster(session, actor=actor, case_id=case_id, data=data)


STEPS: dict[str, Callable[[Session, Principal, int, dict[str, str]], Any]] = {
    "classify": _classify, "convert": _convert, "transfer": _transfer, "outcome": _outcome,
    "hand-over": _hand_over, "cluster": _cluster,
}  # fmt: skip


def _step_route(step: str) -> Callable[..., Response]:
    act = STEPS[step]
    to = CASES if step == "hand-over" else None

    def route(
        request: Request, session: DbSession, actor: CasesManagePage, case_id: CaseIdPath,
        fields: FormFields,
    ) -> Response:  # fmt: skip
        return _after(request, session, actor, case_id, fields,
                      lambda: act(session, actor, case_id, fields), to)  # fmt: skip

    return route


for _step in STEPS:
    router.add_api_route(f"{CASES}/{{case_id}}/{_step}", _step_route(_step), methods=["POST"],
                         dependencies=[CsrfChecked], name=f"case_{_step}")  # fmt: skip


# --- clusters -----------------------------------------------------------------------------


def _clusters(
    request: Request, session: DbSession, actor: Principal, error: DomainError | None = None,
    form: dict[str, str] | None = None,
) -> Response:  # fmt: skip
    found, _ = clusters.list_clusters(session, actor=actor, page=PageParams(limit=500))
    context = {"clusters": found, "error": error, "form": form or {},
               "manage": actor.can(Perm.CASES_MANAGE)}  # fmt: skip
    return _page(request, "clusters.html", context, error.status if error else 200)


@router.get("/clusters")
def clusters_page(request: Request, session: DbSession, actor: CasesReadPage) -> Response:
    return _clusters(request, session, actor)


@router.post("/clusters", dependencies=[CsrfChecked])
def create_cluster(
    request: Request, session: DbSession, actor: CasesManagePage, fields: FormFields
) -> Response:
    try:
        data = ClusterCreate(name=fields.get("name", ""), note=fields.get("note", ""))
        clusters.create(session, actor=actor, data=data)
    except (ValidationError, DomainError) as exc:
        session.rollback()
        return _clusters(request, session, actor, page_error(exc, FormInvalid), fields)
    return RedirectResponse("/clusters", status_code=303)


@router.post("/clusters/{cluster_id}/edit", dependencies=[CsrfChecked])
def rename_cluster(
    request: Request, session: DbSession, actor: CasesManagePage, cluster_id: ClusterIdPath,
    fields: FormFields,
) -> Response:  # fmt: skip
    try:
        data = ClusterUpdate(name=fields.get("name") or None, note=fields.get("note"))
        clusters.update(session, actor=actor, cluster_id=cluster_id, data=data)
    except (ValidationError, DomainError) as exc:
        session.rollback()
        return _clusters(request, session, actor, page_error(exc, FormInvalid), fields)
    return RedirectResponse("/clusters", status_code=303)
