"""Care (民生保障) of a simulated city, through the care verbs (every row audited): volunteers
among working-age residents, bedridden and dialysis needs of some elderly residents, one-to-one
pairings of vulnerable residents with a volunteer of their community, a responsibility team
(包保工作组) per district with a visit and a hazard, and a few requests of paired residents,
some already done."""

from __future__ import annotations

import random
from collections import defaultdict

from sqlalchemy.orm import Session

from fangkong.care.kinds import SERVICE_KINDS, RequestKind
from fangkong.care.requests import service as requests
from fangkong.care.requests.schemas import RequestCreate
from fangkong.care.teams import service as teams
from fangkong.care.teams.schemas import HazardCreate, TeamCreate, VisitCreate
from fangkong.care.volunteers import service as volunteers
from fangkong.care.volunteers.schemas import NeedIn, PairingCreate, VolunteerCreate
from fangkong.simulate.generate.extras_world import (
    ExtrasSummary,
    Resident,
    World,
    days_before,
    scaled,
)

PEOPLE_PER_VOLUNTEER = 1_000
PEOPLE_PER_NEED = 1_000
PEOPLE_PER_PAIRING = 1_000
PEOPLE_PER_REQUEST = 2_000
VOLUNTEER_AGES = (18, 60)
NEED_AGE = 70
TEAM_MEMBERS = 3
MAX_TEAM_COMMUNITIES = 50
DONE_SHARE = 0.4
REQUEST_TEXTS = {
    RequestKind.NAT_AT_HOME: "行动不便，申请上门核酸采样",
    RequestKind.SUPPLY_DELIVERY: "需要代购米面油和蔬菜",
    RequestKind.PSYCH_SUPPORT: "独居老人情绪低落，希望有人陪伴聊天",
    RequestKind.SPECIAL_CARE: "需要定期探望",
    RequestKind.LEGAL_AID: "咨询房屋租赁纠纷",
    RequestKind.HOUSEHOLD_REPAIR: "厨房水管漏水",
}
HAZARDS = ("楼道堆放杂物", "消防通道被占用", "电动车楼内充电", "围挡破损")


def build(session: Session, world: World, summary: ExtrasSummary) -> None:
    rng = world.rng("care")
    people = len(world.residents)
    helpers = _volunteers(session, world, rng, scaled(people, PEOPLE_PER_VOLUNTEER))
    summary.volunteers = sum(len(v) for v in helpers.values())
    needy = _needs(session, world, rng, scaled(people, PEOPLE_PER_NEED))
    summary.care_needs = len(needy)
    paired = _pairings(session, world, rng, (helpers, needy), scaled(people, PEOPLE_PER_PAIRING))
    summary.pairings = len(paired)
    summary.care_teams = _teams(session, world, rng)
    summary.care_requests = _requests(session, world, rng, paired, people)


def _volunteers(
    session: Session, world: World, rng: random.Random, count: int
) -> dict[str, list[int]]:
    """Volunteer ids by the community they serve."""
    low, high = VOLUNTEER_AGES
    able = [r for r in world.residents if low <= world.age(r) <= high]
    found: dict[str, list[int]] = defaultdict(list)
    for resident in rng.sample(able, min(count, len(able))):
        skills = rng.sample(SERVICE_KINDS, rng.randint(2, 4))
        data = VolunteerCreate(person_id=resident.id, skills=skills,
                               areas=[resident.community_code])  # fmt: skip
        volunteer = volunteers.register_volunteer(session, actor=world.actor, data=data)
        found[resident.community_code].append(volunteer.id)
    return found


def _needs(session: Session, world: World, rng: random.Random, count: int) -> set[int]:
    """Bedridden or dialysis needs of some elderly residents; their ids."""
    elderly = [r for r in world.residents if world.age(r) >= NEED_AGE]
    chosen = rng.sample(elderly, min(count, len(elderly)))
    for resident in chosen:
        bedridden = rng.random() < 0.7
        data = NeedIn(bedridden=bedridden, dialysis=not bedridden or rng.random() < 0.1)
        volunteers.set_need(session, actor=world.actor, person_id=resident.id, data=data)
    return {r.id for r in chosen}


def _pairings(
    session: Session,
    world: World,
    rng: random.Random,
    known: tuple[dict[str, list[int]], set[int]],
    count: int,
) -> list[Resident]:
    """Vulnerable residents (living alone, disabled, with a need) of communities with a
    volunteer, each paired with one of them."""
    helpers, needy = known
    candidates = [r for r in world.residents if r.community_code in helpers]
    paired: list[Resident] = []
    for resident in rng.sample(candidates, len(candidates)):
        if len(paired) >= count:
            break
        if not (resident.elderly_alone or resident.disabled or resident.id in needy):
            continue
        data = PairingCreate(person_id=resident.id,
                             volunteer_id=rng.choice(helpers[resident.community_code]))  # fmt: skip
        volunteers.pair(session, actor=world.actor, data=data)
        paired.append(resident)
    return paired


def _teams(session: Session, world: World, rng: random.Random) -> int:
    by_district: dict[str, list[str]] = defaultdict(list)
    for community in world.communities:
        by_district[community[:6]].append(community)
    adults = [r.name for r in world.residents if world.age(r) >= VOLUNTEER_AGES[0]]
    names = adults or [r.name for r in world.residents]
    for district, communities in sorted(by_district.items()):
        staff = rng.sample(names, min(TEAM_MEMBERS + 1, len(names)))
        data = TeamCreate(name=f"{world.district_names.get(district, district)}包保工作组",
                          region_code=district, leader=staff[0], members=staff[1:],
                          duties="包保社区的防控督导、物资保障和隐患排查",
                          communities=communities[:MAX_TEAM_COMMUNITIES])  # fmt: skip
        team = teams.create_team(session, actor=world.actor, data=data)
        community = rng.choice(data.communities)
        visit = VisitCreate(community_code=community, notes="入户走访，检查防控措施落实",
                            visited_on=days_before(world.past_day, 0, 7, rng))  # fmt: skip
        teams.record_visit(session, actor=world.actor, team_id=team.id, data=visit)
        hazard = HazardCreate(community_code=community, description=rng.choice(HAZARDS),
                              found_on=visit.visited_on)  # fmt: skip
        teams.record_hazard(session, actor=world.actor, team_id=team.id, data=hazard)
    return len(by_district)


def _requests(
    session: Session, world: World, rng: random.Random, paired: list[Resident], people: int
) -> int:
    """Service requests of paired residents; some of them already done."""
    asking = paired[: scaled(people, PEOPLE_PER_REQUEST)]
    for resident in asking:
        kind = rng.choice(SERVICE_KINDS)
        data = RequestCreate(person_id=resident.id, kind=kind, text=REQUEST_TEXTS[kind])
        request = requests.ask(session, actor=world.actor, settings=world.settings, data=data)
        if rng.random() < DONE_SHARE:
            requests.start(session, actor=world.actor, request_id=request.id)
            requests.complete(session, actor=world.actor, request_id=request.id,
                              outcome="已上门服务完毕")  # fmt: skip
    return len(asking)
