"""The engine: each rule of the edition, worst colour wins, edition switches, the sweep's expiry
with the clock moved, negative tests, manual changes superseded by new facts, merges."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from fangkong.core import clock
from fangkong.core.events import publish
from fangkong.core.principal import SYSTEM
from fangkong.healthcode import service
from fangkong.healthcode.engine import lifted_by_negative
from fangkong.healthcode.events import FactEnded, FactRaised, NegativeTest
from fangkong.models import PersonStatus
from fangkong.models.healthcode import HealthCodeHistory, HealthFact
from fangkong.people.events import PersonMerged
from fangkong.policy import service as policy
from fangkong.policy.loader import get_edition
from fangkong.policy.types import Colour, Reason

NINTH = get_edition("cn-9th-2022-06")
NEW10 = "cn-new10-2022-12"
# 2024-05-01 10:00 in Asia/Shanghai
T0 = datetime(2024, 5, 1, 2, 0, tzinfo=UTC)


def raise_(session, person_id, reason, ref="r1", until=None):
    publish(session, FactRaised(person_id, reason, source="test", ref=ref, until=until))


def card(session, settings, person_id):
    return service.code_card(session, settings, person_id)


@pytest.mark.parametrize("rule", NINTH.health_code.rules, ids=lambda r: r.reason.value)
def test_each_rule_of_the_edition_colours_the_code(session, settings, make_person, rule):
    person = make_person()
    raise_(session, person.id, rule.reason)
    shown = card(session, settings, person.id)
    assert shown.colour is rule.colour
    assert [r.code for r in shown.reasons] == [rule.reason.value]
    assert shown.manual is False


def test_no_fact_is_green_and_the_code_is_stored(session, settings, make_person):
    person = make_person()
    shown = card(session, settings, person.id)
    assert (shown.colour, shown.reasons) == (Colour.GREEN, ())
    assert card(session, settings, person.id).computed_at == shown.computed_at


def test_worst_colour_wins_and_every_reason_is_listed(session, settings, make_person):
    person = make_person()
    raise_(session, person.id, Reason.CONTACT_SECONDARY)
    assert card(session, settings, person.id).colour is Colour.YELLOW
    raise_(session, person.id, Reason.CASE_POSITIVE)
    shown = card(session, settings, person.id)
    assert shown.colour is Colour.RED
    assert [r.code for r in shown.reasons] == ["case.positive", "contact.secondary"]
    publish(session, FactEnded(person.id, Reason.CASE_POSITIVE, ref="r1"))
    assert card(session, settings, person.id).colour is Colour.YELLOW


def test_raising_a_fact_again_is_idempotent(session, make_person):
    person = make_person()
    raise_(session, person.id, Reason.CONTACT_CLOSE)
    raise_(session, person.id, Reason.CONTACT_CLOSE)
    facts = session.scalars(select(HealthFact).where(HealthFact.person_id == person.id)).all()
    assert len(facts) == 1
    history = session.scalars(
        select(HealthCodeHistory).where(HealthCodeHistory.person_id == person.id)
    ).all()
    assert [h.colour for h in history] == ["red"]  # a history row only on a change


def test_a_reason_without_a_rule_in_the_edition_does_not_colour(session, settings, make_person):
    policy.activate(session, actor=SYSTEM, edition_id=NEW10, default=settings.policy)
    person = make_person()
    raise_(session, person.id, Reason.CONTACT_SECONDARY)
    shown = card(session, settings, person.id)
    assert (shown.colour, shown.reasons) == (Colour.GREEN, ())


def test_switching_the_edition_changes_colours_at_the_sweep(session, settings, make_person):
    person = make_person()
    raise_(session, person.id, Reason.CONTACT_SECONDARY)
    assert card(session, settings, person.id).colour is Colour.YELLOW
    policy.activate(session, actor=SYSTEM, edition_id=NEW10, default=settings.policy)
    outcome = service.sweep(session, settings)
    assert outcome["edition_recomputed"] == 1
    assert card(session, settings, person.id).colour is Colour.GREEN
    causes = session.scalars(
        select(HealthCodeHistory.cause).where(HealthCodeHistory.person_id == person.id)
    ).all()
    assert causes[-1] == "edition"
    assert service.sweep(session, settings)["edition_recomputed"] == 0


def test_recompute_all_uses_the_active_edition(session, settings, make_person):
    person = make_person()
    raise_(session, person.id, Reason.SPACE_TIME_COMPANION)
    policy.activate(session, actor=SYSTEM, edition_id=NEW10, default=settings.policy)
    assert service.recompute_all(session, settings) >= 1
    assert card(session, settings, person.id).colour is Colour.GREEN


def test_the_sweep_ends_time_limited_facts_once_a_day(session, settings, make_person):
    person = make_person()
    with clock.frozen(T0):
        raise_(session, person.id, Reason.SPACE_TIME_COMPANION, until=T0 + timedelta(hours=2))
        assert service.sweep(session, settings)["daily"] is True  # the day's run, fact in force
    with clock.frozen(T0 + timedelta(hours=3)):  # past until, but the day's sweep ran already
        assert service.sweep(session, settings)["daily"] is False
        assert card(session, settings, person.id).colour is Colour.YELLOW
    with clock.frozen(T0 + timedelta(hours=14, minutes=5)):  # 00:05 next day, Asia/Shanghai
        outcome = service.sweep(session, settings)
        assert (outcome["daily"], outcome["expired_people"]) == (True, 1)
        assert card(session, settings, person.id).colour is Colour.GREEN
        assert service.sweep(session, settings)["daily"] is False  # idempotent


def test_due_day_follows_the_local_sweep_time():
    assert str(service.due_day(NINTH, datetime(2024, 5, 1, 15, 59, tzinfo=UTC))) == "2024-05-01"
    assert str(service.due_day(NINTH, datetime(2024, 5, 1, 16, 0, tzinfo=UTC))) == "2024-05-02"


def test_a_negative_test_lifts_only_the_facts_it_ends(session, settings, make_person):
    person = make_person()
    with clock.frozen(T0):
        raise_(session, person.id, Reason.FEVER_PENDING_TEST)
        raise_(session, person.id, Reason.CONTACT_CLOSE)
    sampled = T0 + timedelta(hours=1)
    with clock.frozen(T0 + timedelta(hours=5)):
        publish(session, NegativeTest(person.id, sampled_at=sampled, source="lab"))
        shown = card(session, settings, person.id)
    assert [r.code for r in shown.reasons] == ["contact.close"]
    assert shown.last_negative_sampled_at == sampled
    with clock.frozen(T0 + timedelta(hours=6)):
        raise_(session, person.id, Reason.POOL_POSITIVE)  # after the sampling: not lifted
        publish(session, NegativeTest(person.id, sampled_at=T0, source="lab"))
    shown = card(session, settings, person.id)
    assert "testing.pool_positive" in [r.code for r in shown.reasons]
    assert shown.last_negative_sampled_at == sampled  # an older result does not replace it


def test_reason_views_carry_zh_and_en_texts(session, settings, make_person):
    person = make_person()
    raise_(session, person.id, Reason.CASE_POSITIVE)
    [reason] = card(session, settings, person.id).reasons
    assert reason.code == "case.positive"
    assert reason.message_en == "Positive case not yet released"
    assert reason.message_zh  # the zh catalog's text once filled, else the msgid


def test_a_merge_moves_facts_to_the_kept_person(session, settings, make_person):
    kept, merged = make_person(), make_person()
    raise_(session, merged.id, Reason.CONTACT_CLOSE)
    card(session, settings, kept.id)
    publish(session, PersonMerged(merged_id=merged.id, kept_id=kept.id, actor=SYSTEM))
    assert card(session, settings, kept.id).colour is Colour.RED
    left = session.scalars(select(HealthFact).where(HealthFact.person_id == merged.id)).all()
    assert left == []


def test_an_event_for_an_unknown_person_changes_nothing(session):
    raise_(session, 99_999_999, Reason.CASE_POSITIVE)
    assert session.scalars(select(HealthFact).where(HealthFact.person_id == 99_999_999)).all() == []


def test_a_fact_for_a_merged_away_person_goes_to_the_kept_one(session, settings, make_person):
    kept, merged = make_person(), make_person()
    merged.status, merged.merged_into_id = PersonStatus.MERGED, kept.id
    session.flush()
    raise_(session, merged.id, Reason.ZONE_SEALED)
    assert card(session, settings, kept.id).colour is Colour.RED


def test_the_card_follows_an_edition_switch_before_the_sweep(session, settings, make_person):
    person = make_person()
    raise_(session, person.id, Reason.ARRIVAL_UNSCREENED)
    assert card(session, settings, person.id).colour is Colour.YELLOW
    policy.activate(session, actor=SYSTEM, edition_id=NEW10, default=settings.policy)
    assert card(session, settings, person.id).colour is Colour.GREEN


def test_only_a_single_tube_negative_lifts_a_positive_pool():
    raised = datetime(2022, 10, 1, 8, tzinfo=UTC)
    later, earlier = raised + timedelta(hours=2), raised - timedelta(hours=2)
    pool, fever = Reason.POOL_POSITIVE.value, Reason.FEVER_PENDING_TEST.value
    assert lifted_by_negative(pool, raised, later, single_tube=True)
    assert not lifted_by_negative(pool, raised, later, single_tube=False)
    assert lifted_by_negative(fever, raised, later, single_tube=False)
    assert not lifted_by_negative(fever, raised, earlier, single_tube=True)  # sampled before
    assert not lifted_by_negative(Reason.CASE_PENDING.value, raised, later, single_tube=True)
