"""A small world for the scan tests (the fixture is in conftest.py): two districts' venues, residents with codes, staff.

Venues are rows of A's table (an operator linked to one); residents are registered through
the people service; health-code facts and negative tests are published as B's events, as
the other domains publish them, so the colours come from B's real engine.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy.orm import Session

from factories import auth_headers, make_tree, make_user, resident_id
from fangkong.citizens import personal_code, tokens
from fangkong.config import Settings
from fangkong.core import clock, events
from fangkong.core.principal import Principal
from fangkong.healthcode.events import FactRaised, NegativeTest
from fangkong.models import Person, User
from fangkong.models.citizen import CitizenSession
from fangkong.models.venue import Venue, VenueOperator
from fangkong.people import service as people
from fangkong.people.protect import Protector
from fangkong.people.schemas import PersonCreate
from fangkong.policy.types import Reason
from fangkong.venues import placecode

GRID = "230102001002003"
OTHER_GRID = "230103001002003"
_seeds = itertools.count(9000)


def make_venue(
    session: Session, *, name: str, type: str = "shop", region: str = GRID, active: bool = True
) -> Venue:
    venue = Venue(name=name, type=type, region_code=region, address=f"{name}路1号", active=active)
    session.add(venue)
    session.flush()
    return venue


def place_token(settings: Settings, venue: Venue) -> str:
    return placecode.token_for(settings, venue.id, venue.place_code_version)


def make_resident(
    session: Session,
    settings: Settings,
    *,
    name: str,
    grid: str = GRID,
    born: date | None = None,
) -> tuple[Person, str]:
    """A resident and the ID number they were registered with."""
    number = resident_id(next(_seeds), born=born, region=grid[:6])
    actor = Principal(id=None, username="test", role="city_admin", region_code="230100")
    person, _ = people.create_person(
        session,
        actor=actor,
        protector=Protector(settings.data_key_bytes),
        data=PersonCreate(name=name, id_number=number, grid_code=grid),
    )
    return person, number


def raise_fact(session: Session, person_id: int, reason: Reason) -> None:
    events.publish(session, FactRaised(person_id, reason, source="test", ref=f"test:{person_id}"))


def negative_test(session: Session, person_id: int, sampled_at: datetime) -> None:
    events.publish(session, NegativeTest(person_id, sampled_at, source="test"))


def personal_qr(settings: Settings, person_id: int, minutes: int = 5) -> str:
    return personal_code.issue(settings, person_id, clock.now(), minutes).payload


def citizen_headers(session: Session, person_id: int) -> dict[str, str]:
    token = tokens.new_session_token()
    now = clock.now()
    session.add(
        CitizenSession(
            token_hash=tokens.session_hash(token),
            person_id=person_id,
            created_at=now,
            expires_at=now + timedelta(days=1),
        )
    )
    session.flush()
    return {"Authorization": f"Bearer {token}"}


@dataclass
class World:
    shop: Venue
    hospital: Venue
    far_shop: Venue  # in the other district
    green: Person
    green_id: str
    red: Person
    operator: User
    officer: dict[str, str]
    operator_headers: dict[str, str]
    tokens: dict[str, str] = field(default_factory=dict)


def make_world(session: Session, settings: Settings) -> World:
    make_tree(session, "230102")
    make_tree(session, "230103")
    shop = make_venue(session, name="红旗超市")
    hospital = make_venue(session, name="第一医院", type="hospital")
    far_shop = make_venue(session, name="远方商店", region=OTHER_GRID)
    green, green_id = make_resident(session, settings, name="王小明")
    red, _ = make_resident(session, settings, name="李红")
    raise_fact(session, red.id, Reason.CONTACT_CLOSE)
    operator = make_user(session, role="venue_operator", region_code="230102")
    session.add(VenueOperator(venue_id=shop.id, user_id=operator.id))
    officer = make_user(session, role="district_officer", region_code="230102")
    session.commit()
    return World(
        shop=shop,
        hospital=hospital,
        far_shop=far_shop,
        green=green,
        green_id=green_id,
        red=red,
        operator=operator,
        officer=auth_headers(settings, officer),
        operator_headers=auth_headers(settings, operator),
        tokens={v.name: place_token(settings, v) for v in (shop, hospital, far_shop)},
    )
