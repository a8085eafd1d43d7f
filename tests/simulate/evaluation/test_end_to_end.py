"""A few driver days on a small city, then the run scored: each figure agrees with what the
model's days and the platform's tables say when counted directly."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from fangkong.models.cases import Case
from fangkong.models.contacts import Contact, ContactLink
from fangkong.people.protect import Protector
from fangkong.simulate import city
from fangkong.simulate.driver import DEFAULT_START, Driver, Options
from fangkong.simulate.driver.files import write_mapping
from fangkong.simulate.evaluation import evaluate, read_run
from fangkong.simulate.evaluation.figures import model_day
from fangkong.simulate.outbreak import TruthWriter, simulate

PEOPLE, DAYS, SEED, SEED_CASES = 300, 4, 5, 15


def test_a_small_run_scored_against_its_own_truth(session, settings, tmp_path):
    city.build_city(
        session, people=PEOPLE, seed=3, today=DEFAULT_START,
        now=datetime(2022, 10, 31, tzinfo=UTC), protector=Protector(settings.data_key_bytes),
    )  # fmt: skip
    driver = Driver(settings, Options(days=DAYS, seed=SEED, seed_cases=SEED_CASES))
    driver.setup(session)
    write_mapping(tmp_path, driver)
    days = []
    with TruthWriter(tmp_path, driver.city.population, driver.outbreak.venues) as truth:
        for _ in range(DAYS):
            today, _line = driver.step(session)
            truth.write(today)
            days.append(today)

    figures = evaluate(session, actor=driver.actor, run=read_run(tmp_path))

    ids = driver.city.population.ids.tolist()
    cases = session.execute(select(Case.id, Case.person_id, Case.sampled_at)).all()
    assert cases and figures["found_under_control"]["cases"] == len(cases)
    sample_day = {c.person_id: model_day(c.sampled_at, DEFAULT_START) for c in cases}
    true = {
        (ids[a], ids[b])
        for day in days
        for a, b in zip(
            day.contacts.infectious.tolist(), day.contacts.contact.tolist(), strict=True
        )
        if ids[a] in sample_day and day.day <= sample_day[ids[a]]
    }
    person_of = {c.id: c.person_id for c in cases}
    links = session.execute(
        select(ContactLink.case_id, Contact.person_id)
        .join(Contact, Contact.id == ContactLink.contact_id).where(Contact.degree == "close")
    ).all()  # fmt: skip
    found = {(person_of[case], person) for case, person in links}
    tracing = figures["tracing"]
    assert (tracing["true_pairs"], tracing["found_pairs"]) == (len(true), len(found))
    assert tracing["found_true_pairs"] == len(true & found) > 0
    delay = figures["control_delay"]
    assert delay["links"] == len(set(links)) == delay["placed"] + delay["never_placed"]
    assert delay["median_hours"] is not None and delay["median_hours"] >= 0

    infected = {ids[i] for day in days for i in day.infections.infectee.tolist()}
    attack = figures["attack_rate"]
    assert attack["with_measures"] == round(len(infected) / PEOPLE, 4)
    rerun = simulate(driver.city.population, days=DAYS, seed=SEED, seed_cases=SEED_CASES)
    without = {ids[i] for day in rerun for i in day.infections.infectee.tolist()}
    assert attack["infected_without_measures"] == len(without)
