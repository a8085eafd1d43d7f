"""What decisions publish and what contacts react to: ``ContactConfirmed`` and the health-code
fact on confirmation (again when a new link moves the last exposure later), ``ContactClosed``
and the fact's end on rejection, release when an isolation period ends, generation and the
upgrade of secondary contacts on ``CasesReported``."""

from __future__ import annotations

import pytest

from fangkong.cases.events import CaseReported, CasesReported
from fangkong.core import events
from fangkong.models.quarantine import Placement
from fangkong.quarantine.events import PlacementEnded
from fangkong.tracing.contacts import service
from fangkong.tracing.contacts.schemas import Action, DecisionIn
from fangkong.tracing.events import ContactClosed, ContactConfirmed, ContactsConfirmed
from outbreak_world import at, make_case, make_contact, make_placement, make_resident
from tracing.contacts.helpers import (
    EPI,
    activate,
    audit_actions,
    family,
    links,
    make_venue,
    open_contacts,
    open_reasons,
    scan,
)

KINDS = (ContactConfirmed, ContactsConfirmed, ContactClosed)


@pytest.fixture
def seen():
    """Every contact confirmed (one by one or in a batch: each ``ContactConfirmed`` of a
    ``ContactsConfirmed``) and closed, in order."""
    found: list[object] = []

    def keep(_session, event):
        found.extend(event.contacts if isinstance(event, ContactsConfirmed) else [event])

    for kind in KINDS:
        events.subscribe(kind)(keep)
    yield found
    for kind in KINDS:
        events.unsubscribe(kind, keep)


@pytest.fixture
def pair(session, settings, world):
    a, member = family(session, settings, "甲病例", "甲家属")
    activate(session, settings, "cn-9th-2022-06")
    case = make_case(session, a, sampled_at=at(3, 8))
    service.generate(session, actor=EPI, case_id=case.id)
    return case, member, open_contacts(session, "close")[member.id]


def _decide(session, action, *ids, reason=""):
    data = DecisionIn(action=action, ids=list(ids), reason=reason)
    return service.decide(session, actor=EPI, data=data)


def test_confirm_publishes_and_raises_the_fact(session, pair, seen):
    _, member, contact = pair
    _decide(session, Action.CONFIRM, contact.id)
    assert [type(e) for e in seen] == [ContactConfirmed]
    assert seen[0].last_exposure_at == contact.last_exposure_at
    assert "contact.close" in open_reasons(session, member.id)
    assert audit_actions(session, contact.id)[-1] == "contact.confirm"


def test_reject_of_a_confirmed_contact_closes_it(session, pair, seen):
    _, member, contact = pair
    _decide(session, Action.CONFIRM, contact.id)
    _decide(session, Action.REJECT, contact.id, reason="误判")
    assert isinstance(seen[-1], ContactClosed) and seen[-1].status == "rejected"
    assert "contact.close" not in open_reasons(session, member.id)
    assert open_contacts(session, "close") == {}


def test_a_second_case_adds_a_link_and_moves_the_last_exposure(session, settings, pair, seen):
    _, member, contact = pair
    _decide(session, Action.CONFIRM, contact.id)
    other = make_resident(session, settings, name="乙病例")
    venue = make_venue(session, "道里超市")
    scan(session, venue, other, at(5, 10))
    scan(session, venue, member, at(5, 10, 5))
    second = make_case(session, other, sampled_at=at(6, 8))
    service.generate(session, actor=EPI, case_id=second.id)
    contacts = open_contacts(session, "close")
    assert list(contacts) == [member.id] and contacts[member.id].id == contact.id
    assert contacts[member.id].last_exposure_at == at(5, 10, 5)
    assert [type(e) for e in seen] == [ContactConfirmed, ContactConfirmed]
    assert seen[-1].last_exposure_at == at(5, 10, 5)


def test_an_active_case_is_never_a_contact(session, settings, world):
    a, member = family(session, settings, "甲病例", "甲家属")
    make_case(session, member, sampled_at=at(2, 8))
    case = make_case(session, a, sampled_at=at(3, 8))
    service.generate(session, actor=EPI, case_id=case.id)
    assert open_contacts(session, "close") == {}


def test_the_end_of_isolation_releases_the_contact(session, pair, seen):
    _, member, contact = pair
    _decide(session, Action.CONFIRM, contact.id)
    monitoring = PlacementEnded(
        1, member.id, "home_monitoring", "released", contact.id, None, False
    )
    follow_on = PlacementEnded(2, member.id, "centralized", "released", contact.id, None, True)
    for event in (monitoring, follow_on):
        events.publish(session, event)
    assert open_contacts(session, "close")[member.id].status == "confirmed"
    events.publish(session, PlacementEnded(3, member.id, "centralized", "released", contact.id,
                                           None, False))  # fmt: skip
    session.expire_all()
    assert contact.status == "released" and not contact.is_open
    assert "contact.close" not in open_reasons(session, member.id)
    assert isinstance(seen[-1], ContactClosed) and seen[-1].status == "released"


