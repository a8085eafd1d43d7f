"""``/api/v1/testing/campaigns`` (screening rounds, coverage, the untested) and
``/api/v1/testing/key-groups`` (schedules, overdue members, summaries, exports)."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Response, status

from fangkong.core import i18n
from fangkong.core.pagination import Page
from fangkong.core.web import DbSession, Locale
from fangkong.testing.campaigns import service
from fangkong.testing.campaigns.dependencies import (
    CampaignIdPath,
    EmployerQuery,
    GroupQuery,
    Paging,
    RegionQuery,
)
from fangkong.testing.campaigns.schemas import (
    CampaignCreate,
    CampaignOut,
    Coverage,
    KeyGroupOut,
    Level,
    OverdueMember,
    OverdueSummary,
    UntestedPerson,
)
from fangkong.testing.dependencies import TestingManage, TestingRead

router = APIRouter(tags=["testing"])
ROUNDS = "/api/v1/testing/campaigns"
GROUPS = "/api/v1/testing/key-groups"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _download(body: bytes, filename: str) -> Response:
    headers = {
        "Content-Disposition": f'attachment; filename="{filename}"',
        "Cache-Control": "no-store",
    }
    return Response(body, media_type=XLSX, headers=headers)


@router.get(ROUNDS, response_model=Page[CampaignOut])
def list_campaigns(
    session: DbSession, actor: TestingRead, paging: Paging,
    status: Literal["open", "closed"] | None = None,
) -> Page[CampaignOut]:  # fmt: skip
    rows, cursor = service.list_campaigns(session, actor=actor, page=paging, status=status)
    return Page(items=service.describe(session, rows), next_cursor=cursor)


@router.post(ROUNDS, response_model=CampaignOut, status_code=status.HTTP_201_CREATED)
def create_campaign(session: DbSession, actor: TestingManage, data: CampaignCreate) -> CampaignOut:
    campaign = service.create_campaign(session, actor=actor, data=data)
    return service.describe(session, [campaign])[0]


@router.get(f"{ROUNDS}/{{campaign_id}}", response_model=CampaignOut)
def get_campaign(
    session: DbSession, actor: TestingRead, campaign_id: CampaignIdPath
) -> CampaignOut:
    campaign = service.get_campaign(session, actor=actor, campaign_id=campaign_id)
    return service.describe(session, [campaign])[0]


@router.post(f"{ROUNDS}/{{campaign_id}}/close", response_model=CampaignOut)
def close_campaign(
    session: DbSession, actor: TestingManage, campaign_id: CampaignIdPath
) -> CampaignOut:
    campaign = service.close_campaign(session, actor=actor, campaign_id=campaign_id)
    return service.describe(session, [campaign])[0]


@router.post(f"{ROUNDS}/{{campaign_id}}/refresh-target", response_model=CampaignOut)
def refresh_target(
    session: DbSession, actor: TestingManage, campaign_id: CampaignIdPath
) -> CampaignOut:
    campaign = service.refresh_target(session, actor=actor, campaign_id=campaign_id)
    return service.describe(session, [campaign])[0]


@router.get(f"{ROUNDS}/{{campaign_id}}/coverage", response_model=Coverage)
def coverage(
    session: DbSession, actor: TestingRead, locale: Locale, campaign_id: CampaignIdPath,
    level: Level = "district", region: RegionQuery = None,
) -> Coverage:  # fmt: skip
    return service.coverage(
        session, actor=actor, campaign_id=campaign_id, level=level, region=region,
        english=locale == "en",
    )  # fmt: skip


@router.get(f"{ROUNDS}/{{campaign_id}}/untested", response_model=Page[UntestedPerson])
def untested(
    session: DbSession, actor: TestingRead, campaign_id: CampaignIdPath, paging: Paging,
    grid: RegionQuery = None,
) -> Page[UntestedPerson]:  # fmt: skip
    rows, cursor = service.untested(
        session, actor=actor, campaign_id=campaign_id, grid=grid, page=paging
    )
    return Page(items=rows, next_cursor=cursor)


@router.get(f"{ROUNDS}/{{campaign_id}}/untested.xlsx", response_class=Response)
def untested_xlsx(
    session: DbSession, actor: TestingRead, locale: Locale, campaign_id: CampaignIdPath,
    grid: RegionQuery = None,
) -> Response:  # fmt: skip
    body = service.untested_xlsx(
        session, actor=actor, campaign_id=campaign_id, grid=grid,
        gettext=lambda m: i18n.gettext(locale, m),
    )  # fmt: skip
    return _download(body, f"untested-{campaign_id}.xlsx")


@router.get(GROUPS, response_model=list[KeyGroupOut])
def key_groups(session: DbSession, actor: TestingRead) -> list[KeyGroupOut]:
    return service.key_groups(session, actor=actor)


@router.get(f"{GROUPS}/overdue", response_model=Page[OverdueMember])
def overdue(
    session: DbSession, actor: TestingRead, paging: Paging, group: GroupQuery = None,
    employer: EmployerQuery = None, region: RegionQuery = None,
) -> Page[OverdueMember]:  # fmt: skip
    rows, cursor = service.overdue(
        session, actor=actor, page=paging, group=group, employer=employer, region=region
    )
    return Page(items=rows, next_cursor=cursor)


@router.get(f"{GROUPS}/overdue/summary", response_model=OverdueSummary)
def overdue_summary(
    session: DbSession, actor: TestingRead, group: GroupQuery = None, region: RegionQuery = None
) -> OverdueSummary:
    return service.overdue_summary(session, actor=actor, group=group, region=region)


@router.get(f"{GROUPS}/overdue.xlsx", response_class=Response)
def overdue_xlsx(
    session: DbSession, actor: TestingRead, locale: Locale, group: GroupQuery = None,
    employer: EmployerQuery = None, region: RegionQuery = None,
) -> Response:  # fmt: skip
    body = service.overdue_xlsx(
        session, actor=actor, gettext=lambda m: i18n.gettext(locale, m), group=group,
        employer=employer, region=region,
    )  # fmt: skip
    return _download(body, "key-group-overdue.xlsx")
