"""One run: the model stepped day by day, its outputs fed to the platform through the owning
domains' services, the platform's measures read back as the next day's controls.

``Driver.setup(session)`` reads the people and makes the venues, the fever clinics' sampling
sites and the lab; ``Driver.step(session)`` runs one simulated day in the caller's transaction
(the CLI commits once per day, so a failure leaves whole days). The platform acts at simulated
instants (``core.clock.frozen``): day ``d`` is the local date ``start + d``; scans, arrival
reports and samples carry their own minute of that day, and the end-of-day work (the lab's
results, the epidemiologist's decisions, the controls) happens at 23:59 local time.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta

import numpy as np
from sqlalchemy.orm import Session

from fangkong.cases.registry import service as cases
from fangkong.config import Settings
from fangkong.core import clock
from fangkong.core.iterables import batched
from fangkong.core.principal import SYSTEM, Principal
from fangkong.quarantine.placements import service as placements
from fangkong.simulate.driver import arrivals, experts, lab, retests, scans, tracing
from fangkong.simulate.driver.city import City, load_city
from fangkong.simulate.driver.command import Command, by_household
from fangkong.simulate.driver.controls import read_controls
from fangkong.simulate.driver.errors import DriverError
from fangkong.simulate.driver.places import Places, create_places
from fangkong.simulate.outbreak import Controls, Day, Outbreak, OutbreakError
from fangkong.testing.campaigns import service as campaigns
from fangkong.testing.sampling import service as sampling
from fangkong.testing.sampling.schemas import TubePurpose
from fangkong.tracing.contacts import service as contacts

DEFAULT_START = date(2022, 11, 1)
LAB_DELAY = timedelta(hours=6)
TEST_HOUR = time(9, 0)  # the quarantine test days are sampled in the morning
RETEST_HOUR = time(9, 30)  # the members of yesterday's positive pools, one tube each
MISSED_HOUR = time(0, 30)  # the testing.missed_rounds job: yesterday's rounds' absentees
REVIEW_HOUR = time(6, 0)  # the zones' daily review, when the official day turns
SCREENING_HOUR = time(10, 0)  # the zones' final screenings
ROUND_HOUR = time(12, 0)  # the district rounds (全员核酸)
# Residents who come to a district round. Mass rounds reported the share of the expected
# people sampled (应检尽检); 97 % is our assumption, not a published figure.
PARTICIPATION = 0.97
KEY_GROUP_HOUR = time(8, 0)  # key-group members are sampled before their work
DAY_END = time(23, 59)
# The driver acts city-wide, as the system does; its audit rows carry this name.
DRIVER = replace(SYSTEM, username="simulate.outbreak")
# scans, arrival reports, samples, results, positives of one day
Fed = tuple[int, int, int, int, int]


@dataclass(frozen=True, slots=True)
class Options:
    days: int
    seed: int
    seed_cases: int
    start: date = DEFAULT_START

    def check(self) -> None:
        if self.days < 1:
            raise DriverError(f"--days must be at least 1, not {self.days}")
        if self.seed < 0:
            raise DriverError(f"--seed must be 0 or more, not {self.seed}")
        if self.seed_cases < 1:
            raise DriverError(f"--seed-cases must be at least 1, not {self.seed_cases}")


@dataclass(frozen=True, slots=True)
class DayLine:
    """What one day did, for the per-day line: the model's infections, the samples taken and
    the results reported (positive ones), and the platform's running totals."""

    day: int
    date: date
    infections: int
    scans: int
    arrival_reports: int
    samples: int
    results: int
    positives: int
    cases: int
    contacts: int
    placements: int
    isolated: int
    locked_grids: int


