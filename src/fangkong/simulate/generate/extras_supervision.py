"""Supervision of a simulated city: property companies (物业企业, a valid synthetic unified
social credit code each), property-managed compounds (物业小区) in the city's communities,
a few inspections of the six aspects with problems and their rectification deadlines, and
the compounds' video points — all through the supervision verbs, so every row is audited."""

from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy.orm import Session
from stdnum.cn import uscc

from fangkong.core import clock
from fangkong.models.supervision import PropertyCommunity, PropertyCompany
from fangkong.simulate.generate.extras_world import (
    MOST_CALLS,
    ExtrasSummary,
    World,
    days_before,
    scaled,
)
from fangkong.simulate.names import COMPANY_STEMS, COMPOUND_KINDS, PLACE_STEMS
from fangkong.supervision.companies import service as companies
from fangkong.supervision.companies.schemas import CommunityCreate, CompanyCreate
from fangkong.supervision.inspections import service as inspections
from fangkong.supervision.inspections.schemas import AspectResult, InspectionCreate
from fangkong.supervision.labels import Aspect, PointStatus, Result
from fangkong.supervision.video import service as video
from fangkong.supervision.video.schemas import VideoPointCreate

PEOPLE_PER_COMPANY = 2_000
COMPOUNDS_PER_COMMUNITY = (1, 3)
INSPECTED_SHARE = 0.4
PROBLEM_SHARE = 0.2
DEADLINE_DAYS = (3, 14)
POINTS_PER_COMPOUND = (1, 3)
POINT_STATUS_WEIGHTS = {PointStatus.ONLINE: 85, PointStatus.OFFLINE: 10, PointStatus.BROKEN: 5}
PROBLEM_NOTES = {
    Aspect.GATE: "门岗无人值守",
    Aspect.SCAN: "未查验场所码",
    Aspect.MASKS: "工作人员未规范佩戴口罩",
    Aspect.DISINFECTION: "消杀记录不全",
    Aspect.CONTACTLESS: "快递外卖未设无接触配送点",
    Aspect.PUBLICITY: "防疫宣传材料未更新",
}


def build(session: Session, world: World, summary: ExtrasSummary) -> None:
    rng = world.rng("supervision")
    count = scaled(len(world.residents), PEOPLE_PER_COMPANY, at_least=2)
    firms = [_company(session, world, rng, n) for n in range(count)]
    compounds = [
        _compound(session, world, rng, community=community, firms=firms, n=n)
        for community in _sampled(rng, world.communities)
        for n in range(rng.randint(*COMPOUNDS_PER_COMMUNITY))
    ]
    for compound in compounds:
        if rng.random() < INSPECTED_SHARE:
            _inspect(session, world, rng, compound)
            summary.inspections += 1
        for n in range(1, rng.randint(*POINTS_PER_COMPOUND) + 1):
            status = rng.choices(list(POINT_STATUS_WEIGHTS), list(POINT_STATUS_WEIGHTS.values()))
            data = VideoPointCreate(name=f"{compound.name}{n}号门", community_id=compound.id,
                                    status=status[0])  # fmt: skip
            video.create_point(session, actor=world.actor, data=data)
            summary.video_points += 1
    summary.property_companies, summary.property_communities = len(firms), len(compounds)


def _sampled(rng: random.Random, communities: list[str]) -> list[str]:
    """Every community of a city of up to ``MOST_CALLS`` communities, else that many."""
    if len(communities) <= MOST_CALLS:
        return communities
    return sorted(rng.sample(communities, MOST_CALLS))


def credit_code(district: str, rng: random.Random) -> str:
    """A synthetic unified social credit code (统一社会信用代码) of an enterprise (91) in the
    district, with a right check character (GB 32100-2015)."""
    body = f"91{district}{rng.randrange(10**9):09d}"
    return body + uscc.calc_check_digit(body)


def _company(session: Session, world: World, rng: random.Random, n: int) -> PropertyCompany:
    district = rng.choice(sorted(world.district_names))
    stem = COMPANY_STEMS[n % len(COMPANY_STEMS)]
    suffix = "" if n < len(COMPANY_STEMS) else str(n // len(COMPANY_STEMS) + 1)
    data = CompanyCreate(name=f"{stem}{suffix}物业服务有限公司",
                         credit_code=credit_code(district, rng), region_code=district,
                         contact=f"0451-8{rng.randrange(10**6):06d}")  # fmt: skip
    return companies.create_company(session, actor=world.actor, settings=world.settings, data=data)


def _compound(
    session: Session,
    world: World,
    rng: random.Random,
    *,
    community: str,
    firms: list[PropertyCompany],
    n: int,
) -> PropertyCommunity:
    """A compound of the community, run by a company of its district when there is one."""
    near = [f for f in firms if community.startswith(f.region_code)] or firms
    stem, kind = rng.choice(PLACE_STEMS)[0], rng.choice(COMPOUND_KINDS)
    data = CommunityCreate(name=f"{stem}{kind}{n + 1}期", region_code=community,
                           address=f"{stem}路{rng.randint(1, 300)}号",
                           company_id=rng.choice(near).id)  # fmt: skip
    return companies.create_community(session, actor=world.actor, data=data)


def _inspect(
    session: Session, world: World, rng: random.Random, compound: PropertyCommunity
) -> None:
    deadline_from = max(world.past_day, clock.local_today())
    results = []
    for aspect in Aspect:
        if rng.random() < PROBLEM_SHARE:
            deadline = deadline_from + timedelta(days=rng.randint(*DEADLINE_DAYS))
            note = PROBLEM_NOTES[aspect]
            results.append(AspectResult(aspect=aspect, result=Result.PROBLEM, note=note,
                                        deadline_on=deadline))  # fmt: skip
        else:
            results.append(AspectResult(aspect=aspect, result=Result.PASSED))
    data = InspectionCreate(community_id=compound.id, results=results,
                            inspected_on=days_before(world.past_day, 0, 14, rng))  # fmt: skip
    inspections.record_inspection(session, actor=world.actor, data=data)
