"""Overview pages: the seven counts with drill-down, grid-worker load, and the grid ledger.

The ledger download is a page route: the JSON API's ``ledger.xlsx`` wants a bearer token,
a browser has a session. Each download is logged as an export of the grid's records.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import Response

from fangkong.core import i18n
from fangkong.core.pagination import PageParams
from fangkong.core.principal import Principal
from fangkong.core.ratelimit import Kind, per_user
from fangkong.core.scoping import REGION_CODE_PATTERN
from fangkong.core.templating import render
from fangkong.core.web import DbSession, Locale, SettingsDep
from fangkong.models import Region, RegionLevel
from fangkong.people import exports, service
from fangkong.people.views.common import LABELS, NO_STORE, CodeQuery, PeoplePage
from fangkong.regions import service as regions

router = APIRouter(include_in_schema=False)
CodePath = Annotated[str, Path(pattern=REGION_CODE_PATTERN)]
ExportPage = Annotated[Principal, Depends(per_user(Kind.EXPORT, PeoplePage))]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_CHILDREN = 500
MAX_LOAD_ROWS = 1000


def _ancestors(session: DbSession, actor: Principal, region: Region) -> list[Region]:
    """The regions above ``region`` that the actor may open, top first (the breadcrumb)."""
    found: list[Region] = []
    parent = region.parent_code
    while parent and actor.covers(parent):
        above = regions.get_region(session, actor=actor, code=parent)
        found.insert(0, above)
        parent = above.parent_code
    return found


def _counts_context(session: DbSession, actor: Principal, code: str) -> dict[str, Any]:
    region = regions.get_region(session, actor=actor, code=code)
    children, _ = regions.children(
        session, actor=actor, parent=code, page=PageParams(limit=MAX_CHILDREN)
    )
    return {
        "region": region,
        "ancestors": _ancestors(session, actor, region),
        "totals": service.region_counts(session, actor=actor, region_code=code),
        "rows": [
            (child, service.region_counts(session, actor=actor, region_code=child.code))
            for child in children
        ],
        "keys": service.COUNT_KEYS,
        "labels": LABELS,
        "grid": RegionLevel.GRID,
    }


@router.get("/counts")
def counts_home(request: Request, session: DbSession, actor: PeoplePage) -> Response:
    context = _counts_context(session, actor, actor.region_code)
    return render(request, "people/counts.html", context)


@router.get("/counts/{code}")
def counts_page(
    request: Request, session: DbSession, actor: PeoplePage, code: CodePath
) -> Response:
    return render(request, "people/counts.html", _counts_context(session, actor, code))


def _load_summary(loads: list[service.Load]) -> dict[str, int]:
    return {
        "grids": len(loads),
        "workers": sum(load.workers for load in loads),
        "overloaded": sum(load.overloaded for load in loads),
        "unstaffed": sum(load.unstaffed for load in loads),
    }


@router.get("/worker-load")
def worker_load_page(
    request: Request,
    *,
    session: DbSession,
    settings: SettingsDep,
    actor: PeoplePage,
    region: CodeQuery = None,
    problems: bool = False,
) -> Response:
    code = region or actor.region_code
    limit = settings.grid_worker_max_households
    loads = service.worker_load(session, actor=actor, region_code=code, max_households=limit)
    shown = [load for load in loads if load.overloaded or load.unstaffed] if problems else loads
    context = {
        "region": regions.get_region(session, actor=actor, code=code),
        "loads": shown[:MAX_LOAD_ROWS],
        "truncated": len(shown) > MAX_LOAD_ROWS,
        "summary": _load_summary(loads),
        "problems": problems,
        "max_households": limit,
    }
    return render(request, "people/worker_load.html", context)


# Declared before the page: "/ledger/{code}" would take "CODE.xlsx" and refuse it as a code.
@router.get("/ledger/{grid_code}.xlsx")
def ledger_download(
    session: DbSession, actor: ExportPage, locale: Locale, grid_code: CodePath
) -> Response:
    ledger = service.ledger(session, actor=actor, grid_code=grid_code)
    body = exports.ledger_xlsx(ledger, lambda text: i18n.gettext(locale, text))
    service.log_export(session, actor, grid_code)
    headers = {"Content-Disposition": f'attachment; filename="ledger-{grid_code}.xlsx"'}
    return Response(body, media_type=XLSX, headers=headers | NO_STORE)


@router.get("/ledger/{grid_code}")
def ledger_page(
    request: Request, session: DbSession, actor: PeoplePage, grid_code: CodePath
) -> Response:
    ledger = service.ledger(session, actor=actor, grid_code=grid_code)
    region = regions.get_region(session, actor=actor, code=grid_code)
    context = {
        "ledger": ledger,
        "totals": service.region_counts(session, actor=actor, region_code=grid_code),
        "workers": service.grid_workers(session, actor=actor, grid_code=grid_code),
        "region": region,
        "ancestors": _ancestors(session, actor, region),
        "keys": service.COUNT_KEYS,
        "labels": LABELS,
    }
    return render(request, "people/ledger.html", context)
