"""The command office (指挥部) in the driver: the local zones around cases, their final
screenings and the district rounds, through the zones, campaigns and sampling services, as
the officers would run them.

- **Evening** (after the expert group): for each case registered since the day before, its
  grid is sealed (封控区, declared over the grid's region code, the case linked as its
  infection) and its community controlled (管控区, over the community's code, around the
  sealed grid), as the 9th edition draws them around a case's home. The case is linked to
  every zone already standing over its grid and its community (their counts of clean days
  start again); a new zone is declared only where none standing is as strict (a grid whose
  zone was downgraded to controlled is sealed again by a new zone). A sealed grid is locked
  in the model from the next day on; a controlled community changes the residents' codes
  (yellow) and asks for its own final screening, not the model's movements. The venues on
  the case's trajectory (its trace-back window) are closed for ``CLOSE_DAYS`` (暂停营业 for the
  final disinfection, 终末消毒), hospitals but not; the model's visits skip a closed venue.
- **06:00**: the zones' daily review (the ``zones.review`` job), then every proposal it made
  is approved: sealed → controlled → precaution → lifted, each after its edition's clean days.
- **10:00**: each zone whose final screening (the Nth clean day, when its kind asks for one)
  falls today is screened in a round of its own (a campaign over the grid for that day), one
  household tube (一户一管) per household of the residents in the zone, at the zone's sampling
  site in the grid; those taken out of it (cases, central quarantine) are not screened.
- **12:00**: district rounds (全员核酸). A district's first case calls three daily rounds
  there from the next day (三天三轮); after them, a case found outside control (社会面, any
  channel but 隔离管控中发现) calls one more round, the day after its registration or
  ``ROUND_GAP`` days after the district's last round, whichever is later, unless a round is
  already called after that evening. So a district is screened every other day until its
  cases come only from the people under control. Each round is a campaign over the district
  for the day; the residents not isolated who join it (``PARTICIPATION``, drawn by the run's
  seed) are sampled, ten to a pooled tube (混采) in grid order, those the edition samples alone
  (key groups, red or yellow codes, a test owed) in single tubes; a positive pool's members
  are retested singly the next morning.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy.orm import Session

from fangkong.arrivals.zones import service as zones
from fangkong.arrivals.zones.schemas import CaseIn, DecisionIn, ZoneCreate, ZoneUpdate
from fangkong.cases.registry import service as cases
from fangkong.cases.registry.schemas import CaseOut
from fangkong.config import Settings
from fangkong.core import clock
from fangkong.core.principal import Principal
from fangkong.healthcode import service as healthcode
from fangkong.models.zones import Zone
from fangkong.policy.types import VenueType, ZoneKind
from fangkong.simulate.driver.caselist import every_case
from fangkong.testing.campaigns import service as campaigns
from fangkong.testing.campaigns.schemas import CampaignCreate
from fangkong.testing.sampling import service as sampling
from fangkong.testing.sampling.schemas import SiteCreate
from fangkong.tracing.trajectories import service as trajectories
from fangkong.venues import service as venues
from fangkong.venues.schemas import ClosureIn

APPROVED = "指挥部批准 (simulated command office)"
DISTRICT_DIGITS = 6
COMMUNITY_DIGITS = 12
STRICTEST_FIRST = list(ZoneKind)  # sealed, controlled, precaution
AREAS = {
    ZoneKind.SEALED: ("封控区", "病例所在网格 (the case's grid)"),
    ZoneKind.CONTROLLED: ("管控区", "病例所在社区 (the case's community)"),
}
ROUNDS_FIRST = 3  # a district's first case: a round on each of the next three days (三天三轮)
ROUND_GAP = 2  # then a round at most every other day while cases come from outside control
UNDER_CONTROL = "under_control"  # the case channel 隔离管控中发现
CLOSE_DAYS = 3  # a venue on a case's trajectory is closed for its final disinfection (终末消毒)
CLOSURE_REASON = "病例活动轨迹涉及，终末消毒"
KEEP_OPEN = {VenueType.HOSPITAL}  # a hospital disinfects but keeps its fever clinic open
# (person id, household id) of the residents a screening samples
Roll = list[tuple[int, int | None]]


@dataclass
class Command:
    """What the office has already handled: the cases zoned, its sampling sites (by grid or
    district code), the screenings taken (zone id, day) and each district's round days."""

    settings: Settings
    actor: Principal
    seed: int
    grid_of: Callable[[int], str]  # a resident's grid code
    cases_seen: set[int] = field(default_factory=set)
    sites: dict[str, int] = field(default_factory=dict)
    screened: set[tuple[int, date]] = field(default_factory=set)
    round_days: dict[str, list[date]] = field(default_factory=dict)  # district → rounds' days

    def zone_new_cases(self, session: Session, day: date) -> tuple[int, int]:
        """For the cases registered since the last call: zone their homes (the grid sealed,
        the community controlled), linking each case to the zones standing over them; close
        the venues on their trajectories; call the districts' rounds they ask for. Returns
        (zones declared, links to zones already standing)."""
        standing: dict[str, list[Zone]] = defaultdict(list)
        for zone in zones.active_zones(session, actor=self.actor):
            standing[zone.region_code].append(zone)
        shut = set(venues.closed_venue_ids(session, actor=self.actor))
        declared = linked = 0
        for case in self._new_cases(session):
            grid = self.grid_of(case.person_id)
            self._call_rounds(grid[:DISTRICT_DIGITS], day, case.channel != UNDER_CONTROL)
            infection = CaseIn(person_id=case.person_id, infected_at=case.sampled_at,
                               case_ref=case.case_no)  # fmt: skip
            shut |= self._close_venues(session, case, shut)
            for region, kind in ((grid, ZoneKind.SEALED),
                                 (grid[:COMMUNITY_DIGITS], ZoneKind.CONTROLLED)):  # fmt: skip
                there = standing[region]
                for zone in there:
                    zones.link_case(session, actor=self.actor, zone_id=zone.id, data=infection)
                linked += len(there)
                if not any(_as_strict(zone.kind, kind) for zone in there):
                    there.append(self._declare(session, region, kind, infection))
                    declared += 1
        return declared, linked

    def _close_venues(self, session: Session, case: CaseOut, shut: set[int]) -> set[int]:
        """Close, for ``CLOSE_DAYS``, the venues on the case's trajectory (its trace-back
        window) but those ``shut`` already and hospitals; returns the venues closed."""
        stops = trajectories.trajectory_of(session, actor=self.actor, case_id=case.id)
        until = clock.now() + timedelta(days=CLOSE_DAYS)
        data = ClosureIn(reason=f"{CLOSURE_REASON} {case.case_no}", until=until)
        closed = set()
        for venue_id in sorted({s.venue_id for s in stops if s.venue_id is not None} - shut):
            ref = venues.venue_ref(session, venue_id)
            if ref is None or ref.type in KEEP_OPEN:
                continue
            venues.close_venue(session, actor=self.actor, venue_id=venue_id, data=data)
            closed.add(venue_id)
        return closed

    def _call_rounds(self, district: str, day: date, community: bool) -> None:
        """The rounds a case registered on ``day`` calls in its district (see the module)."""
        called = self.round_days.get(district)
        if called is None:
            self.round_days[district] = [day + timedelta(days=n)
                                         for n in range(1, ROUNDS_FIRST + 1)]  # fmt: skip
        elif community and called[-1] <= day:
            later = max(day + timedelta(days=1), called[-1] + timedelta(days=ROUND_GAP))
            called.append(later)

    def _new_cases(self, session: Session) -> Iterable[CaseOut]:
        where = cases.CaseFilter()
        for case in list(every_case(session, actor=self.actor, where=where)):
            if case.id not in self.cases_seen and case.status != "pending":
                self.cases_seen.add(case.id)
                yield case

    def _declare(self, session: Session, region: str, kind: ZoneKind, infection: CaseIn) -> Zone:
        label, note = AREAS[kind]
        data = ZoneCreate(name=f"S{self.seed} {label} {region}", kind=kind, region_code=region,
                          cases=[infection], note=note)  # fmt: skip
        return zones.declare(session, actor=self.actor, data=data)

    def review(self, session: Session, day: date) -> int:
        """The daily review as the 06:00 job runs it, then every proposal approved; returns
        the zones changed."""
        zones.review(session, run_for=day)
        changed = 0
        for zone in zones.active_zones(session, actor=self.actor):
            if zone.pending is not None:
                zones.decide(session, actor=self.actor, zone_id=zone.id,
                             data=DecisionIn(action="approve", note=APPROVED))  # fmt: skip
                changed += 1
        return changed

    def screenings_due(self, session: Session, day: date) -> list[tuple[Zone, int, Roll]]:
        """Each zone screened today: (zone, site id, roll), its round opened and named the
        zone's final screening."""
        edition = healthcode.current_edition(session, self.settings.policy)
        due = []
        for zone in zones.active_zones(session, actor=self.actor):
            if zones.screening_day(zone, edition) != day or (zone.id, day) in self.screened:
                continue
            self.screened.add((zone.id, day))
            round_id = self._round(session, zone, day)
            roll = zones.screening_roll(session, actor=self.actor, zone_id=zone.id)
            due.append((zone, round_id, roll))
        return due

    def _round(self, session: Session, zone: Zone, day: date) -> int:
        kind = {"sealed": "封控区", "controlled": "管控区"}.get(zone.kind, zone.kind)
        data = CampaignCreate(name=f"S{self.seed} {zone.region_code} {kind}第{day:%m%d}筛查",
                              regions=[zone.region_code], starts_on=day, ends_on=day)  # fmt: skip
        campaign = campaigns.create_campaign(session, actor=self.actor, data=data)
        zones.update(session, actor=self.actor, zone_id=zone.id,
                     data=ZoneUpdate(final_screening_campaign_id=campaign.id))  # fmt: skip
        return campaign.id

    def district_rounds(self, session: Session, day: date) -> list[tuple[str, int, int]]:
        """(district, round id, site id) of each district round (全员核酸) called for today,
        its campaign opened over the district for the day."""
        due = []
        for district, days in sorted(self.round_days.items()):
            if day not in days:
                continue
            data = CampaignCreate(name=f"S{self.seed} {district} 全员核酸 {day:%m%d}",
                                  regions=[district], starts_on=day, ends_on=day)  # fmt: skip
            campaign = campaigns.create_campaign(session, actor=self.actor, data=data)
            due.append((district, campaign.id, self.site_in(session, district, "全员核酸采样点")))
        return due

    def site_in(self, session: Session, region: str, kind: str = "封控区采样点") -> int:
        """The office's sampling site in the region (a zone's grid, a district), opened on its
        first use."""
        if region not in self.sites:
            data = SiteCreate(name=f"S{self.seed} {region} {kind}", region_code=region,
                              opens_at="06:00", closes_at="22:00")  # fmt: skip
            self.sites[region] = sampling.create_site(session, actor=self.actor, data=data).id
        return self.sites[region]


def _as_strict(kind: str, than: ZoneKind) -> bool:
    """Is a zone of ``kind`` at least as strict as one of kind ``than``?"""
    return STRICTEST_FIRST.index(ZoneKind(kind)) <= STRICTEST_FIRST.index(than)


def by_household(roll: Roll) -> tuple[dict[int, list[int]], list[int]]:
    """The roll's people by household, and those without a household (sampled singly)."""
    households: dict[int, list[int]] = defaultdict(list)
    alone = []
    for person_id, household_id in roll:
        if household_id is None:
            alone.append(person_id)
        else:
            households[household_id].append(person_id)
    return dict(households), alone