def test_case_reported_generates_candidates(session, settings, world):
    a, member = family(session, settings, "甲病例", "甲家属")
    case = make_case(session, a, sampled_at=at(3, 8))
    events.publish(session, CasesReported((CaseReported(
        case.id, a.id, "asymptomatic", case.sampled_at, None, case.region_code, case.channel
    ),)))  # fmt: skip
    assert set(open_contacts(session, "close")) == {member.id}


def _reported(*cases):
    return CasesReported(tuple(
        CaseReported(c.id, c.person_id, c.kind, c.sampled_at, None, c.region_code, c.channel)
        for c in cases
    ))  # fmt: skip


def test_cases_reported_together_share_one_contact_and_are_never_each_others(
    session, settings, world
):
    """Two positives of one upload: the person both met is one contact with a link to each
    case; the two cases' people met each other but are cases, not contacts; each case's
    household member is its own case's contact only."""
    a, a_member = family(session, settings, "甲病例", "甲家属")
    b, b_member = family(session, settings, "乙病例", "乙家属")
    both = make_resident(session, settings, name="丙顾客")
    venue = make_venue(session, "道外菜市场")
    for person, minute in ((a, 0), (b, 5), (both, 10)):
        scan(session, venue, person, at(2, 9, minute))
    cases = [make_case(session, p, sampled_at=at(3, 8)) for p in (a, b)]
    events.publish(session, _reported(*cases))
    contacts = open_contacts(session, "close")
    assert set(contacts) == {a_member.id, b_member.id, both.id}
    shared = links(session, contacts[both.id].id)
    assert sorted((link.case_id, link.reason) for link in shared) == sorted(
        (case.id, "venue") for case in cases
    )
    assert [link.case_id for link in links(session, contacts[a_member.id].id)] == [cases[0].id]
    assert [link.case_id for link in links(session, contacts[b_member.id].id)] == [cases[1].id]
    # the first link is in the contact's creation row, the second has its own
    assert audit_actions(session, contacts[both.id].id) == ["contact.create", "contact.link"]


def _secondary_world(session, settings):
    a = make_resident(session, settings, name="甲病例")
    b, b_member = family(session, settings, "乙密接", "乙家属")
    venue = make_venue(session, "老厨家饭店")
    scan(session, venue, a, at(2, 12))
    scan(session, venue, b, at(2, 12, 20))
    case = make_case(session, a, sampled_at=at(3, 8))
    service.generate(session, actor=EPI, case_id=case.id)
    close = open_contacts(session, "close")[b.id]
    _decide(session, Action.CONFIRM, close.id)
    secondary = open_contacts(session, "secondary")[b_member.id]
    _decide(session, Action.CONFIRM, secondary.id)
    return b, b_member, close, secondary


def test_a_positive_close_contact_upgrades_its_secondary_contacts(session, settings, world, seen):
    activate(session, settings, "cn-9th-2022-06")
    b, b_member, _, secondary = _secondary_world(session, settings)
    seen.clear()
    b_case = make_case(session, b, sampled_at=at(4, 8))
    events.publish(session, CasesReported((CaseReported(
        b_case.id, b.id, "asymptomatic", b_case.sampled_at, None, b_case.region_code,
        b_case.channel,
    ),)))  # fmt: skip
    session.expire_all()
    assert secondary.status == "upgraded" and not secondary.is_open
    upgraded = open_contacts(session, "close")[b_member.id]
    assert upgraded.status == "confirmed"
    assert upgraded.last_exposure_at == secondary.last_exposure_at
    assert [(type(e).__name__, getattr(e, "status", None)) for e in seen][:2] == [
        ("ContactClosed", "upgraded"),
        ("ContactConfirmed", None),
    ]
    assert "contact.close" in open_reasons(session, b_member.id)
    assert "contact.secondary" not in open_reasons(session, b_member.id)


def test_an_uploads_cases_upgrade_their_secondary_contacts_together(session, settings, world, seen):
    """Two close contacts turn positive in one upload: the confirmed secondary contacts via
    each are confirmed close contacts of the new cases, each linked to its own case; a
    candidate secondary contact stays a candidate, as a close contact."""
    activate(session, settings, "cn-9th-2022-06")
    a = make_resident(session, settings, name="甲病例")
    b, b_member, b_other = family(session, settings, "乙密接", "乙家属", "乙亲戚")
    c, c_member = family(session, settings, "丙密接", "丙家属")
    venue = make_venue(session, "老厨家饭店")
    for person, minute in ((a, 0), (b, 10), (c, 20)):
        scan(session, venue, person, at(2, 12, minute))
    case = make_case(session, a, sampled_at=at(3, 8))
    service.generate(session, actor=EPI, case_id=case.id)
    close = open_contacts(session, "close")
    _decide(session, Action.CONFIRM, close[b.id].id, close[c.id].id)
    secondary = open_contacts(session, "secondary")
    assert set(secondary) == {b_member.id, b_other.id, c_member.id}
    _decide(session, Action.CONFIRM, secondary[b_member.id].id, secondary[c_member.id].id)
    seen.clear()
    cases = [make_case(session, p, sampled_at=at(4, 8)) for p in (b, c)]
    events.publish(session, _reported(*cases))
    now = open_contacts(session, "close")
    assert now[b_member.id].status == now[c_member.id].status == "confirmed"
    assert now[b_other.id].status == "candidate"
    assert [link.case_id for link in links(session, now[c_member.id].id)] == [cases[1].id]
    assert open_contacts(session, "secondary") == {}
    batches = [e for e in seen if isinstance(e, ContactConfirmed)]
    assert sorted(e.person_id for e in batches) == sorted([b_member.id, c_member.id])


