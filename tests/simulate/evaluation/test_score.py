"""The run scored on a hand-made truth and hand-made platform records: a tiny city, a run
folder written by hand, and cases, contacts and placements whose figures are counted below."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from fangkong.config import Settings
from fangkong.models import Person
from fangkong.models.cases import Case
from fangkong.models.contacts import Contact, ContactLink
from fangkong.models.quarantine import Placement
from fangkong.people.protect import Protector
from fangkong.simulate import city
from fangkong.simulate.driver import DEFAULT_START
from fangkong.simulate.driver.city import load_city
from fangkong.simulate.driver.run import DRIVER
from fangkong.simulate.evaluation import EvaluationError, evaluate, read_run
from fangkong.simulate.outbreak import Day, simulate

SEED, SEED_CASES, DAYS = 11, 2, 3
T_A = datetime(2022, 11, 2, 1, 0, tzinfo=UTC)  # day 1, 09:00 local: person A's positive sample
T_B = T_A + timedelta(days=1)  # day 2, 09:00 local: person B's


def at(hours: float) -> datetime:
    return T_A + timedelta(hours=hours)


class World:
    def __init__(self, session: Session, folder: Path) -> None:
        self.session, self.folder = session, folder
        self.population = load_city(session, actor=DRIVER, on=DEFAULT_START).population
        self.ids = [int(i) for i in self.population.ids.tolist()]
        self.seeds = {self.ids[i] for i in next(self._model()).infections.infectee.tolist()}
        self.numbers = iter(range(1, 100))

    def _model(self) -> Iterator[Day]:
        return simulate(self.population, days=DAYS, seed=SEED, seed_cases=SEED_CASES)

    def write_run(self, infected: list[int], contacts: list[tuple[int, int, int]]) -> None:
        mapping = {"seed": SEED, "seed_cases": SEED_CASES, "days": DAYS,
                   "start": DEFAULT_START.isoformat(), "people": self.ids}  # fmt: skip
        (self.folder / "mapping.json").write_text(json.dumps(mapping), encoding="utf-8")
        rows = [(p, "", "seed", -1, 0, 0) for p in sorted(self.seeds)]
        rows += [(p, self.ids[0], "household", 0, 1, 0) for p in infected]
        self._csv("infections", ("infectee_id", "infector_id", "setting", "place", "day",
                                 "minute"), rows)  # fmt: skip
        self._csv("contacts", ("infectious_id", "contact_id", "setting", "place", "day",
                               "minutes"), [(a, b, "venue", 0, d, 30) for a, b, d in contacts])  # fmt: skip

    def _csv(self, name: str, header: tuple[str, ...], rows: list[tuple[object, ...]]) -> None:
        with (self.folder / f"{name}.csv").open("w", newline="", encoding="utf-8") as handle:
            csv.writer(handle).writerows([header, *rows])

    def grid(self, person: int) -> str:
        found = self.session.get(Person, person)
        assert found is not None
        return found.grid_code

    def case(self, person: int, sampled_at: datetime) -> Case:
        case = Case(case_no=f"T-{next(self.numbers)}", person_id=person, source="nat",
                    channel="community_screening", sampled_at=sampled_at,
                    confirmed_at=sampled_at + timedelta(hours=6), reported_on=sampled_at.date(),
                    status="pending", region_code=self.grid(person), edition_id="test")  # fmt: skip
        self.session.add(case)
        self.session.flush()
        return case

    def contact(self, case: Case, person: int, degree: str = "close",
                status: str = "confirmed") -> None:  # fmt: skip
        contact = Contact(person_id=person, degree=degree, status=status, is_open=False,
                          first_exposure_at=at(-30), last_exposure_at=at(-29),
                          region_code=self.grid(person), owner_region=self.grid(person)[:6],
                          edition_id="test")  # fmt: skip
        self.session.add(contact)
        self.session.flush()
        self.session.add(ContactLink(contact_id=contact.id, case_id=case.id, reason="venue",
                                     exposure_start_at=at(-30), exposure_end_at=at(-29)))  # fmt: skip

    def placement(self, person: int, made: datetime, status: str = "active",
                  transferred: datetime | None = None) -> None:  # fmt: skip
        self.session.add(Placement(
            person_id=person, measure="home_isolation", basis="contact", day0_at=made - timedelta(
                days=1), starts_at=made - timedelta(days=1), ends_at=made + timedelta(days=7),
            days=7, test_days=[1], status=status, region_code=self.grid(person),
            edition_id="test", created_at=made, transferred_at=transferred,
        ))  # fmt: skip
        self.session.flush()


@pytest.fixture
def world(session: Session, settings: Settings, tmp_path: Path) -> World:
    city.build_city(
        session, people=40, seed=3, today=DEFAULT_START, now=datetime(2022, 10, 31, tzinfo=UTC),
        protector=Protector(settings.data_key_bytes),
    )  # fmt: skip
    return World(session, tmp_path)


def test_the_four_figures_on_hand_made_records(session, world):
    a, b, c, d, e, f, f2, g, h, k, x = world.ids[10:21]
    world.write_run(infected=[c, d, 999_999], contacts=[
        (a, c, 0), (a, d, 1), (a, e, 2),  # (a, e) on day 2 is after A's sample day: not true
        (b, a, 1), (x, c, 0),  # x is not a platform case
    ])  # fmt: skip
    case_a, case_b = world.case(a, T_A), world.case(b, T_B)
    late = world.case(k, T_A + timedelta(days=5))  # sampled after the run's days: not scored
    for person in (c, f, f2):
        world.contact(case_a, person)
    world.contact(case_a, g, status="rejected")
    world.contact(case_a, h, degree="secondary")
    world.contact(case_b, a)
    world.contact(late, c)
    world.placement(c, at(15))
    world.placement(f, at(39))
    world.placement(f2, at(2), status="cancelled")
    world.placement(b, at(-9), status="transferred", transferred=T_B + timedelta(hours=6))

    figures = evaluate(session, actor=DRIVER, run=read_run(world.folder))

    # true {(a,c), (a,d), (b,a)}; found {(a,c), (a,f), (a,f2), (b,a)}
    assert figures["tracing"] == {
        "index_people": 2, "true_pairs": 3, "found_pairs": 4, "found_true_pairs": 2,
        "recall": 0.6667, "precision": 0.5,
    }  # fmt: skip
    # c placed 15 h and f 39 h after A's sample; f2 (cancelled) and a (a case) never placed
    assert figures["control_delay"] == {
        "links": 4, "placed": 2, "never_placed": 2, "already_placed": 0, "median_hours": 27.0,
        "median_hours_placed_later": 27.0,
    }  # fmt: skip
    # b was under an open placement at the sample; a was not
    assert figures["found_under_control"] == {"cases": 2, "under_control": 1, "share": 0.5}
    attack = figures["attack_rate"]
    infected = len(world.seeds | {c, d})
    assert attack["infected_with_measures"] == infected
    assert attack["with_measures"] == round(infected / 40, 4)
    rerun = {world.ids[i] for day in world._model() for i in day.infections.infectee.tolist()}
    assert attack["infected_without_measures"] == len(rerun)
    assert figures["residents"] == 40 and figures["days"] == DAYS


def test_a_truth_of_other_seed_cases_is_refused(session, world):
    world.seeds = set(sorted(set(world.ids) - world.seeds)[:SEED_CASES])  # not the model's
    world.write_run(infected=[], contacts=[])
    with pytest.raises(EvaluationError, match="seed cases"):
        evaluate(session, actor=DRIVER, run=read_run(world.folder))


def test_other_people_than_the_runs_are_refused(session, world):
    world.ids = world.ids[:-1]
    world.write_run(infected=[], contacts=[])
    with pytest.raises(EvaluationError, match="people"):
        evaluate(session, actor=DRIVER, run=read_run(world.folder))


def test_a_missing_folder_or_truth_file_is_refused(tmp_path):
    with pytest.raises(EvaluationError, match="does not exist"):
        read_run(tmp_path / "nowhere")
    (tmp_path / "mapping.json").write_text("{}", encoding="utf-8")
    with pytest.raises(EvaluationError, match=r"lacks infections\.csv, contacts\.csv"):
        read_run(tmp_path)
