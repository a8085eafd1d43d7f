"""Rounds: create, list, read, close, refresh the target; and the missed-round marking."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from fangkong.audit import service as audit
from fangkong.core import clock, events
from fangkong.core.pagination import PageParams
from fangkong.core.principal import SYSTEM, Principal
from fangkong.core.scoping import covers
from fangkong.healthcode import service as healthcode
from fangkong.healthcode.events import FactsRaised
from fangkong.models.testing import Campaign, CampaignRegion
from fangkong.policy.types import Reason
from fangkong.testing.campaigns import errors, repository
from fangkong.testing.campaigns.repository import Area
from fangkong.testing.campaigns.schemas import CampaignCreate, CampaignOut

AUDITED = ("name", "region_code", "starts_on", "ends_on", "status", "target_population")


def snapshot(campaign: Campaign) -> dict[str, Any]:
    return {name: getattr(campaign, name) for name in AUDITED}


def _record(
    session: Session, actor: Principal, action: str, campaign: Campaign, **rows: Any
) -> None:
    audit.record(
        session, actor=actor, action=action, object_type="campaign", object_id=campaign.id,
        region_code=campaign.region_code, **rows,
    )  # fmt: skip


def get_campaign(session: Session, *, actor: Principal, campaign_id: int) -> Campaign:
    campaign = repository.get_readable(session, actor, campaign_id)
    if campaign is None:
        raise errors.CampaignNotFound()
    return campaign


def list_campaigns(
    session: Session, *, actor: Principal, page: PageParams, status: str | None = None
) -> tuple[Sequence[Campaign], str | None]:
    return repository.page(session, actor, status, page)


def describe(session: Session, campaigns: Sequence[Campaign]) -> list[CampaignOut]:
    regions = repository.regions_of(session, [c.id for c in campaigns])
    return [
        CampaignOut.model_validate({**snapshot(c), "regions": regions[c.id], "id": c.id,
                                    "missed_marked_at": c.missed_marked_at,
                                    "created_at": c.created_at})
        for c in campaigns
    ]  # fmt: skip


def regions_of(session: Session, campaign: Campaign) -> list[str]:
    return repository.regions_of(session, [campaign.id])[campaign.id]


def _checked_regions(session: Session, actor: Principal, codes: Sequence[str]) -> list[str]:
    """Known codes inside the actor's jurisdiction; a code inside another listed one is dropped."""
    for code in codes:
        if repository.region(session, code) is None:
            raise errors.UnknownRegion(code)
        if not actor.covers(code):
            raise errors.RegionOutOfScope(code)
    unique = sorted(set(codes))
    return [c for c in unique if not any(o != c and covers(o, c) for o in unique)]


def _widest(session: Session, codes: Sequence[str]) -> str:
    """The smallest existing region that contains every code (scopes who sees the round)."""
    first = codes[0]
    for candidate in [first, *repository.ancestors(first)]:
        if all(covers(candidate, c) for c in codes) and repository.region(session, candidate):
            return candidate
    return first[:2] + "0000"


def create_campaign(session: Session, *, actor: Principal, data: CampaignCreate) -> Campaign:
    if data.ends_on < data.starts_on:
        raise errors.InvalidDates()
    regions = _checked_regions(session, actor, data.regions)
    campaign = Campaign(
        name=data.name, region_code=_widest(session, regions), starts_on=data.starts_on,
        ends_on=data.ends_on, status="open", created_by=actor.id,
        target_population=repository.residents(session, regions),
    )  # fmt: skip
    session.add(campaign)
    session.flush()
    session.add_all(CampaignRegion(campaign_id=campaign.id, region_code=r) for r in regions)
    session.flush()
    _record(
        session, actor, "campaign.create", campaign, after=snapshot(campaign) | {"regions": regions}
    )
    return campaign


def refresh_target(session: Session, *, actor: Principal, campaign_id: int) -> Campaign:
    """Count the round's residents again (people registered or moved since its creation)."""
    campaign = get_campaign(session, actor=actor, campaign_id=campaign_id)
    before = snapshot(campaign)
    campaign.target_population = repository.residents(session, regions_of(session, campaign))
    session.flush()
    if snapshot(campaign) != before:
        _record(
            session,
            actor,
            "campaign.refresh_target",
            campaign,
            before=before,
            after=snapshot(campaign),
        )
    return campaign


def close_campaign(session: Session, *, actor: Principal, campaign_id: int) -> Campaign:
    campaign = get_campaign(session, actor=actor, campaign_id=campaign_id)
    if campaign.status == "closed":
        raise errors.CampaignClosed()
    before = snapshot(campaign)
    campaign.status = "closed"
    session.flush()
    _record(session, actor, "campaign.close", campaign, before=before, after=snapshot(campaign))
    return campaign


def mark_missed(session: Session, *, today: date | None = None) -> dict[str, Any]:
    """After a round's last day (Asia/Shanghai), its target people without a tube get the
    missed-screening fact, when the edition makes that yellow; not those under control on
    the round's days (a case, a placement: tested by their own schedule). Once per round:
    the round is marked either way, so a later edition does not reach back to old rounds."""
    day = today or clock.local_today()
    yellow = healthcode.current_edition(session).health_code.missed_screening_yellow
    marked, raised = [], 0
    for campaign in repository.missed_due(session, day):
        count = _raise_missed(session, campaign) if yellow else 0
        campaign.missed_marked_at = clock.now()
        session.flush()
        _record(
            session,
            SYSTEM,
            "campaign.mark_missed",
            campaign,
            after={"missed": count, "raised": yellow},
        )
        marked.append(campaign.id)
        raised += count
    return {"rounds": marked, "raised": raised, "missed_screening_yellow": yellow}


def _raise_missed(session: Session, campaign: Campaign) -> int:
    area = Area(regions=tuple(regions_of(session, campaign)), scope=SYSTEM.region_code)
    ids = repository.untested_ids(session, campaign.id, area)
    if ids:
        ref = f"campaign:{campaign.id}"
        events.publish(session, FactsRaised(tuple(ids), Reason.SCREENING_MISSED, "testing", ref))
    return len(ids)
