"""``/api/v1/cases`` and ``/api/v1/clusters``: the case list and file, creation by hand, the
line list, classification, conversion, transfer, outcome, hand-over, clusters and the
bulletin counts."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Query, status
from pydantic import AwareDatetime

from fangkong.cases.dependencies import CasesManage, CasesRead
from fangkong.cases.registry import bulletin, clusters, errors, line_list, service
from fangkong.cases.registry.dependencies import CaseIdPath, ClusterIdPath
from fangkong.cases.registry.schemas import (
    CaseCreate,
    CaseDetail,
    CaseOut,
    CaseStatus,
    Channel,
    ClassifyIn,
    ClusterCreate,
    ClusterOut,
    ClusterSet,
    ClusterUpdate,
    ConvertIn,
    CountsOut,
    HandOverIn,
    Kind,
    LineListIn,
    LineListReport,
    OutcomeIn,
    TransferIn,
)
from fangkong.core import clock
from fangkong.core.pagination import Page, PageParams
from fangkong.core.scoping import REGION_PREFIX_PATTERN
from fangkong.core.web import DbSession, SettingsDep, page_params
from fangkong.people.protect import Protector

router = APIRouter(tags=["cases"])
CASES = "/api/v1/cases"
CLUSTERS = "/api/v1/clusters"
Paging = Annotated[PageParams, Depends(page_params)]


@router.get(CASES, response_model=Page[CaseOut])
def list_cases(
    session: DbSession, actor: CasesRead, paging: Paging, kind: Kind | None = None,
    status: CaseStatus | None = None, channel: Channel | None = None,
    district: Annotated[str | None, Query(pattern=REGION_PREFIX_PATTERN)] = None,
    cluster_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
    reported_from: date | None = None, reported_to: date | None = None,
    case_no: Annotated[str | None, Query(pattern=r"^[0-9-]{1,32}$")] = None,
) -> Page[CaseOut]:  # fmt: skip
    where = service.CaseFilter(
        kind=kind.value if kind else None, status=status.value if status else None,
        channel=channel.value if channel else None, district=district, cluster_id=cluster_id,
        reported_from=reported_from, reported_to=reported_to, case_no=case_no,
    )  # fmt: skip
    items, cursor = service.list_cases(session, actor=actor, page=paging, where=where)
    return Page(items=items, next_cursor=cursor)


@router.post(CASES, response_model=CaseDetail, status_code=status.HTTP_201_CREATED)
def create_case(session: DbSession, actor: CasesManage, data: CaseCreate) -> CaseDetail:
    case = service.create_case(session, actor=actor, data=data)
    return service.detail(session, actor=actor, case_id=case.id)


@router.post(f"{CASES}/line-list", response_model=LineListReport)
def paste_line_list(
    session: DbSession, settings: SettingsDep, actor: CasesManage, data: LineListIn
) -> LineListReport:
    """Pasted rows (tab-separated, a header row); nothing is written when a row is refused,
    unless ``write_good_rows``."""
    return line_list.import_rows(
        session, actor=actor, protector=Protector(settings.data_key_bytes),
        rows=line_list.rows_of_text(data.text), write_good_rows=data.write_good_rows,
    )  # fmt: skip


@router.get(f"{CASES}/counts", response_model=CountsOut)
def counts(
    session: DbSession, actor: CasesRead, date: date | None = None,
    start: AwareDatetime | None = None, end: AwareDatetime | None = None,
) -> CountsOut:  # fmt: skip
    """The bulletin's figures of an official day (06:00–06:00), or of ``[start, end)``."""
    if start is not None or end is not None:
        if start is None or end is None or date is not None:
            raise errors.BadDate()
        return bulletin.bulletin_counts(session, actor=actor, start=start, end=end)
    day = date or clock.local_today() - timedelta(days=1)
    return bulletin.day_counts(session, actor=actor, day=day)


@router.get(f"{CASES}/{{case_id}}", response_model=CaseDetail)
def get_case(session: DbSession, actor: CasesRead, case_id: CaseIdPath) -> CaseDetail:
    return service.detail(session, actor=actor, case_id=case_id)


@router.post(f"{CASES}/{{case_id}}/classify", response_model=CaseDetail)
def classify(
    session: DbSession, actor: CasesManage, case_id: CaseIdPath, data: ClassifyIn
) -> CaseDetail:
    service.classify(session, actor=actor, case_id=case_id, data=data)
    return service.detail(session, actor=actor, case_id=case_id)


@router.post(f"{CASES}/{{case_id}}/convert", response_model=CaseDetail)
def convert(
    session: DbSession, actor: CasesManage, case_id: CaseIdPath, data: ConvertIn
) -> CaseDetail:
    service.convert(session, actor=actor, case_id=case_id, data=data)
    return service.detail(session, actor=actor, case_id=case_id)


@router.post(f"{CASES}/{{case_id}}/transfer", response_model=CaseDetail)
def transfer(
    session: DbSession, actor: CasesManage, case_id: CaseIdPath, data: TransferIn
) -> CaseDetail:
    service.transfer(session, actor=actor, case_id=case_id, data=data)
    return service.detail(session, actor=actor, case_id=case_id)


@router.post(f"{CASES}/{{case_id}}/outcome", response_model=CaseDetail)
def outcome(
    session: DbSession, actor: CasesManage, case_id: CaseIdPath, data: OutcomeIn
) -> CaseDetail:
    service.close(session, actor=actor, case_id=case_id, data=data)
    return service.detail(session, actor=actor, case_id=case_id)


@router.post(f"{CASES}/{{case_id}}/hand-over", response_model=CaseOut)
def hand_over(
    session: DbSession, actor: CasesManage, case_id: CaseIdPath, data: HandOverIn
) -> CaseOut:
    """The case goes to another epidemiologist; the caller may lose sight of it after."""
    case = service.hand_over(session, actor=actor, case_id=case_id, data=data)
    return service.cases_out(session, [case])[0]


@router.put(f"{CASES}/{{case_id}}/cluster", response_model=CaseDetail)
def set_cluster(
    session: DbSession, actor: CasesManage, case_id: CaseIdPath, data: ClusterSet
) -> CaseDetail:
    clusters.set_cluster(session, actor=actor, case_id=case_id, data=data)
    return service.detail(session, actor=actor, case_id=case_id)


@router.get(CLUSTERS, response_model=Page[ClusterOut])
def list_clusters(session: DbSession, actor: CasesRead, paging: Paging) -> Page[ClusterOut]:
    items, cursor = clusters.list_clusters(session, actor=actor, page=paging)
    return Page(items=items, next_cursor=cursor)


@router.post(CLUSTERS, response_model=ClusterOut, status_code=status.HTTP_201_CREATED)
def create_cluster(session: DbSession, actor: CasesManage, data: ClusterCreate) -> ClusterOut:
    return ClusterOut.model_validate(clusters.create(session, actor=actor, data=data))


@router.patch(f"{CLUSTERS}/{{cluster_id}}", response_model=ClusterOut)
def update_cluster(
    session: DbSession, actor: CasesManage, cluster_id: ClusterIdPath, data: ClusterUpdate
) -> ClusterOut:
    cluster = clusters.update(session, actor=actor, cluster_id=cluster_id, data=data)
    return ClusterOut.model_validate(cluster)
