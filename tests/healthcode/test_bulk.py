"""Facts of many people at once (``FactsRaised`` / ``FactsEnded``): the same codes, history and
merge-following as the per-person events, in bulk."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from fangkong.core import clock
from fangkong.core.events import publish
from fangkong.healthcode import service as healthcode
from fangkong.healthcode.events import (
    FactEnded,
    FactRaised,
    FactsEnded,
    FactsRaised,
    FactsRaisedEach,
)
from fangkong.models import PersonStatus
from fangkong.models.healthcode import (
    CodeChangeRequest,
    HealthCode,
    HealthCodeHistory,
    HealthFact,
)
from fangkong.policy.types import Reason


def _codes(session, people):
    session.expire_all()
    rows = session.scalars(select(HealthCode).where(HealthCode.person_id.in_(people))).all()
    return {code.person_id: (code.colour, list(code.reasons)) for code in rows}


def _history(session, person_id):
    query = select(HealthCodeHistory.colour).where(HealthCodeHistory.person_id == person_id)
    return list(session.scalars(query.order_by(HealthCodeHistory.id)))


def test_bulk_gives_the_codes_and_history_of_the_per_person_events(session, make_person):
    bulk = [make_person().id for _ in range(3)]
    single = [make_person().id for _ in range(3)]
    for ids in (bulk, single):  # both groups start with a yellow fact on their first person
        publish(session, FactRaised(ids[0], Reason.KEY_GROUP_OVERDUE, "t", "kg"))
    publish(session, FactsRaised(tuple(bulk), Reason.ZONE_SEALED, "zones", "zone:1"))
    for person_id in single:
        publish(session, FactRaised(person_id, Reason.ZONE_SEALED, "zones", "zone:1"))
    bulk_codes, single_codes = _codes(session, bulk), _codes(session, single)
    assert [bulk_codes[p] for p in bulk] == [single_codes[p] for p in single]
    assert bulk_codes[bulk[0]] == ("red", ["zone.sealed", "key_group.test_overdue"])
    assert [_history(session, p) for p in bulk] == [_history(session, p) for p in single]

    publish(session, FactsEnded(tuple(bulk), Reason.ZONE_SEALED, "zone:1"))
    for person_id in single:
        publish(session, FactEnded(person_id, Reason.ZONE_SEALED, "zone:1"))
    bulk_codes, single_codes = _codes(session, bulk), _codes(session, single)
    assert [bulk_codes[p] for p in bulk] == [single_codes[p] for p in single]
    assert bulk_codes[bulk[1]] == ("green", [])
    assert _history(session, bulk[1]) == ["red", "green"]


def test_raising_again_only_moves_until_and_adds_no_history(session, make_person):
    ids = tuple(make_person().id for _ in range(2))
    publish(session, FactsRaised(ids, Reason.ZONE_CONTROLLED, "zones", "zone:2"))
    later = clock.now().replace(microsecond=0) + timedelta(days=3)
    publish(session, FactsRaised(ids, Reason.ZONE_CONTROLLED, "zones", "zone:2", until=later))
    facts = session.scalars(select(HealthFact).where(HealthFact.person_id.in_(ids))).all()
    assert len(facts) == 2
    assert {fact.until.replace(tzinfo=None) for fact in facts} == {later.replace(tzinfo=None)}
    assert _history(session, ids[0]) == ["yellow"]


def test_a_merged_person_follows_to_the_kept_record(session, make_person):
    kept, merged = make_person(), make_person()
    merged.status, merged.merged_into_id = PersonStatus.MERGED, kept.id
    session.flush()
    publish(session, FactsRaised((merged.id,), Reason.ZONE_SEALED, "zones", "zone:3"))
    assert _codes(session, [kept.id, merged.id]) == {kept.id: ("red", ["zone.sealed"])}


def test_a_new_fact_ends_a_manual_change_in_force(session, make_person):
    person = make_person()
    session.add(
        CodeChangeRequest(
            person_id=person.id, colour="green", reason_text="核实", status="approved",
            proposed_by_name="a", decided_at=clock.now(),
        )
    )  # fmt: skip
    session.flush()
    publish(session, FactsRaised((person.id,), Reason.ZONE_SEALED, "zones", "zone:4"))
    change = session.scalars(select(CodeChangeRequest)).one()
    assert change.ended_at is not None
    assert _codes(session, [person.id]) == {person.id: ("red", ["zone.sealed"])}


def test_ending_people_without_the_fact_changes_nothing(session, make_person):
    person = make_person()
    publish(session, FactsEnded((person.id, 999_999), Reason.ZONE_SEALED, "zone:5"))
    assert _codes(session, [person.id]) == {}


def test_each_fact_keeps_its_own_ref_and_until(session, make_person):
    person, other = make_person(), make_person()
    soon = clock.now().replace(microsecond=0) + timedelta(days=7)
    items = ((person.id, "trip:1", soon), (person.id, "trip:2", None), (other.id, "trip:3", soon))
    publish(session, FactsRaisedEach(Reason.ARRIVAL_HIGH_RISK, "arrivals", items))
    publish(session, FactsRaisedEach(Reason.ARRIVAL_HIGH_RISK, "arrivals", items[:1]))  # again
    facts = session.scalars(select(HealthFact).order_by(HealthFact.ref)).all()
    assert [(f.person_id, f.ref, f.until is None) for f in facts] == [
        (person.id, "trip:1", False),
        (person.id, "trip:2", True),
        (other.id, "trip:3", False),
    ]
    assert _codes(session, [person.id, other.id]) == {
        person.id: ("red", ["arrival.high_risk"]),
        other.id: ("red", ["arrival.high_risk"]),
    }
    assert _history(session, person.id) == ["red"]


def test_colours_of_many_people_read_without_writing(session, settings, make_person):
    """A code stored under the active edition is read as stored (here one set apart from its
    facts, to tell the branches apart); a code of another edition and a person with facts but
    no code are computed by the engine; nobody at all is green; nothing is written."""
    stored, red, stale, plain = (make_person().id for _ in range(4))
    publish(session, FactRaised(stored, Reason.KEY_GROUP_OVERDUE, "t", "kg"))
    publish(session, FactRaised(red, Reason.ZONE_SEALED, "zones", "zone:1"))
    publish(session, FactRaised(stale, Reason.ZONE_SEALED, "zones", "zone:2"))
    session.get(HealthCode, stored).colour = "green"  # as stored, whatever its facts say
    code = session.get(HealthCode, stale)
    code.edition_id, code.colour = "an-older-edition", "green"  # recomputed: red
    session.delete(session.get(HealthCode, red))  # its fact stands: the engine makes it red
    session.flush()
    edition = healthcode.current_edition(session, settings.policy)
    before = _codes(session, [stored, red, stale, plain])
    colours = healthcode.colours_of(session, [plain, stale, red, stored], edition=edition)
    assert {p: c.value for p, c in colours.items()} == {
        stored: "green", red: "red", stale: "red", plain: "green"}  # fmt: skip
    assert _codes(session, [stored, red, stale, plain]) == before
