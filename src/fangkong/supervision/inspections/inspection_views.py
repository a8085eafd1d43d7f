"""Pages of inspections (督导检查): the list with its filters, the new-inspection form on the
six aspects (each a pass or a problem with its finding and rectification deadline, and one
optional photo), and an inspection's page with its findings and photos.

An unknown community, a deadline in the past or a photo that is no image re-render the form
with the domain's error (422) and nothing written: the photo is checked before the inspection
is recorded."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from starlette.datastructures import UploadFile

from fangkong.auth.dependencies import CsrfChecked
from fangkong.core import clock
from fangkong.core.bodylimit import upload_limit
from fangkong.core.errors import DomainError
from fangkong.core.forms import FormFields, blank, picked
from fangkong.core.pagination import PageParams
from fangkong.core.principal import Principal
from fangkong.core.templating import render
from fangkong.core.web import DbSession, SettingsDep
from fangkong.supervision.companies import service as companies
from fangkong.supervision.dependencies import IntIdPath, SupervisionInspectForm, SupervisionPage
from fangkong.supervision.inspections import photos, service
from fangkong.supervision.inspections.schemas import InspectionCreate
from fangkong.supervision.labels import ASPECT_NAMES, FINDING_STATUS_NAMES, Aspect, Result
from fangkong.supervision.pages import PAGE_SIZE, form_page, next_url, read, submit

router = APIRouter(include_in_schema=False)
INSPECTIONS = "/supervision/inspections"
CHOICES = 200  # communities offered in the form's list (any id in reach may be typed)
ASPECT_FIELDS = tuple(
    f"{a.value}.{part}" for a in Aspect for part in ("result", "note", "deadline_on")
)
FIELDS = ("community_id", "inspected_on", "note", *ASPECT_FIELDS)
Cursor = Annotated[str | None, Query(max_length=200)]
IdQuery = Annotated[int | None, Query(ge=1, le=2**31 - 1)]
ProblemsQuery = Annotated[Literal["", "yes", "no"] | None, Query()]


async def _photo(request: Request) -> bytes:
    """The optional photo of the form (at most one byte past the limit is read)."""
    upload = (await request.form()).get("photo")
    if isinstance(upload, UploadFile):
        return await upload.read(photos.MAX_PHOTO_BYTES + 1)
    return b""


PhotoUpload = Annotated[bytes, Depends(_photo)]


@router.get(INSPECTIONS)
def inspections_page(
    request: Request,
    *,
    session: DbSession,
    actor: SupervisionPage,
    community_id: IdQuery = None,
    start: date | None = None,
    end: date | None = None,
    problems: ProblemsQuery = None,
    cursor: Cursor = None,
) -> Response:
    filters = {"community_id": str(community_id or ""), "start": str(start or ""),
               "end": str(end or ""), "problems": problems or ""}  # fmt: skip
    with_problems = {"yes": True, "no": False}.get(problems or "")
    where = service.InspectionFilter(
        community_id=community_id, start=start, end=end, with_problems=with_problems
    )
    page = PageParams(limit=PAGE_SIZE, cursor=cursor)
    rows, next_cursor = service.list_inspections(session, actor=actor, page=page, where=where)
    names = companies.community_names(session, actor=actor, ids={i.community_id for i in rows})
    context = {"inspections": rows, "names": names, "filters": filters,
               "next_url": next_url(INSPECTIONS, filters, next_cursor)}  # fmt: skip
    return render(request, "supervision/inspections.html", context)


def _new_page(
    request: Request, session: DbSession, actor: Principal, form: dict[str, str],
    error: DomainError | None = None,
) -> Response:  # fmt: skip
    choices, _ = companies.list_communities(session, actor=actor, page=PageParams(limit=CHOICES),
                                            where=companies.CommunityFilter())  # fmt: skip
    context = {"form": form, "error": error, "communities": choices, "aspects": ASPECT_NAMES,
               "results": list(Result), "today": clock.local_today()}  # fmt: skip
    status = error.status if error else 200
    return form_page(request, "supervision/inspection_new.html", context, status)


@router.get(f"{INSPECTIONS}/new")
def new_inspection_page(
    request: Request,
    session: DbSession,
    actor: SupervisionInspectForm,
    community_id: IdQuery = None,
) -> Response:
    form = blank(FIELDS) | {"community_id": str(community_id or ""),
                            "inspected_on": clock.local_today().isoformat()}  # fmt: skip
    form |= {f"{a.value}.result": Result.PASSED.value for a in Aspect}
    return _new_page(request, session, actor, form)


def _inspection(form: dict[str, str]) -> InspectionCreate:
    """The form as the API's body: each aspect's result, its finding, and for a problem its
    deadline; blank fields left out so that they take their defaults."""
    results = []
    for aspect in Aspect:
        result = form[f"{aspect.value}.result"]
        given = {"aspect": aspect.value, "result": result, "note": form[f"{aspect.value}.note"]}
        if result == Result.PROBLEM:
            given["deadline_on"] = form[f"{aspect.value}.deadline_on"]
        results.append({k: v for k, v in given.items() if v})
    body: dict[str, Any] = {name: form[name] for name in ("community_id", "inspected_on", "note")}
    return read(InspectionCreate, body | {"results": results})


@router.post(
    f"{INSPECTIONS}/new",
    dependencies=[CsrfChecked],
    max_body_size=upload_limit(photos.MAX_PHOTO_BYTES),
)
def new_inspection_submit(
    request: Request,
    *,
    session: DbSession,
    settings: SettingsDep,
    actor: SupervisionInspectForm,
    fields: FormFields,
    photo: PhotoUpload,
) -> Response:
    form = picked(fields, FIELDS)

    def write() -> str:
        data = _inspection(form)
        if photo:
            photos.sniff(photo)  # a bad photo is refused before anything is written
        made = service.record_inspection(session, actor=actor, data=data)
        if photo:
            photos.add_photo(session, actor=actor, settings=settings, inspection_id=made.id,
                             data=photo)  # fmt: skip
        return f"{INSPECTIONS}/{made.id}"

    return submit(session, write, lambda exc: _new_page(request, session, actor, form, exc))


@router.get(f"{INSPECTIONS}/{{inspection_id}}")
def inspection_page(
    request: Request, session: DbSession, actor: SupervisionPage, inspection_id: IntIdPath
) -> Response:
    found = service.get_inspection(session, actor=actor, inspection_id=inspection_id)
    names = companies.community_names(session, actor=actor, ids={found.community_id})
    context = {"inspection": service.inspection_out(session, found),
               "community": names.get(found.community_id, ""), "aspects": ASPECT_NAMES,
               "status_names": FINDING_STATUS_NAMES, "today": clock.local_today()}  # fmt: skip
    return form_page(request, "supervision/inspection.html", context, 200)


@router.get("/supervision/photos/{photo_id}")
def photo_file(
    session: DbSession, settings: SettingsDep, actor: SupervisionPage, photo_id: IntIdPath
) -> Response:
    data, media_type = photos.open_photo(session, actor=actor, settings=settings, photo_id=photo_id)
    return Response(data, media_type=media_type, headers={"Cache-Control": "private, no-store"})
