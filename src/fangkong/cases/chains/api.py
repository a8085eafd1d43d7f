"""``/api/v1/chains``: the chain graph's data (compact) and the infector links (add, list by
case, remove)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path, Query, Response, status

from fangkong.cases.chains import service
from fangkong.cases.chains.schemas import Graph, LinkCreate, LinkOut
from fangkong.cases.dependencies import CasesManage, CasesRead
from fangkong.core.scoping import REGION_PREFIX_PATTERN
from fangkong.core.web import DbSession

router = APIRouter(tags=["chains"])
CHAINS = "/api/v1/chains"
Id = Annotated[int, Query(ge=1, le=2**63 - 1)]


@router.get(CHAINS, response_model=Graph)
def chain_graph(
    session: DbSession, actor: CasesRead,
    cluster_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
    region: Annotated[str | None, Query(pattern=REGION_PREFIX_PATTERN)] = None,
    since: date | None = None,
) -> Response:  # fmt: skip
    """Cases ``c``, contacts ``k``, case links ``l``, exposures ``e`` and clusters ``g``
    (serialised once, without a second validation pass: the graph can be large)."""
    where = service.GraphFilter(cluster_id=cluster_id, region=region, since=since)
    found = service.graph(session, actor=actor, where=where)
    return Response(found.model_dump_json(), media_type="application/json")


@router.get(f"{CHAINS}/links", response_model=list[LinkOut])
def links_of_case(session: DbSession, actor: CasesRead, case_id: Id) -> list[LinkOut]:
    rows = service.links_of(session, actor=actor, case_id=case_id)
    return [LinkOut.model_validate(row) for row in rows]


@router.post(f"{CHAINS}/links", response_model=LinkOut, status_code=status.HTTP_201_CREATED)
def add_link(session: DbSession, actor: CasesManage, data: LinkCreate) -> LinkOut:
    return LinkOut.model_validate(service.add_link(session, actor=actor, data=data))


@router.delete(f"{CHAINS}/links/{{link_id}}", status_code=status.HTTP_204_NO_CONTENT)
def remove_link(
    session: DbSession, actor: CasesManage,
    link_id: Annotated[int, Path(ge=1, le=2**63 - 1)],
) -> Response:  # fmt: skip
    service.remove_link(session, actor=actor, link_id=link_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
