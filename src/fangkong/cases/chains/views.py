"""The chain graph page (``/chains``): an ECharts force graph of the readable cases (coloured
by kind, clusters as categories) and their contacts (small, grey), fed by ``/chains/data``;
and the form that adds an infector link by case numbers."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from fangkong.auth.dependencies import CsrfChecked
from fangkong.auth.permissions import Perm
from fangkong.cases.chains import service
from fangkong.cases.chains.schemas import Certainty, LinkCreate, Via
from fangkong.cases.dependencies import CasesManagePage, CasesReadPage
from fangkong.cases.registry import clusters
from fangkong.cases.registry import service as cases
from fangkong.core.errors import N_, DomainError, InvalidInput
from fangkong.core.pagination import PageParams
from fangkong.core.principal import Principal
from fangkong.core.templating import render
from fangkong.core.web import DbSession

router = APIRouter(include_in_schema=False)
CLUSTER = Annotated[int | None, Query(ge=1, le=2**31 - 1)]
REGION = Annotated[str | None, Query(pattern=r"^([0-9]{2,15})?$")]
FIELDS = ("infector_no", "infectee_no", "via", "certainty", "note")
VIA_LABELS = {"household": N_("Household"), "venue": N_("Venue"), "transport": N_("Transport"),
              "interview": N_("Interview"), "other": N_("Other")}  # fmt: skip
CERTAINTY_LABELS = {"confirmed": N_("Confirmed link"), "probable": N_("Probable link")}


class FormInvalid(InvalidInput):
    code = "chain.form_invalid"
    title = N_("Give both case numbers, how the infection passed and how sure it is.")


async def _form_fields(request: Request) -> dict[str, str]:
    form = await request.form()
    return {k: v.strip() for k, v in form.multi_items() if isinstance(v, str) and k in FIELDS}


def _page(request: Request, session: DbSession, actor: Principal, cluster_id: int | None,
          region: str | None, error: DomainError | None = None,
          form: dict[str, str] | None = None) -> Response:  # fmt: skip
    found, _ = clusters.list_clusters(session, actor=actor, page=PageParams(limit=500))
    context: dict[str, Any] = {
        "clusters": found, "cluster_id": cluster_id, "region": region or "", "error": error,
        "form": form or {}, "manage": actor.can(Perm.CASES_MANAGE),
        "vias": VIA_LABELS, "certainties": CERTAINTY_LABELS,
    }  # fmt: skip
    return render(request, "cases/chains.html", context, error.status if error else 200)


@router.get("/chains")
def chains_page(
    request: Request, session: DbSession, actor: CasesReadPage, cluster_id: CLUSTER = None,
    region: REGION = None,
) -> Response:  # fmt: skip
    return _page(request, session, actor, cluster_id, region)


@router.get("/chains/data")
def chains_data(
    session: DbSession, actor: CasesReadPage, cluster_id: CLUSTER = None, region: REGION = None,
    since: date | None = None,
) -> Response:  # fmt: skip
    where = service.GraphFilter(cluster_id=cluster_id, region=region or None, since=since)
    found = service.graph(session, actor=actor, where=where)
    return Response(found.model_dump_json(), media_type="application/json",
                    headers={"Cache-Control": "no-store"})  # fmt: skip


@router.post("/chains/links", dependencies=[CsrfChecked])
def add_link(
    request: Request, session: DbSession, actor: CasesManagePage,
    fields: Annotated[dict[str, str], Depends(_form_fields)],
) -> Response:  # fmt: skip
    try:
        infector = cases.case_by_no(session, actor=actor, case_no=fields.get("infector_no", ""))
        infectee = cases.case_by_no(session, actor=actor, case_no=fields.get("infectee_no", ""))
        data = LinkCreate(infector_id=infector.id, infectee_id=infectee.id,
                          via=Via(fields.get("via", "")),
                          certainty=Certainty(fields.get("certainty") or "probable"),
                          note=fields.get("note", ""))  # fmt: skip
        service.add_link(session, actor=actor, data=data)
    except (ValidationError, ValueError, DomainError) as exc:
        session.rollback()
        error = exc if isinstance(exc, DomainError) else FormInvalid()
        return _page(request, session, actor, None, None, error, fields)
    return RedirectResponse(f"/cases/{infectee.id}", status_code=303)
