"""The sweep as the job worker runs it, the handlers every process registers, and manual
changes that end at their ``until``."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from fangkong.core import clock
from fangkong.core.events import _handlers, publish
from fangkong.core.principal import Principal
from fangkong.healthcode import handlers, service
from fangkong.healthcode.events import FactEnded, FactRaised, NegativeTest
from fangkong.healthcode.schemas import ChangeIn
from fangkong.jobs import runner
from fangkong.jobs.catalog import all_jobs
from fangkong.people.events import PersonMerged
from fangkong.policy.types import Colour, Reason

T0 = datetime(2024, 5, 1, 2, 0, tzinfo=UTC)  # 10:00 in Asia/Shanghai


def officer(user_id: int) -> Principal:
    return Principal(
        id=user_id,
        username=f"officer{user_id}",
        role="district_officer",
        region_code="230102",
        permissions=frozenset({"health_code.change", "people.read"}),
    )


def test_the_job_catalog_and_the_handlers_are_registered():
    job = all_jobs()["healthcode.sweep"]
    assert job.cron == "*/5 * * * *"
    assert handlers.on_fact_raised in _handlers[FactRaised]
    assert handlers.on_fact_ended in _handlers[FactEnded]
    assert handlers.on_negative_test in _handlers[NegativeTest]
    assert handlers.on_person_merged in _handlers[PersonMerged]


def test_the_runner_runs_the_sweep(db, settings, session, make_person):
    person = make_person()
    with clock.frozen(T0):
        publish(session, FactRaised(person.id, Reason.CONTACT_SECONDARY, "t", "1", T0))
    session.commit()
    with clock.frozen(T0 + timedelta(minutes=5)):
        outcome = runner.run(db, settings, all_jobs()["healthcode.sweep"], date(2024, 5, 1))
    assert (outcome["daily"], outcome["expired_people"]) == (True, 1)
    assert service.code_card(session, settings, person.id).colour is Colour.GREEN


def test_a_manual_change_ends_at_its_until(session, settings, make_person):
    person = make_person()
    with clock.frozen(T0):
        data = ChangeIn(
            person_id=person.id, colour=Colour.RED, reason="复核", until=T0 + timedelta(hours=1)
        )
        change = service.propose(session, actor=officer(1), data=data)
        service.approve(
            session, actor=officer(2), settings=settings, change_id=change.id, note=None
        )
        assert service.code_card(session, settings, person.id).colour is Colour.RED
    with clock.frozen(T0 + timedelta(hours=14, minutes=5)):  # the next day's sweep
        service.sweep(session, settings)
        shown = service.code_card(session, settings, person.id)
    assert (shown.colour, shown.manual) == (Colour.GREEN, False)
