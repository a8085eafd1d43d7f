"""Scoring one run: the platform's records, read through the owning domains' services, against
the model's ground truth in the run folder, and the run's attack rate against the same model
rerun without measures.

The platform's side is every case in the actor's jurisdiction whose first positive sample
falls in the run's days (local midnight of the start to local midnight after the last day),
the close contacts linked to those cases (rejected ones left out) and the placements of the
cases' and contacts' people (cancelled ones left out).

The run without measures rebuilds the model's population from the database exactly as the
driver did (``driver.city.load_city``, on the run's start day) and refuses when the people are
not the run's; the same seed then gives the same venues and the same seed cases (checked
against ``infections.csv``), and the model steps the run's days with no controls.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy.orm import Session

from fangkong.cases.registry import service as cases
from fangkong.core import clock
from fangkong.core.principal import Principal
from fangkong.quarantine.placements import service as placements
from fangkong.simulate.driver.city import load_city
from fangkong.simulate.driver.errors import DriverError
from fangkong.simulate.evaluation import figures, truth
from fangkong.simulate.evaluation.figures import CaseSample, Span
from fangkong.simulate.evaluation.truth import EvaluationError, RunInfo
from fangkong.simulate.outbreak import Outbreak, OutbreakError
from fangkong.tracing.contacts import service as contacts


@dataclass(frozen=True, slots=True)
class Platform:
    cases: list[CaseSample]
    links: set[tuple[int, int]]  # (case id, close contact's person id)
    spans: dict[int, list[Span]]  # person id -> placements


def local_midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), clock.LOCAL_TZ)


def read_platform(session: Session, *, actor: Principal, run: RunInfo) -> Platform:
    since = local_midnight(run.start)
    until = local_midnight(run.start + timedelta(days=run.days))
    rows = cases.samples_between(session, actor=actor, since=since, until=until)
    found = [CaseSample(*row) for row in rows]
    links = contacts.close_contacts_of_cases(session, actor=actor,
                                             case_ids=[c.case_id for c in found])  # fmt: skip
    people = {c.person_id for c in found} | {person for _, person in links}
    spans = placements.placement_spans(session, actor=actor, person_ids=sorted(people))
    return Platform(found, links, figures.spans_by_person(spans))


def without_measures(
    session: Session, *, actor: Principal, run: RunInfo
) -> tuple[set[int], set[int]]:
    """Everyone infected and the seed cases (person ids) of the model rerun with no controls."""
    try:
        city = load_city(session, actor=actor, on=run.start)
    except DriverError as error:
        raise EvaluationError(str(error)) from None
    ids = city.population.ids.tolist()
    if ids != run.people:
        raise EvaluationError("the people in the database are not the run's people")
    try:
        model = Outbreak(city.population, seed=run.seed, seed_cases=run.seed_cases)
    except OutbreakError as error:
        raise EvaluationError(str(error)) from None
    infected, seeded = set[int](), set[int]()
    for _ in range(run.days):
        day = model.step()
        found = [ids[i] for i in day.infections.infectee.tolist()]
        infected.update(found)
        if day.day == 0:
            seeded.update(found[: run.seed_cases])
    return infected, seeded


def evaluate(session: Session, *, actor: Principal, run: RunInfo) -> dict[str, Any]:
    """The four figures of the run (read-only: nothing is written to the database)."""
    platform = read_platform(session, actor=actor, run=run)
    firsts = figures.first_samples(platform.cases)
    last_day = {person: figures.model_day(at, run.start) for person, at in firsts.items()}
    true = truth.true_pairs(run.folder, last_day)
    found = figures.found_pairs(platform.cases, platform.links)
    return {
        "run": str(run.folder), "seed": run.seed, "days": run.days,
        "start": run.start.isoformat(), "residents": len(run.people),
        "tracing": figures.tracing(found, true),
        "control_delay": figures.control_delay(platform.cases, platform.links, platform.spans),
        "found_under_control": figures.found_under_control(platform.cases, platform.spans),
        "attack_rate": _attack_rates(session, actor, run),
    }  # fmt: skip


def _attack_rates(session: Session, actor: Principal, run: RunInfo) -> dict[str, object]:
    infected, seeded = truth.infected(run.folder)
    rerun, rerun_seeded = without_measures(session, actor=actor, run=run)
    if rerun_seeded != seeded:
        raise EvaluationError("the rerun's seed cases are not the run's: the city has changed")
    with_count, with_rate = figures.attack_rate(infected, run.people)
    without_count, without_rate = figures.attack_rate(rerun, run.people)
    return {
        "infected_with_measures": with_count, "with_measures": with_rate,
        "infected_without_measures": without_count, "without_measures": without_rate,
    }  # fmt: skip
