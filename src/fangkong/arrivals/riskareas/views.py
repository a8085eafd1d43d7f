"""Pages of the national risk-area list: ``/risk-areas`` (list with filters and "as of", counts
by grade, the import form with its refused rows, manual entry), ``/risk-areas/{id}`` (the row,
its place's history, end / change grade / correct forms) and ``/risk-areas/check``."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Form, Query, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from fangkong.arrivals.dependencies import RiskAreasManagePage, ZonesReadPage
from fangkong.arrivals.riskareas import importer, service
from fangkong.arrivals.riskareas.schemas import ImportReport, RiskAreaCreate, RiskAreaPatch
from fangkong.auth.dependencies import CsrfChecked
from fangkong.auth.permissions import Perm
from fangkong.core.bodylimit import upload_limit
from fangkong.core.errors import DomainError, InvalidInput
from fangkong.core.pagination import PageParams
from fangkong.core.principal import Principal
from fangkong.core.templating import render
from fangkong.core.web import DbSession, IdPath

router = APIRouter(include_in_schema=False)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PAGE = 100
Text = Annotated[str, Query(max_length=40)]
FormText = Annotated[str, Form(max_length=40)]
GradeQuery = Annotated[Literal["", "high", "medium", "low"], Query()]


def _filters(request: Request) -> dict[str, str]:
    names = ("grade", "province", "county", "q", "on", "history", "cursor")
    return {name: request.query_params.get(name, "")[:200] for name in names}


def _list_context(session: DbSession, actor: Principal, found: dict[str, str]) -> dict[str, Any]:
    context: dict[str, Any] = {"f": found, "rows": [], "next_cursor": None, "counts": None,
                               "error": None, "report": None, "form": {},
                               "can_manage": actor.can(Perm.RISK_AREAS_MANAGE),
                               "grades": service.grades_in_force(session)}  # fmt: skip
    try:
        start, end = service.window(found["on"] or None)
        county = found["county"] if found["county"].isdigit() else None
        grade = found["grade"] if found["grade"] in ("high", "medium", "low") else None
        where = service.Filter(start, end, grade, found["province"] or None, county,
                               found["q"] or None, found["history"] == "1")  # fmt: skip
        page = PageParams(limit=PAGE, cursor=found["cursor"] or None)
        context["rows"], context["next_cursor"] = service.list_areas(session, where=where,
                                                                     page=page)  # fmt: skip
        context["counts"] = service.counts(session, start=start, end=end)
    except DomainError as exc:
        context["error"] = exc
    return context


def _list_page(request: Request, context: dict[str, Any], status: int = 200) -> Response:
    return render(request, "arrivals/riskareas_list.html", context, status)


@router.get("/risk-areas")
def list_page(request: Request, session: DbSession, actor: ZonesReadPage) -> Response:
    return _list_page(request, _list_context(session, actor, _filters(request)))


@router.get("/risk-areas/template.csv")
def template_csv(actor: ZonesReadPage) -> Response:
    headers = {"Content-Disposition": 'attachment; filename="risk-areas.csv"'}
    return Response(importer.template_csv(), media_type="text/csv; charset=utf-8",
                    headers=headers)  # fmt: skip


@router.get("/risk-areas/template.xlsx")
def template_xlsx(actor: ZonesReadPage) -> Response:
    headers = {"Content-Disposition": 'attachment; filename="risk-areas.xlsx"'}
    return Response(importer.template_xlsx(), media_type=XLSX, headers=headers)


@router.post(
    "/risk-areas/import",
    dependencies=[CsrfChecked],
    max_body_size=upload_limit(importer.MAX_UPLOAD_BYTES),
)
def import_page(
    request: Request, session: DbSession, actor: RiskAreasManagePage, file: UploadFile,
    mode: Annotated[Literal["snapshot", "changes"], Form()] = "snapshot",
    as_of: FormText = "",
) -> Response:  # fmt: skip
    data = file.file.read(importer.MAX_UPLOAD_BYTES + 1)
    try:
        report: ImportReport = importer.import_file(
            session, actor=actor, filename=file.filename or "", data=data, mode=mode,
            as_of=as_of.strip() or None,
        )  # fmt: skip
    except DomainError as exc:
        session.rollback()
        context = _list_context(session, actor, _filters(request)) | {"error": exc}
        return _list_page(request, context, exc.status)
    session.commit()
    context = _list_context(session, actor, _filters(request)) | {"report": report}
    return _list_page(request, context, 422 if report.rejected else 200)


@router.post("/risk-areas/new", dependencies=[CsrfChecked])
def create_page(
    request: Request, session: DbSession, actor: RiskAreasManagePage,
    province: FormText, district: FormText, grade: Annotated[str, Form(max_length=10)],
    city: FormText = "", area: Annotated[str, Form(max_length=200)] = "",
    effective_from: FormText = "", effective_to: FormText = "",
    note: Annotated[str, Form(max_length=200)] = "",
) -> Response:  # fmt: skip
    form = {"province": province, "city": city, "district": district, "area": area,
            "grade": grade, "effective_from": effective_from or None,
            "effective_to": effective_to or None, "note": note}  # fmt: skip
    try:
        row = service.create(session, actor=actor, data=_create(form))
    except DomainError as exc:
        session.rollback()
        context = _list_context(session, actor, _filters(request)) | {"error": exc, "form": form}
        return _list_page(request, context, exc.status)
    session.commit()
    return RedirectResponse(f"/risk-areas/{row.id}", status_code=303)


def _create(form: dict[str, Any]) -> RiskAreaCreate:
    try:
        return RiskAreaCreate.model_validate(form)
    except ValueError as exc:
        raise InvalidInput(str(exc).splitlines()[0]) from exc


@router.get("/risk-areas/check")
def check_page(
    request: Request, session: DbSession, actor: ZonesReadPage,
    province: Text = "", city: Text = "", district: Text = "",
    area: Annotated[str, Query(max_length=200)] = "", on: Text = "",
) -> Response:  # fmt: skip
    form = {"province": province, "city": city, "district": district, "area": area, "on": on}
    context: dict[str, Any] = {"form": form, "answer": None, "error": None}
    status = 200
    if province or district:
        try:
            context["answer"] = service.check(session, province=province, city=city,
                                              district=district, area=area,
                                              on=on or None)  # fmt: skip
        except DomainError as exc:
            context["error"], status = exc, exc.status
    return render(request, "arrivals/riskareas_check.html", context, status)


def _detail(request: Request, session: DbSession, actor: Principal, area_id: int,
            error: DomainError | None = None) -> Response:  # fmt: skip
    row = service.get(session, area_id)
    context = {"row": row, "history": service.history(session, row.county_code, row.area),
               "error": error, "can_manage": actor.can(Perm.RISK_AREAS_MANAGE),
               "grades": service.grades_in_force(session)}  # fmt: skip
    return render(request, "arrivals/riskareas_detail.html", context,
                  error.status if error else 200)  # fmt: skip


@router.get("/risk-areas/{area_id}")
def detail_page(
    request: Request, session: DbSession, actor: ZonesReadPage, area_id: IdPath
) -> Response:
    return _detail(request, session, actor, area_id)


def _change(request: Request, session: DbSession, actor: Principal, area_id: int,
            patch: dict[str, Any]) -> Response:  # fmt: skip
    try:
        data = RiskAreaPatch.model_validate(patch)
        row = service.update(session, actor=actor, area_id=area_id, data=data)
    except DomainError as exc:
        session.rollback()
        return _detail(request, session, actor, area_id, exc)
    except ValueError as exc:
        session.rollback()
        return _detail(request, session, actor, area_id, InvalidInput(str(exc).splitlines()[0]))
    session.commit()
    return RedirectResponse(f"/risk-areas/{row.id}", status_code=303)


@router.post("/risk-areas/{area_id}/end", dependencies=[CsrfChecked])
def end_page(
    request: Request, session: DbSession, actor: RiskAreasManagePage, area_id: IdPath,
    effective_to: FormText = "", note: Annotated[str, Form(max_length=200)] = "",
) -> Response:  # fmt: skip
    patch = {"effective_to": effective_to, "note": note}
    return _change(request, session, actor, area_id, patch)


@router.post("/risk-areas/{area_id}/grade", dependencies=[CsrfChecked])
def grade_page(
    request: Request, session: DbSession, actor: RiskAreasManagePage, area_id: IdPath,
    grade: Annotated[str, Form(max_length=10)], at: FormText = "",
    note: Annotated[str, Form(max_length=200)] = "",
) -> Response:  # fmt: skip
    patch = {"grade": grade, "at": at or None, "note": note}
    return _change(request, session, actor, area_id, patch)


@router.post("/risk-areas/{area_id}/correct", dependencies=[CsrfChecked])
def correct_page(
    request: Request, session: DbSession, actor: RiskAreasManagePage, area_id: IdPath,
    area: Annotated[str, Form(max_length=200)] = "",
    note: Annotated[str, Form(max_length=200)] = "",
) -> Response:  # fmt: skip
    return _change(request, session, actor, area_id, {"area": area, "note": note})
