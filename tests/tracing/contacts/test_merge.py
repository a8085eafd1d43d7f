"""A merge of two person records (``PersonMerged``): the merged record's contacts, cases,
travel records and placements move to the kept person; two open contacts of one degree fold
into one."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from fangkong.core.events import publish
from fangkong.core.principal import SYSTEM
from fangkong.healthcode.events import FactRaised
from fangkong.models import PersonStatus
from fangkong.models.cases import Case, CaseEvent
from fangkong.models.contacts import Contact
from fangkong.models.healthcode import HealthFact
from fangkong.models.quarantine import Placement
from fangkong.models.tracing import TravelRecord
from fangkong.people.events import PersonMerged
from fangkong.policy.types import Reason
from fangkong.tracing.contacts.decisions import ref
from outbreak_world import at, make_case, make_contact, make_placement, make_resident
from tracing.contacts.helpers import audit_actions, links, open_contacts


@pytest.fixture
def people(session, settings, world):
    source = make_resident(session, settings, name="甲病例")
    kept = make_resident(session, settings, name="乙居民")
    merged = make_resident(session, settings, name="乙居民")
    return make_case(session, source), kept, merged


def merge(session, merged, kept):
    """What ``people.service.merge_duplicate`` does before it publishes."""
    merged.status, merged.merged_into_id = PersonStatus.MERGED, kept.id
    session.flush()
    publish(session, PersonMerged(merged_id=merged.id, kept_id=kept.id, actor=SYSTEM))
    session.expire_all()


def facts_in_force(session, person_id):
    query = select(HealthFact.ref).where(
        HealthFact.person_id == person_id,
        HealthFact.reason == Reason.CONTACT_CLOSE.value,
        HealthFact.ended_at.is_(None),
    )
    return sorted(session.scalars(query).all())


def test_a_contact_of_the_merged_record_moves_to_the_kept_person(session, people):
    case, kept, merged = people
    contact = make_contact(session, merged, case)
    merge(session, merged, kept)
    assert session.get(Contact, contact.id).person_id == kept.id
    assert open_contacts(session, "close") == {kept.id: session.get(Contact, contact.id)}


def test_a_confirmed_contact_absorbs_the_kept_persons_candidate(session, settings, people):
    case, kept, merged = people
    other_case = make_case(session, make_resident(session, settings, name="丙病例"))
    candidate = make_contact(
        session, kept, other_case, status="candidate", exposure_end_at=at(2, 10)
    )
    confirmed = make_contact(session, merged, case, exposure_end_at=at(2, 20))
    merge(session, merged, kept)
    stays, folded = session.get(Contact, confirmed.id), session.get(Contact, candidate.id)
    assert (stays.person_id, stays.status, stays.is_open) == (kept.id, "confirmed", True)
    assert (folded.person_id, folded.status, folded.is_open) == (kept.id, "merged", False)
    assert folded.closed_at is not None
    # Both cases' links now hang on the one open contact, with both windows.
    assert sorted(link.case_id for link in links(session, stays.id)) == sorted(
        [case.id, other_case.id]
    )
    assert links(session, folded.id) == []
    assert stays.first_exposure_at == at(2, 8)
    assert stays.last_exposure_at == at(2, 20)
    assert audit_actions(session, stays.id)[-1] == "contact.merge"
    assert audit_actions(session, folded.id)[-1] == "contact.merged"


def test_two_confirmed_contacts_keep_one_fact(session, settings, people):
    case, kept, merged = people
    first = make_contact(session, kept, case)
    second = make_contact(session, merged, case)
    for contact in (first, second):
        publish(session, FactRaised(contact.person_id, Reason.CONTACT_CLOSE, "tracing",
                                    ref(contact)))  # fmt: skip
    merge(session, merged, kept)
    assert session.get(Contact, first.id).is_open
    assert session.get(Contact, second.id).status == "merged"
    assert facts_in_force(session, kept.id) == [ref(first)]
    assert facts_in_force(session, merged.id) == []


def test_cases_and_travel_records_move_with_a_history_step(session, people):
    _, kept, merged = people
    case = make_case(session, merged)
    record = TravelRecord(
        mode="train", number="G1234", travel_on=at(1).date(), person_id=merged.id,
        name="乙居民", region_code=merged.grid_code,
    )  # fmt: skip
    session.add(record)
    session.flush()
    merge(session, merged, kept)
    assert session.get(Case, case.id).person_id == kept.id
    steps = session.scalars(select(CaseEvent.kind).where(CaseEvent.case_id == case.id)).all()
    assert steps[-1] == "person_merged"
    assert session.get(TravelRecord, record.id).person_id == kept.id


def test_a_placement_of_the_folded_contact_follows_it(session, settings, people):
    case, kept, merged = people
    candidate = make_contact(session, kept, case, status="candidate")
    confirmed = make_contact(session, merged, case)
    placement = make_placement(session, merged, contact_id=confirmed.id)
    folded_into = make_placement(session, kept, contact_id=candidate.id, status="cancelled")
    merge(session, merged, kept)
    moved = session.get(Placement, placement.id)
    assert (moved.person_id, moved.contact_id) == (kept.id, confirmed.id)
    # The kept person's candidate folded into the confirmed contact, and so did its placement.
    assert session.get(Placement, folded_into.id).contact_id == confirmed.id