class Driver:
    def __init__(self, settings: Settings, options: Options, actor: Principal = DRIVER) -> None:
        options.check()
        self.settings, self.options, self.actor = settings, options, actor
        self.controls = Controls()

    def local(self, day: int, at: time) -> datetime:
        moment = datetime.combine(self.options.start + timedelta(days=day), at, clock.LOCAL_TZ)
        return moment.astimezone(UTC)

    def setup(self, session: Session) -> None:
        """Read the city, start the model, make the venues, the sites, the lab, the checkpoint;
        list the model's risk origin as a high-risk area."""
        with clock.frozen(self.local(0, time(0, 0))):
            self.city: City = load_city(session, actor=self.actor, on=self.options.start)
            self.outbreak = self._model()
            self.places: Places = create_places(
                session, actor=self.actor, venues=self.outbreak.venues,
                grid_codes=self.city.grid_codes, seed=self.options.seed,
            )  # fmt: skip
            checkpoint = arrivals.open_checkpoint(
                session, self.settings, actor=self.actor,
                district=self.city.grid_codes[0][:6], seed=self.options.seed,
            )  # fmt: skip
            arrivals.declare_risk_origin(session, actor=self.actor, start=self.local(0, time(0, 0)))
        self.channels = arrivals.Channels(self.settings, checkpoint, self.actor)
        self.lab = lab.Lab(self.settings, self.actor, self.places.lab_id, self.options.seed,
                           LAB_DELAY)  # fmt: skip
        self.command = Command(self.settings, self.actor, self.options.seed, self._grid_code)

    def _grid_code(self, person_id: int) -> str:
        return self.city.grid_codes[int(self.city.population.grid[self.city.index_of(person_id)])]

    def _model(self) -> Outbreak:
        options = self.options
        try:
            return Outbreak(self.city.population, seed=options.seed, seed_cases=options.seed_cases)
        except OutbreakError as error:
            raise DriverError(str(error).replace("seed cases", "--seed-cases")) from None

    def step(self, session: Session) -> tuple[Day, DayLine]:
        """Run the model's next day and feed it to the platform, in the caller's transaction."""
        number = self.outbreak.day
        today = self.outbreak.step(self.controls)
        midnight, end = self.local(number, time(0, 0)), self.local(number, DAY_END)
        person_ids = self.city.population.ids.tolist()
        with clock.frozen(end):
            ids = (person_ids, self.places.venue_ids)
            fed = scans.feed_visits(session, self.settings, actor=self.actor,
                                    visits=today.visits, ids=ids, midnight=midnight)  # fmt: skip
            reports = self.channels.feed(session, today.arrival_reports, person_ids, midnight)
        with clock.frozen(self.local(number, MISSED_HOUR)):
            campaigns.mark_missed(session, today=self._date(number))
        with clock.frozen(self.local(number, REVIEW_HOUR)):
            self.command.review(session, self._date(number))
        samples = (self._key_group_tests(session, number) + self._quarantine_tests(session, number)
                   + self._retests(session, number) + self._screenings(session, number)
                   + self._district_rounds(session, number)
                   + self._fever_clinic(session, today))  # fmt: skip
        results, positives = self.lab.report(session, until=end)
        with clock.frozen(end):
            onset_of = self._onset_of(number)
            experts.classify_pending(session, actor=self.actor, onset_of=onset_of)
            experts.convert_onsets(session, actor=self.actor, onset_of=onset_of)
            self.command.zone_new_cases(session, self._date(number))
            tracing.confirm_candidates(session, actor=self.actor)
            self.controls = read_controls(session, actor=self.actor, city=self.city,
                                          venue_ids=self.places.venue_ids)  # fmt: skip
            line = self._line(session, number, today, (fed, reports, samples, results, positives))
        return today, line

    def _onset_of(self, day: int) -> Callable[[int], date | None]:
        """A resident's symptom onset by the end of ``day`` (None: none yet), from the model."""

        def onset_of(person_id: int) -> date | None:
            onset = int(self.outbreak.health.onset[self.city.index_of(person_id)])
            return self.options.start + timedelta(days=onset) if onset <= day else None

        return onset_of

    def _fever_clinic(self, session: Session, today: Day) -> int:
        """Each visit sampled at its minute at that hospital's site (one call per minute)."""
        visits = today.fever_clinic
        by_minute: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for person, minute, hospital in zip(visits.person.tolist(), visits.minute.tolist(),
                                            visits.place.tolist(), strict=True):  # fmt: skip
            by_minute[minute].append((person, self.places.sites[hospital]))
        for minute, people in sorted(by_minute.items()):
            at = self.local(today.day, time(0, 0)) + timedelta(minutes=minute)
            self._sample(session, people, at, today.day)
        return len(visits)

    def _key_group_tests(self, session: Session, number: int) -> int:
        """The key-group members the platform's schedule says are due today, sampled at 08:00
        at their grid's fever-clinic site; not those isolated today (a placed person is tested
        by the placement's days, a case in hospital)."""
        at = self.local(number, KEY_GROUP_HOUR)
        with clock.frozen(at):
            due = campaigns.due_on(session, actor=self.actor,
                                   day=self.options.start + timedelta(days=number))  # fmt: skip
        isolated = set(self.controls.isolated.tolist())
        people = [index for index in map(self.city.index_of, due) if index not in isolated]
        self._sample(session, [(person, self._site_of(person)) for person in people], at, number)
        return len(people)

    def _site_of(self, person: int) -> int:
        """The sampling site at the fever clinic of the person's grid."""
        clinic = self.outbreak.venues.fever_clinic[self.city.population.grid[person]]
        return self.places.sites[int(clinic)]

    def _quarantine_tests(self, session: Session, number: int) -> int:
        at = self.local(number, TEST_HOUR)
        with clock.frozen(at):
            due = placements.people_due_for_test(
                session, actor=self.actor, day=self.options.start + timedelta(days=number)
            )
        people = [(person, self._site_of(person)) for person in map(self.city.index_of, due)]
        self._sample(session, people, at, number)
        return len(due)

    def _retests(self, session: Session, number: int) -> int:
        """Every member of a positive pool or household tube with an open retest task (单采
        复核), sampled singly at their grid's fever-clinic site."""
        at = self.local(number, RETEST_HOUR)
        with clock.frozen(at):
            due = retests.open_retests(session, actor=self.actor)
        people = [(person, self._site_of(person)) for person in map(self.city.index_of, due)]
        self._sample(session, people, at, number, TubePurpose.RETEST)
        return len(due)

    def _screenings(self, session: Session, number: int) -> int:
        """The zones' final screenings due today: one household tube per household of the
        residents in the zone (those without one, a single tube), in the zone's round."""
        at, sampled = self.local(number, SCREENING_HOUR), 0
        with clock.frozen(at):
            due = self.command.screenings_due(session, self._date(number))
        for zone, round_id, roll in due:
            with clock.frozen(at):
                site = self.command.site_in(session, zone.region_code)
            households, alone = by_household(roll)
            positive = self._positive_of(number)
            tubes = [lab.Group(site, round_id, tuple(members), any(map(positive, members)),
                               household)
                     for household, members in households.items()]  # fmt: skip
            self.lab.sample_groups(session, at=at, groups=tubes)
            self.lab.sample(session, at=at, people=[(p, site, positive(p)) for p in alone],
                            campaign_id=round_id)  # fmt: skip
            sampled += len(roll)
        return sampled

    def _district_rounds(self, session: Session, number: int) -> int:
        """Each district round called for today: the residents of the district who come to it
        and are not isolated, ten to a pool in grid order, those the edition samples alone in
        single tubes."""
        at, sampled = self.local(number, ROUND_HOUR), 0
        isolated = set(self.controls.isolated.tolist())
        with clock.frozen(at):
            due = self.command.district_rounds(session, self._date(number))
            size = sampling.allowed_sizes(session, self.settings)[0]
        for district, round_id, site in due:
            people = [self.city.person_id(i) for i in self._joining(district, number)
                      if i not in isolated]  # fmt: skip
            with clock.frozen(at):
                alone = sampling.single_tube_reasons(session, self.settings, people)
            positive = self._positive_of(number)
            pooled = [p for p in people if p not in alone]
            groups = [lab.Group(site, round_id, tuple(chunk), any(map(positive, chunk)))
                      for chunk in batched(pooled, size)]  # fmt: skip
            self.lab.sample_groups(session, at=at, groups=groups)
            self.lab.sample(session, at=at, campaign_id=round_id,
                            people=[(p, site, positive(p)) for p in sorted(alone)])  # fmt: skip
            sampled += len(people)
        return sampled

    def _joining(self, district: str, number: int) -> list[int]:
        """The district's residents (model indices, as ``_residents_of``) who come to its round
        on day ``number``: each with chance ``PARTICIPATION``, drawn from the run's seed."""
        residents = self._residents_of(district)
        rng = np.random.default_rng((self.options.seed, number, int(district)))
        comes = rng.random(len(residents)) < PARTICIPATION
        return [person for person, joins in zip(residents, comes.tolist(), strict=True) if joins]

    def _residents_of(self, district: str) -> list[int]:
        """Model indices of the district's residents, by grid then index."""
        grids = [i for i, code in enumerate(self.city.grid_codes) if code.startswith(district)]
        grid = self.city.population.grid
        inside = np.flatnonzero(np.isin(grid, grids))
        return [int(i) for i in inside[np.argsort(grid[inside], kind="stable")]]

    def _positive_of(self, day: int) -> Callable[[int], bool]:
        health = self.outbreak.health
        return lambda person_id: lab.is_positive(health, self.city.index_of(person_id), day)

    def _date(self, number: int) -> date:
        return self.options.start + timedelta(days=number)

    def _sample(
        self, session: Session, people: list[tuple[int, int]], at: datetime, day: int,
        purpose: TubePurpose = TubePurpose.SCREENING,
    ) -> None:  # fmt: skip
        """Single tubes at ``at`` for (model index, site id) pairs, positive by the model."""
        if not people:
            return
        health = self.outbreak.health
        self.lab.sample(session, at=at, purpose=purpose, people=[
            (self.city.person_id(person), site, lab.is_positive(health, person, day))
            for person, site in people
        ])  # fmt: skip

    def _line(self, session: Session, number: int, today: Day, fed: Fed) -> DayLine:
        actor = self.actor
        return DayLine(
            number, self.options.start + timedelta(days=number), len(today.infections), *fed,
            cases=cases.count_for_export(session, actor=actor, where=cases.CaseFilter()),
            contacts=contacts.count_for_export(session, actor=actor,
                                               where=contacts.ContactFilter()),
            placements=placements.count_for_export(session, actor=actor,
                                                   where=placements.PlacementFilter()),
            isolated=len(self.controls.isolated), locked_grids=len(self.controls.locked_grids),
        )  # fmt: skip
