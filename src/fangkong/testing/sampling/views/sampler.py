"""Pages of sampling: the sampler's phone page (``/testing/sampler``: choose a site and round,
scan a tube, scan people, seal) and the public queue board (``/testing/sites/queue``).

The sampler page is plain forms that post and redirect (303), so it works on any phone
browser and with a hand scanner that types and presses Enter; a refused scan re-renders the
page with the error inline and the input kept.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from fangkong.auth.dependencies import CsrfChecked
from fangkong.core.errors import N_, DomainError
from fangkong.core.forms import FormFields
from fangkong.core.pagination import PageParams
from fangkong.core.principal import Principal
from fangkong.core.templating import render
from fangkong.core.web import DbSession, SettingsDep
from fangkong.models.testing import SamplingSite, Tube
from fangkong.testing.dependencies import TestingSamplePage
from fangkong.testing.sampling import errors, service
from fangkong.testing.sampling.dependencies import PersonIdPath, TubeIdPath
from fangkong.testing.sampling.labels import KIND_LABELS, PURPOSE_LABELS, QUEUE_LABELS
from fangkong.testing.sampling.schemas import QueueUpdate, TubeKind, TubeOpen, TubePurpose

router = APIRouter(include_in_schema=False)
SAMPLER = "/testing/sampler"
MAX_SITES = 200
NO_STORE = {"Cache-Control": "no-store"}
IdQuery = Annotated[int | None, Query(ge=1, le=2**31 - 1)]
BAD_FORM = N_("Please correct the marked fields.")


def _no_store(response: Response) -> Response:
    response.headers.update(NO_STORE)
    return response


def _number(text: str | None) -> int | None:
    return int(text) if text and text.isdigit() and len(text) < 12 else None


def _sampler_url(site_id: int | None, campaign_id: int | None, **extra: str) -> str:
    query = {"site_id": site_id, "campaign_id": campaign_id, **extra}
    return f"{SAMPLER}?{urlencode({k: v for k, v in query.items() if v})}"


# --- the sampler: site and round, open a tube -----------------------------------------------


def _sites(session: DbSession, actor: Principal) -> list[SamplingSite]:
    where = service.SiteFilter(active=True)
    page = PageParams(limit=MAX_SITES)
    return list(service.list_sites(session, actor=actor, page=page, where=where)[0])


def _sampler_context(
    session: DbSession, settings: SettingsDep, actor: Principal, site_id: int | None,
    campaign_id: int | None,
) -> dict[str, Any]:  # fmt: skip
    sites = _sites(session, actor)
    site = next((s for s in sites if s.id == site_id), sites[0] if len(sites) == 1 else None)
    default_size, sizes = service.allowed_sizes(session, settings)
    campaigns = service.open_campaigns(session, site) if site else []
    return {
        "sites": sites, "site": site, "campaigns": campaigns,
        "campaign_id": campaign_id if any(c == campaign_id for c, _ in campaigns) else None,
        "default_size": default_size, "sizes": sizes, "kinds": KIND_LABELS,
        "purposes": PURPOSE_LABELS, "queue_labels": QUEUE_LABELS,
        "form": {"kind": TubeKind.POOLED.value, "capacity": str(default_size)}, "error": None,
    }  # fmt: skip


@router.get(SAMPLER)
def sampler_page(
    request: Request,
    session: DbSession,
    settings: SettingsDep,
    actor: TestingSamplePage,
    site_id: IdQuery = None,
    campaign_id: IdQuery = None,
    sealed: Annotated[str | None, Query(max_length=24)] = None,
) -> Response:
    context = _sampler_context(session, settings, actor, site_id, campaign_id)
    context["sealed"] = sealed
    return _no_store(render(request, "testing/sampling_sampler.html", context))


def _tube_open(fields: dict[str, str], site_id: int | None, campaign_id: int | None) -> TubeOpen:
    return TubeOpen.model_validate({
        "barcode": fields.get("barcode", ""), "site_id": site_id,
        "kind": fields.get("kind") or TubeKind.POOLED.value,
        "capacity": _number(fields.get("capacity")), "campaign_id": campaign_id,
        "purpose": fields.get("purpose") or TubePurpose.SCREENING.value,
        "household_id": _number(fields.get("household_id")),
    })  # fmt: skip


def _resume(session: DbSession, actor: Principal, barcode: str) -> Tube | None:
    """A scanned barcode of an open tube in reach: carry on filling it."""
    try:
        tube = service.tube_by_barcode(session, actor=actor, barcode=barcode)
    except errors.TubeNotFound:
        return None
    return tube if tube.status == "open" else None


@router.post(f"{SAMPLER}/tubes", dependencies=[CsrfChecked])
def sampler_open(
    request: Request,
    session: DbSession,
    settings: SettingsDep,
    actor: TestingSamplePage,
    fields: FormFields,
) -> Response:
    site_id, campaign_id = _number(fields.get("site_id")), _number(fields.get("campaign_id"))
    try:
        tube = service.open_tube(
            session, settings, actor=actor, data=_tube_open(fields, site_id, campaign_id)
        )
    except (ValidationError, DomainError) as exc:
        session.rollback()
        resumed = _resume(session, actor, fields.get("barcode", ""))
        if isinstance(exc, errors.TubeExists) and resumed is not None:
            return RedirectResponse(f"{SAMPLER}/tubes/{resumed.id}", status_code=303)
        context = _sampler_context(session, settings, actor, site_id, campaign_id)
        context |= {"form": fields, "error": _error_of(exc)}
        return _no_store(render(request, "testing/sampling_sampler.html", context, _status(exc)))
    return RedirectResponse(f"{SAMPLER}/tubes/{tube.id}", status_code=303)


def _error_of(exc: Exception) -> DomainError:
    if isinstance(exc, DomainError):
        return exc
    return errors.BadBarcode() if _barcode_field(exc) else _FormError()


def _barcode_field(exc: Exception) -> bool:
    return isinstance(exc, ValidationError) and any(
        e["loc"] and e["loc"][0] == "barcode" for e in exc.errors()
    )


class _FormError(DomainError):
    code = "request.invalid"
    status = 422
    title = BAD_FORM


def _status(exc: Exception) -> int:
    return exc.status if isinstance(exc, DomainError) else 422


@router.post(f"{SAMPLER}/queue", dependencies=[CsrfChecked])
def sampler_queue(
    request: Request,
    session: DbSession,
    settings: SettingsDep,
    actor: TestingSamplePage,
    fields: FormFields,
) -> Response:
    site_id, campaign_id = _number(fields.get("site_id")), _number(fields.get("campaign_id"))
    try:
        data = QueueUpdate.model_validate(
            {"status": fields.get("status"), "length": _number(fields.get("length")) or 0}
        )
        service.update_queue(session, actor=actor, site_id=site_id or 0, data=data)
    except (ValidationError, DomainError) as exc:
        session.rollback()
        context = _sampler_context(session, settings, actor, site_id, campaign_id)
        context["queue_error"] = _error_of(exc)
        return _no_store(render(request, "testing/sampling_sampler.html", context, _status(exc)))
    return RedirectResponse(_sampler_url(site_id, campaign_id), status_code=303)


# --- the sampler: one tube ------------------------------------------------------------------


def _tube_page(
    request: Request, session: DbSession, actor: Principal, tube_id: int, status: int = 200,
    **extra: Any,
) -> Response:  # fmt: skip
    tube = service.get_tube(session, actor=actor, tube_id=tube_id)
    context = {
        "tube": tube, "members": service.members(session, tube), "kinds": KIND_LABELS,
        "purposes": PURPOSE_LABELS, "error": None, "code": "",
        "back": _sampler_url(tube.site_id, tube.campaign_id),
    } | extra  # fmt: skip
    return _no_store(render(request, "testing/sampling_tube.html", context, status))


@router.get(f"{SAMPLER}/tubes/{{tube_id}}")
def sampler_tube(
    request: Request, session: DbSession, actor: TestingSamplePage, tube_id: TubeIdPath
) -> Response:
    return _tube_page(request, session, actor, tube_id)


@router.post(f"{SAMPLER}/tubes/{{tube_id}}/members", dependencies=[CsrfChecked])
def sampler_add(
    request: Request,
    session: DbSession,
    settings: SettingsDep,
    actor: TestingSamplePage,
    tube_id: TubeIdPath,
    fields: FormFields,
) -> Response:
    code = fields.get("code", "")
    try:
        data = service.scanned(code)
        service.add_member(session, settings, actor=actor, tube_id=tube_id, data=data)
    except DomainError as exc:
        session.rollback()
        # The scanned text is not echoed back: it may be an ID number.
        return _tube_page(request, session, actor, tube_id, exc.status, error=exc)
    return RedirectResponse(f"{SAMPLER}/tubes/{tube_id}", status_code=303)


@router.post(
    f"{SAMPLER}/tubes/{{tube_id}}/members/{{person_id}}/remove", dependencies=[CsrfChecked]
)
def sampler_remove(
    request: Request,
    session: DbSession,
    actor: TestingSamplePage,
    tube_id: TubeIdPath,
    person_id: PersonIdPath,
) -> Response:
    try:
        service.remove_member(session, actor=actor, tube_id=tube_id, person_id=person_id)
    except DomainError as exc:
        session.rollback()
        return _tube_page(request, session, actor, tube_id, exc.status, error=exc)
    return RedirectResponse(f"{SAMPLER}/tubes/{tube_id}", status_code=303)


@router.post(f"{SAMPLER}/tubes/{{tube_id}}/seal", dependencies=[CsrfChecked])
def sampler_seal(
    request: Request, session: DbSession, actor: TestingSamplePage, tube_id: TubeIdPath
) -> Response:
    try:
        tube = service.seal_tube(session, actor=actor, tube_id=tube_id)
    except DomainError as exc:
        session.rollback()
        return _tube_page(request, session, actor, tube_id, exc.status, error=exc)
    url = _sampler_url(tube.site_id, tube.campaign_id, sealed=tube.barcode)
    return RedirectResponse(url, status_code=303)


# --- the public queue board -----------------------------------------------------------------


@router.get("/testing/sites/queue")
def queue_board_page(
    request: Request,
    session: DbSession,
    region: Annotated[str | None, Query(pattern=r"^([0-9]{2,15})?$")] = None,
) -> Response:
    """Public, no sign-in: where to get tested now, and how long the queue is."""
    every = service.queue_board(session, region=None)
    rows = [row for row in every if not region or row.region_code.startswith(region)]
    context = {
        "rows": rows, "region": region or "", "labels": QUEUE_LABELS,
        "districts": service.district_names(session, [row.region_code for row in every]),
    }  # fmt: skip
    return render(request, "testing/sampling_queue.html", context)