def test_transfer_first_still_upgrades(session, settings, world):
    """Quarantine may end the placement (transferred) before the case handler runs."""
    activate(session, settings, "cn-9th-2022-06")
    b, b_member, close, _ = _secondary_world(session, settings)
    make_case(session, b, sampled_at=at(4, 8))
    placement = make_placement(session, b, contact_id=close.id, day0_at=at(2, 12, 20))
    events.publish(session, PlacementEnded(placement.id, b.id, "centralized", "transferred",
                                           close.id, None, False))  # fmt: skip
    session.expire_all()
    assert close.status == "released"
    assert open_contacts(session, "close")[b_member.id].status == "confirmed"


def test_secondary_window_ends_when_put_under_control(session, settings, world):
    """A companion before the placement started is a secondary contact; one after is not."""
    activate(session, settings, "cn-9th-2022-06")
    a = make_resident(session, settings, name="甲病例")
    b = make_resident(session, settings, name="乙密接")
    early = make_resident(session, settings, name="丁早到")
    late = make_resident(session, settings, name="丙晚到")
    restaurant, shop = make_venue(session, "老厨家饭店"), make_venue(session, "中央大街商店")
    scan(session, restaurant, a, at(2, 12))
    scan(session, restaurant, b, at(2, 12, 20))
    case = make_case(session, a, sampled_at=at(3, 8))
    service.generate(session, actor=EPI, case_id=case.id)
    close = open_contacts(session, "close")[b.id]
    make_placement(session, b, contact_id=close.id, day0_at=at(2, 12, 20),
                   starts_at=at(3, 20), created_at=at(3, 20))  # fmt: skip
    scan(session, shop, b, at(3, 10))
    scan(session, shop, early, at(3, 10, 5))
    scan(session, shop, b, at(4, 10))
    scan(session, shop, late, at(4, 10, 5))
    _decide(session, Action.CONFIRM, close.id)
    assert set(open_contacts(session, "secondary")) == {early.id}


def test_one_batch_confirming_a_secondary_then_its_close_contact(session, settings, world):
    """The secondary contact is upgraded by the close one later in the batch: the person ends
    with the close contact's fact only, never a secondary fact left open."""
    activate(session, settings, "cn-9th-2022-06")
    a, member = make_resident(session, settings, name="甲病例"), make_resident(session, settings)
    case = make_case(session, a, sampled_at=at(3, 8))
    secondary = make_contact(session, member, case, degree="secondary", status="candidate",
                             reason="secondary")  # fmt: skip
    close = make_contact(session, member, case, status="candidate")
    _decide(session, Action.CONFIRM, secondary.id, close.id)
    session.expire_all()
    assert (secondary.status, close.status) == ("upgraded", "confirmed")
    assert "contact.close" in open_reasons(session, member.id)
    assert "contact.secondary" not in open_reasons(session, member.id)
    placed = session.query(Placement).filter_by(person_id=member.id).all()
    assert [p.contact_id for p in placed] == [close.id]  # never placed as a secondary contact


def test_one_batch_of_close_contacts_names_a_shared_secondary_once(session, settings, world):
    """Two close contacts of one household confirmed together: the third member is one
    secondary contact with a link via each: a ``contact.create`` holding the first link and a
    ``contact.link`` for the second."""
    activate(session, settings, "cn-9th-2022-06")
    a = make_resident(session, settings, name="甲病例")
    b1, b2, member = family(session, settings, "乙密接", "丙密接", "丁家属")
    venue = make_venue(session, "老厨家饭店")
    scan(session, venue, a, at(2, 12))
    scan(session, venue, b1, at(2, 12, 10))
    scan(session, venue, b2, at(2, 12, 20))
    case = make_case(session, a, sampled_at=at(3, 8))
    service.generate(session, actor=EPI, case_id=case.id)
    close = open_contacts(session, "close")
    _decide(session, Action.CONFIRM, close[b1.id].id, close[b2.id].id)
    secondary = open_contacts(session, "secondary")
    assert set(secondary) == {member.id}
    assert {link.via_contact_id for link in links(session, secondary[member.id].id)} == {
        close[b1.id].id, close[b2.id].id}  # fmt: skip
    assert audit_actions(session, secondary[member.id].id) == ["contact.create", "contact.link"]
