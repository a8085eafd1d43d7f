"""Room assignment: never two unrelated people in one room, never more than its beds, never a
closed room; bulk assignment of hundreds keeps households together and says who could not be
placed and why."""

from __future__ import annotations

import pytest

from fangkong.core.errors import DomainError
from fangkong.models.quarantine import Room
from fangkong.quarantine.placements import service
from fangkong.quarantine.placements.schemas import BulkAssign
from outbreak_world import OTHER_GRID, make_placement, make_resident, make_site
from quarantine.world import DISTRICT_OFFICER, NANGANG_OFFICER


def rooms_of(session, site):
    return session.query(Room).filter_by(site_id=site.id).order_by(Room.number).all()


def pending(session, settings, household=None, **extra):
    person = make_resident(session, settings, **extra)
    return make_placement(session, person, status="pending", household_id=household)


def assign(session, placement, room, actor=DISTRICT_OFFICER):
    return service.assign_room(session, actor=actor, placement_id=placement.id, room_id=room.id)


def code_of(call):
    with pytest.raises(DomainError) as caught:
        call()
    return caught.value.code


def test_assigning_a_room_starts_the_placement(session, settings):
    site = make_site(session, rooms=1, beds=2)
    [room] = rooms_of(session, site)
    placement = pending(session, settings, household=7)
    assign(session, placement, room)
    assert (placement.status, placement.room_id, placement.site_id) == ("active", room.id, site.id)


def test_room_full_unrelated_and_closed(session, settings):
    site = make_site(session, rooms=2, beds=2)
    room, other = rooms_of(session, site)
    assign(session, pending(session, settings, household=1), room)
    stranger = pending(session, settings, household=2)
    assert code_of(lambda: assign(session, stranger, room)) == "quarantine.room_unrelated"
    loner = pending(session, settings)  # no household: shares with nobody
    assert code_of(lambda: assign(session, loner, room)) == "quarantine.room_unrelated"
    assign(session, pending(session, settings, household=1), room)
    third = pending(session, settings, household=1)
    assert code_of(lambda: assign(session, third, room)) == "quarantine.room_full"
    other.status = "cleaning"
    assert code_of(lambda: assign(session, third, other)) == "quarantine.room_closed"
    assert third.status == "pending" and third.room_id is None


def test_room_and_placement_outside_the_jurisdiction_are_404(session, settings):
    site = make_site(session, rooms=1)
    [room] = rooms_of(session, site)
    theirs = make_placement(
        session, make_resident(session, settings, grid=OTHER_GRID), status="pending"
    )
    assert code_of(lambda: assign(session, theirs, room)) == "quarantine.placement_not_found"
    mine = pending(session, settings)
    found = code_of(lambda: assign(session, mine, room, actor=NANGANG_OFFICER))
    assert found == "quarantine.placement_not_found"


def test_home_measures_get_no_room(session, settings):
    site = make_site(session, rooms=1)
    [room] = rooms_of(session, site)
    home = make_placement(session, make_resident(session, settings), measure="home_isolation")
    assert code_of(lambda: assign(session, home, room)) == "quarantine.not_centralized"


def test_bulk_keeps_households_together_and_reports_the_rest(session, settings):
    site = make_site(session, rooms=4, beds=3)
    family = [pending(session, settings, household=10) for _ in range(3)]
    couple = [pending(session, settings, household=11) for _ in range(2)]
    singles = [pending(session, settings) for _ in range(3)]
    released = make_placement(session, make_resident(session, settings), status="released")
    ids = [p.id for p in (*singles, *couple, *family)] + [released.id, 99_999_999]
    result = service.assign_bulk(
        session, actor=DISTRICT_OFFICER, data=BulkAssign(site_id=site.id, placement_ids=ids)
    )
    assert len({result.assigned[p.id] for p in family}) == 1
    assert len({result.assigned[p.id] for p in couple}) == 1
    placed_singles = [p for p in singles if p.id in result.assigned]
    assert len(placed_singles) == 2  # 4 rooms: family, couple, two singles alone
    rooms = [result.assigned[p.id] for p in placed_singles]
    assert len(set(rooms)) == 2 and not set(rooms) & {result.assigned[family[0].id]}
    refused = {u.placement_id: u.code for u in result.unplaced}
    assert refused == {
        next(p.id for p in singles if p.id not in result.assigned): "quarantine.room_full",
        released.id: "quarantine.not_open",
        99_999_999: "quarantine.placement_not_found",
    }


def test_bulk_of_hundreds(session, settings):
    site = make_site(session, rooms=150, beds=2)
    placements = [pending(session, settings, household=1000 + n // 2) for n in range(240)]
    result = service.assign_bulk(
        session,
        actor=DISTRICT_OFFICER,
        data=BulkAssign(site_id=site.id, placement_ids=[p.id for p in placements]),
    )
    assert len(result.assigned) == 240 and result.unplaced == []
    by_room: dict[int, set[int | None]] = {}
    for placement in placements:
        by_room.setdefault(result.assigned[placement.id], set()).add(placement.household_id)
    assert all(len(households) == 1 for households in by_room.values())


def test_a_large_household_spreads_over_empty_rooms_only(session, settings):
    site = make_site(session, rooms=3, beds=2)
    first = rooms_of(session, site)[0]
    assign(session, pending(session, settings, household=5), first)
    family = [pending(session, settings, household=6) for _ in range(4)]
    result = service.assign_bulk(
        session,
        actor=DISTRICT_OFFICER,
        data=BulkAssign(site_id=site.id, placement_ids=[p.id for p in family]),
    )
    assert len(result.assigned) == 4 and first.id not in result.assigned.values()
