"""The edition's seat rule (同乘交通工具): plane rows around the case's row, the whole train
carriage (or rows when the edition says so), everyone on a coach; nothing on another day."""

from __future__ import annotations

from datetime import date

from fangkong.models.tracing import TravelRecord
from fangkong.policy.loader import get_edition
from fangkong.tracing.contacts.candidates import same_transport
from fangkong.tracing.contacts.service import generate
from outbreak_world import at, make_case, make_resident
from tracing.contacts.helpers import EPI, links, open_contacts, ride

RULE = get_edition("cn-9th-2022-06").contacts.same_transport


def seat(mode: str, carriage: str = "", row: int | None = None) -> TravelRecord:
    return TravelRecord(mode=mode, number="X1", travel_on=date(2022, 11, 1), carriage=carriage,
                        seat_row=row)  # fmt: skip


def test_plane_rows_around_the_case():
    case = seat("flight", row=10)
    assert RULE.flight_rows_around == 3
    assert [same_transport(case, seat("flight", row=r), RULE) for r in (6, 7, 10, 13, 14)] == [
        False, True, True, True, False]  # fmt: skip
    assert not same_transport(case, seat("flight", row=None), RULE)


def test_train_whole_carriage_or_rows():
    case = seat("train", "05", 3)
    assert same_transport(case, seat("train", "05", 20), RULE)
    assert not same_transport(case, seat("train", "06", 3), RULE)
    rows = RULE.model_copy(update={"train_whole_carriage": False})
    assert same_transport(case, seat("train", "05", 6), rows)
    assert not same_transport(case, seat("train", "05", 7), rows)


def test_coach_everyone_or_nobody():
    assert same_transport(seat("coach"), seat("coach"), RULE)
    nobody = RULE.model_copy(update={"coach_everyone": False})
    assert not same_transport(seat("coach"), seat("coach"), nobody)
    assert not same_transport(seat("ship"), seat("ship"), RULE)


def test_a_flight_generates_the_rows_around_only(session, settings, world):
    a = make_resident(session, settings, name="甲病例")
    near = make_resident(session, settings, name="乙前排")
    far = make_resident(session, settings, name="丙后排")
    other_day = make_resident(session, settings, name="丁次日")
    ride(session, a, mode="flight", number="CA1601", seat="10A", row=10)
    ride(session, near, mode="flight", number="CA1601", seat="12C", row=12)
    ride(session, far, mode="flight", number="CA1601", seat="20C", row=20)
    ride(session, other_day, mode="flight", number="CA1601", on=date(2022, 11, 2), seat="10B",
         row=10)  # fmt: skip
    case = make_case(session, a, sampled_at=at(3, 8))
    generate(session, actor=EPI, case_id=case.id)
    contacts = open_contacts(session, "close")
    assert set(contacts) == {near.id}
    [link] = links(session, contacts[near.id].id)
    assert link.evidence["number"] == "CA1601" and link.evidence["contact_seat"] == "12C"
