"""The venue service: register, change, rotate, deactivate, operators, place-code resolution,
and an audit row for every change."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from factories import make_user
from fangkong.config import Settings
from fangkong.core.pagination import PageParams
from fangkong.core.principal import Principal
from fangkong.models import AuditLog
from fangkong.policy.types import VenueType
from fangkong.venues import errors, placecode, service
from fangkong.venues.schemas import VenueCreate, VenueRef, VenueUpdate
from venues.conftest import DAOLI_GRID, NANGANG_GRID, make_venue, officer_of

pytestmark = pytest.mark.usefixtures("districts")
DAOLI = officer_of("230102")


def actions(session: Session, venue_id: int) -> list[str]:
    statement = (
        select(AuditLog.action)
        .where(AuditLog.object_type == "venue", AuditLog.object_id == str(venue_id))
        .order_by(AuditLog.id)
    )
    return list(session.scalars(statement))


def test_create_is_audited_and_starts_at_version_1(session: Session) -> None:
    venue = make_venue(session)
    assert (venue.active, venue.place_code_version, venue.type) == (True, 1, "supermarket")
    assert actions(session, venue.id) == ["venue.create"]


def test_region_must_exist_and_be_inside_the_jurisdiction(session: Session) -> None:
    data = VenueCreate(name="店", type=VenueType.SHOP, region_code=NANGANG_GRID)
    with pytest.raises(errors.RegionOutOfScope):
        service.create_venue(session, actor=DAOLI, data=data)
    data = VenueCreate(name="店", type=VenueType.SHOP, region_code="230102009009009")
    with pytest.raises(errors.UnknownRegion):
        service.create_venue(session, actor=DAOLI, data=data)


def test_same_name_in_the_same_region_conflicts(session: Session) -> None:
    make_venue(session, "同名")
    with pytest.raises(errors.DuplicateName):
        make_venue(session, "同名")
    other = make_venue(session, "同名", region_code="230102001002")  # another region: fine
    assert other.id


def test_update_changes_only_what_is_sent_and_audits_before_and_after(session: Session) -> None:
    venue = make_venue(session)
    service.update_venue(
        session, actor=DAOLI, venue_id=venue.id, data=VenueUpdate(type=VenueType.MARKET)
    )
    assert (venue.type, venue.name) == ("market", "中央大街超市")
    row = session.scalars(select(AuditLog).where(AuditLog.action == "venue.update")).one()
    assert row.before["type"] == "supermarket" and row.after["type"] == "market"


def test_update_out_of_scope_region_is_refused(session: Session) -> None:
    venue = make_venue(session)
    with pytest.raises(errors.RegionOutOfScope):
        service.update_venue(
            session, actor=DAOLI, venue_id=venue.id, data=VenueUpdate(region_code=NANGANG_GRID)
        )


def test_other_district_cannot_see_or_change(session: Session) -> None:
    venue = make_venue(session)
    nangang = officer_of("230103")
    with pytest.raises(errors.VenueNotFound):
        service.get_venue(session, actor=nangang, venue_id=venue.id)
    with pytest.raises(errors.VenueNotFound):
        service.rotate_place_code(session, actor=nangang, venue_id=venue.id)


def test_rotation_refuses_the_old_code_and_resolves_the_new(
    session: Session, settings: Settings
) -> None:
    venue = make_venue(session)
    old = placecode.token_for(settings, venue.id, 1)
    ref = service.resolve_place_code(session, settings, old)
    assert ref == VenueRef(
        venue.id, "中央大街超市", VenueType.SUPERMARKET, DAOLI_GRID, "中央大街1号"
    )
    service.rotate_place_code(session, actor=DAOLI, venue_id=venue.id)
    assert venue.place_code_version == 2
    with pytest.raises(errors.PlaceCodeInvalid):
        service.resolve_place_code(session, settings, old)
    new = placecode.token_for(settings, venue.id, 2)
    assert service.resolve_place_code(session, settings, new).id == venue.id
    assert actions(session, venue.id) == ["venue.create", "venue.place_code_rotate"]


def test_forged_code_and_inactive_venue_are_refused(session: Session, settings: Settings) -> None:
    venue = make_venue(session)
    token = placecode.token_for(settings, venue.id, 1)
    with pytest.raises(errors.PlaceCodeInvalid):
        service.resolve_place_code(session, settings, token[:-2] + "AA")
    with pytest.raises(errors.PlaceCodeInvalid):
        service.resolve_place_code(session, settings, placecode.token_for(settings, 999_999, 1))
    service.deactivate_venue(session, actor=DAOLI, venue_id=venue.id)
    with pytest.raises(errors.PlaceCodeInvalid):
        service.resolve_place_code(session, settings, token)
    with pytest.raises(errors.VenueInactive):
        service.rotate_place_code(session, actor=DAOLI, venue_id=venue.id)
    assert actions(session, venue.id) == ["venue.create", "venue.deactivate"]


def test_venue_ref_is_unscoped_and_none_when_missing(session: Session) -> None:
    venue = make_venue(session, region_code=NANGANG_GRID)
    ref = service.venue_ref(session, venue.id)
    assert ref is not None and ref.region_code == NANGANG_GRID
    assert service.venue_ref(session, 999_999) is None


def test_operators_must_be_venue_operators_of_the_district(session: Session) -> None:
    venue = make_venue(session)
    operator = make_user(session, role="venue_operator", region_code=DAOLI_GRID)
    worker = make_user(session, role="grid_worker", region_code=DAOLI_GRID)
    stranger = make_user(session, role="venue_operator", region_code=NANGANG_GRID)
    city = Principal(id=None, username="c", role="city_admin", region_code="230100")
    service.add_operator(session, actor=DAOLI, venue_id=venue.id, user_id=operator.id)
    service.add_operator(session, actor=DAOLI, venue_id=venue.id, user_id=operator.id)  # again
    assert [u.id for u in service.operators(session, actor=DAOLI, venue_id=venue.id)] == [
        operator.id
    ]
    with pytest.raises(errors.NotAnOperator):
        service.add_operator(session, actor=DAOLI, venue_id=venue.id, user_id=worker.id)
    with pytest.raises(errors.OperatorNotFound):  # outside the actor's jurisdiction
        service.add_operator(session, actor=DAOLI, venue_id=venue.id, user_id=stranger.id)
    with pytest.raises(errors.OperatorOutOfScope):  # the city sees it; another district
        service.add_operator(session, actor=city, venue_id=venue.id, user_id=stranger.id)
    assert service.operated_venue_ids(session, operator.id) == {venue.id}
    service.remove_operator(session, actor=DAOLI, venue_id=venue.id, user_id=operator.id)
    assert service.operated_venue_ids(session, operator.id) == set()
    with pytest.raises(errors.OperatorNotFound):
        service.remove_operator(session, actor=DAOLI, venue_id=venue.id, user_id=operator.id)
    assert actions(session, venue.id) == [
        "venue.create",
        "venue.operator_add",
        "venue.operator_remove",
    ]


def test_operator_principal_sees_only_its_venues(session: Session) -> None:
    mine = make_venue(session, "我的")
    make_venue(session, "别人的")
    user = make_user(session, role="venue_operator", region_code=DAOLI_GRID)
    service.add_operator(session, actor=DAOLI, venue_id=mine.id, user_id=user.id)
    me = Principal(
        id=user.id, username=user.username, role="venue_operator", region_code=DAOLI_GRID
    )
    rows, _ = service.list_venues(session, actor=me, page=PageParams(), where=service.VenueFilter())
    assert [v.name for v in rows] == ["我的"]


def test_list_filters_and_pages(session: Session) -> None:
    for index in range(5):
        make_venue(session, f"超市{index}")
    make_venue(session, "车站", kind=VenueType.STATION_AIRPORT, region_code="230102001")
    make_venue(session, "南岗店", region_code=NANGANG_GRID)

    def names(**where: object) -> list[str]:
        rows, _ = service.list_venues(
            session, actor=DAOLI, page=PageParams(limit=100), where=service.VenueFilter(**where)
        )
        return [v.name for v in rows]

    assert len(names()) == 6
    assert names(type="station_airport") == ["车站"]
    assert names(region="230102001002") == [f"超市{i}" for i in range(5)]
    assert names(q="市3") == ["超市3"]
    assert names(q="%") == []
    first, cursor = service.list_venues(
        session, actor=DAOLI, page=PageParams(limit=4), where=service.VenueFilter()
    )
    rest, end = service.list_venues(
        session, actor=DAOLI, page=PageParams(limit=4, cursor=cursor), where=service.VenueFilter()
    )
    assert len(first) == 4 and len(rest) == 2 and end is None
    service.deactivate_venue(session, actor=DAOLI, venue_id=first[0].id)
    assert len(names(active=True)) == 5 and len(names(active=False)) == 1


def test_many_venues_at_once_are_checked_stored_and_audited_like_one(session: Session) -> None:
    data = [VenueCreate(name=f"店{n}", type=VenueType.SHOP, region_code=DAOLI_GRID,
                        address=f"路{n}号") for n in range(5)]  # fmt: skip
    ids = service.create_venues(session, actor=DAOLI, data=data)
    venues = [service.get_venue(session, actor=DAOLI, venue_id=n) for n in ids]
    assert [(v.name, v.address, v.active, v.place_code_version) for v in venues] == [
        (f"店{n}", f"路{n}号", True, 1) for n in range(5)
    ]
    assert all(actions(session, n) == ["venue.create"] for n in ids)
    taken = [VenueCreate(name="店9", type=VenueType.SHOP, region_code=DAOLI_GRID), data[2]]
    twice = [VenueCreate(name="店8", type=VenueType.SHOP, region_code=DAOLI_GRID)] * 2
    outside = [VenueCreate(name="店7", type=VenueType.SHOP, region_code=NANGANG_GRID)]
    for refused, error in ((taken, errors.DuplicateName), (twice, errors.DuplicateName),
                           (outside, errors.RegionOutOfScope)):  # fmt: skip
        with pytest.raises(error):
            service.create_venues(session, actor=DAOLI, data=refused)
    listed, _ = service.list_venues(session, actor=DAOLI, page=PageParams(limit=50),
                                    where=service.VenueFilter())  # fmt: skip
    assert sorted(v.name for v in listed) == [f"店{n}" for n in range(5)]  # nothing half written
