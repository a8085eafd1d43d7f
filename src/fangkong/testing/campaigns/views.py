"""Pages of screening rounds and key-group schedules: the rounds list and the new-round form,
a round's coverage (ECharts bars, drill-down district → street → community → grid, totals),
the grid worker's not-yet-tested list, the overdue key-group members with filters, and their
XLSX exports.

The chart's script is ``/static/js/coverage.js``: the CSP allows scripts from this origin
only, never inline; the figures come in the page's ``data-`` attributes.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from fangkong.auth.dependencies import CsrfChecked
from fangkong.auth.permissions import Perm
from fangkong.core import clock, i18n
from fangkong.core.errors import N_, DomainError
from fangkong.core.forms import FormFields
from fangkong.core.pagination import PageParams
from fangkong.core.principal import Principal
from fangkong.core.templating import render
from fangkong.core.web import DbSession, Locale
from fangkong.healthcode import service as healthcode
from fangkong.testing.campaigns import service
from fangkong.testing.campaigns.dependencies import CampaignIdPath
from fangkong.testing.campaigns.schemas import CampaignCreate, Coverage, Level
from fangkong.testing.dependencies import TestingManagePage, TestingReadPage

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 50
NO_STORE = {"Cache-Control": "no-store"}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NEXT_LEVEL: dict[int, Level] = {0: "district", 6: "street", 9: "community", 12: "grid", 15: "grid"}
LEVEL_LABELS = {
    "district": N_("District"), "street": N_("Street"), "community": N_("Community"),
    "grid": N_("Grid"),
}  # fmt: skip
FIELD_HINTS = {
    "name": N_("Enter 1 to 100 characters."),
    "regions": N_("Region codes of 6, 9, 12 or 15 digits, separated by spaces or commas."),
    "starts_on": N_("Choose a date."),
    "ends_on": N_("Choose a date."),
}
ERROR_FIELDS = {
    "testing.campaign_unknown_region": "regions",
    "testing.campaign_region_out_of_jurisdiction": "regions",
    "testing.campaign_invalid_dates": "ends_on",
}
Cursor = Annotated[str | None, Query(max_length=200)]
CodeQuery = Annotated[str | None, Query(pattern=r"^([0-9]{6}([0-9]{3}){0,3})?$")]
TextQuery = Annotated[str | None, Query(max_length=200)]
StatusQuery = Annotated[Literal["", "open", "closed"] | None, Query()]


def _no_store(response: Response) -> Response:
    response.headers.update(NO_STORE)
    return response


def _download(body: bytes, filename: str) -> Response:
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'} | NO_STORE
    return Response(body, media_type=XLSX, headers=headers)


def _next_url(path: str, query: dict[str, str], cursor: str | None) -> str | None:
    if not cursor:
        return None
    return f"{path}?{urlencode({k: v for k, v in query.items() if v} | {'cursor': cursor})}"


# --- rounds -----------------------------------------------------------------------------


@router.get("/testing/campaigns")
def campaigns_page(
    request: Request, session: DbSession, actor: TestingReadPage, status: StatusQuery = None,
    cursor: Cursor = None,
) -> Response:  # fmt: skip
    page = PageParams(limit=PAGE_SIZE, cursor=cursor)
    rows, next_cursor = service.list_campaigns(
        session, actor=actor, page=page, status=status or None
    )
    context = {
        "campaigns": service.describe(session, rows), "status": status or "",
        "next_url": _next_url("/testing/campaigns", {"status": status or ""}, next_cursor),
    }  # fmt: skip
    return render(request, "testing/campaigns_list.html", context)


def _new_page(
    request: Request, form: dict[str, str], errors: dict[str, Any], status: int = 200
) -> Response:
    return _no_store(
        render(request, "testing/campaigns_new.html", {"form": form, "errors": errors}, status)
    )


@router.get("/testing/campaigns/new")
def new_campaign_page(request: Request, actor: TestingManagePage) -> Response:
    today = clock.local_today().isoformat()
    form = {"name": "", "regions": actor.region_code, "starts_on": today, "ends_on": today}
    return _new_page(request, form, {})


def _field_errors(exc: ValidationError) -> dict[str, Any]:
    errors: dict[str, Any] = {}
    for error in exc.errors():
        name = str(error["loc"][0]) if error["loc"] else "_"
        errors.setdefault(name, FIELD_HINTS.get(name, N_("This value is not valid.")))
    return errors


@router.post("/testing/campaigns/new", dependencies=[CsrfChecked])
def new_campaign_submit(
    request: Request, session: DbSession, actor: TestingManagePage, fields: FormFields
) -> Response:
    form = {name: fields.get(name, "") for name in ("name", "regions", "starts_on", "ends_on")}
    regions = [code for code in form["regions"].replace(",", " ").split() if code]
    try:
        data = CampaignCreate.model_validate(form | {"regions": regions})
        campaign = service.create_campaign(session, actor=actor, data=data)
    except ValidationError as exc:
        return _new_page(request, form, _field_errors(exc), 422)
    except DomainError as exc:
        session.rollback()
        errors = {"_": exc} | (
            {ERROR_FIELDS[exc.code]: exc.title} if exc.code in ERROR_FIELDS else {}
        )
        return _new_page(request, form, errors, exc.status)
    return RedirectResponse(f"/testing/campaigns/{campaign.id}", status_code=303)


# --- one round: coverage ------------------------------------------------------------------


def _chart_rows(campaign_id: int, found: Coverage, level: Level) -> list[dict[str, Any]]:
    base = f"/testing/campaigns/{campaign_id}?region="
    return [
        row.model_dump() | {"href": base + row.code if level != "grid" else None}
        for row in found.rows
    ]


def _crumbs(region: str | None) -> list[str]:
    """The codes above ``region`` down to it (district first), for the drill-down trail."""
    if not region:
        return []
    return [region[:n] for n in (6, 9, 12, 15) if n <= len(region)]


@router.get("/testing/campaigns/{campaign_id}")
def campaign_page(
    request: Request, session: DbSession, actor: TestingReadPage, locale: Locale,
    campaign_id: CampaignIdPath, region: CodeQuery = None,
) -> Response:  # fmt: skip
    campaign = service.get_campaign(session, actor=actor, campaign_id=campaign_id)
    level = NEXT_LEVEL[len(region or "")]
    found = service.coverage(
        session, actor=actor, campaign_id=campaign_id, level=level, region=region or None,
        english=locale == "en",
    )  # fmt: skip
    context = {
        "campaign": service.describe(session, [campaign])[0], "coverage": found, "level": level,
        "level_label": LEVEL_LABELS[level], "region": region or "", "crumbs": _crumbs(region),
        "chart_rows": _chart_rows(campaign_id, found, level),
        "manage": actor.can(Perm.TESTING_MANAGE),
    }  # fmt: skip
    return _no_store(render(request, "testing/campaigns_detail.html", context))


@router.post("/testing/campaigns/{campaign_id}/close", dependencies=[CsrfChecked])
def close_campaign(
    session: DbSession, actor: TestingManagePage, campaign_id: CampaignIdPath
) -> Response:
    service.close_campaign(session, actor=actor, campaign_id=campaign_id)
    return RedirectResponse(f"/testing/campaigns/{campaign_id}", status_code=303)


@router.post("/testing/campaigns/{campaign_id}/refresh-target", dependencies=[CsrfChecked])
def refresh_target(
    session: DbSession, actor: TestingManagePage, campaign_id: CampaignIdPath
) -> Response:
    service.refresh_target(session, actor=actor, campaign_id=campaign_id)
    return RedirectResponse(f"/testing/campaigns/{campaign_id}", status_code=303)


# --- the not yet tested ---------------------------------------------------------------------


@router.get("/testing/campaigns/{campaign_id}/untested")
def untested_page(
    request: Request, session: DbSession, actor: TestingReadPage, campaign_id: CampaignIdPath,
    grid: CodeQuery = None, cursor: Cursor = None,
) -> Response:  # fmt: skip
    campaign = service.get_campaign(session, actor=actor, campaign_id=campaign_id)
    rows, next_cursor = service.untested(
        session, actor=actor, campaign_id=campaign_id, grid=grid or None,
        page=PageParams(limit=PAGE_SIZE, cursor=cursor),
    )  # fmt: skip
    path = f"/testing/campaigns/{campaign_id}/untested"
    context = {
        "campaign": campaign, "people": rows, "grid": grid or "",
        "next_url": _next_url(path, {"grid": grid or ""}, next_cursor),
        "export_url": f"{path}.xlsx" + (f"?grid={grid}" if grid else ""),
    }  # fmt: skip
    return _no_store(render(request, "testing/campaigns_untested.html", context))


@router.get("/testing/campaigns/{campaign_id}/untested.xlsx")
def untested_export(
    session: DbSession, actor: TestingReadPage, locale: Locale, campaign_id: CampaignIdPath,
    grid: CodeQuery = None,
) -> Response:  # fmt: skip
    body = service.untested_xlsx(
        session, actor=actor, campaign_id=campaign_id, grid=grid or None,
        gettext=lambda m: i18n.gettext(locale, m),
    )  # fmt: skip
    return _download(body, f"untested-{campaign_id}.xlsx")


# --- key groups overdue -----------------------------------------------------------------------


def _overdue_filters(group: str | None, employer: str | None, region: str | None) -> dict[str, str]:
    return {"group": group or "", "employer": employer or "", "region": region or ""}


def _overdue_context(
    session: DbSession, actor: Principal, filters: dict[str, str], cursor: str | None
) -> dict[str, Any]:
    where = {k: v or None for k, v in filters.items()}
    rows, next_cursor = service.overdue(
        session, actor=actor, page=PageParams(limit=PAGE_SIZE, cursor=cursor), **where
    )
    summary = service.overdue_summary(
        session, actor=actor, group=where["group"], region=where["region"]
    )
    return {
        "members": rows, "summary": summary, "filters": filters,
        "groups": healthcode.current_edition(session).key_groups,
        "next_url": _next_url("/testing/key-groups/overdue", filters, next_cursor),
        "export_url": "/testing/key-groups/overdue.xlsx?"
        + urlencode({k: v for k, v in filters.items() if v}),
    }  # fmt: skip


@router.get("/testing/key-groups/overdue")
def overdue_page(
    request: Request, session: DbSession, actor: TestingReadPage, group: TextQuery = None,
    employer: TextQuery = None, region: CodeQuery = None, cursor: Cursor = None,
) -> Response:  # fmt: skip
    filters = _overdue_filters(group, employer, region)
    try:
        context = _overdue_context(session, actor, filters, cursor)
    except DomainError as exc:
        empty = _overdue_filters(None, None, None)
        context = _overdue_context(session, actor, empty, None) | {"filters": filters, "error": exc}
        return _no_store(render(request, "testing/campaigns_overdue.html", context, exc.status))
    return _no_store(render(request, "testing/campaigns_overdue.html", context))


@router.get("/testing/key-groups/overdue.xlsx")
def overdue_export(
    session: DbSession, actor: TestingReadPage, locale: Locale, group: TextQuery = None,
    employer: TextQuery = None, region: CodeQuery = None,
) -> Response:  # fmt: skip
    body = service.overdue_xlsx(
        session, actor=actor, gettext=lambda m: i18n.gettext(locale, m), group=group or None,
        employer=employer or None, region=region or None,
    )  # fmt: skip
    return _download(body, "key-group-overdue.xlsx")
