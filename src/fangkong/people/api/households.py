"""``/api/v1/households``: households, their members and head."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status

from fangkong.auth.dependencies import (
    PeopleRead,
    PeopleWrite,
)
from fangkong.core.pagination import Page
from fangkong.core.scoping import REGION_PREFIX_PATTERN
from fangkong.core.web import DbSession, IdPath
from fangkong.people import service
from fangkong.people.api.common import (
    HOUSEHOLDS,
    Paging,
    outs,
)
from fangkong.people.schemas import (
    HouseholdCreate,
    HouseholdDetail,
    HouseholdOut,
    HouseholdUpdate,
    MemberAdd,
)

router = APIRouter(tags=["people"])


# --- households -------------------------------------------------------------------------


def _household_detail(session: DbSession, household: object) -> HouseholdDetail:
    detail = HouseholdDetail.model_validate(household)
    members = service.members(session, household)  # type: ignore[arg-type]
    return detail.model_copy(update={"members": outs(members)})


@router.get(HOUSEHOLDS, response_model=Page[HouseholdOut])
def list_households(
    session: DbSession,
    actor: PeopleRead,
    paging: Paging,
    region: Annotated[str | None, Query(pattern=REGION_PREFIX_PATTERN)] = None,
) -> Page[HouseholdOut]:
    rows, cursor = service.list_households(session, actor=actor, page=paging, region=region)
    return Page(items=[HouseholdOut.model_validate(r) for r in rows], next_cursor=cursor)


@router.post(HOUSEHOLDS, response_model=HouseholdOut, status_code=status.HTTP_201_CREATED)
def create_household(session: DbSession, actor: PeopleWrite, data: HouseholdCreate) -> HouseholdOut:
    return HouseholdOut.model_validate(service.create_household(session, actor=actor, data=data))


@router.get(f"{HOUSEHOLDS}/{{household_id}}", response_model=HouseholdDetail)
def get_household(session: DbSession, actor: PeopleRead, household_id: IdPath) -> HouseholdDetail:
    household = service.get_household(session, actor=actor, household_id=household_id)
    return _household_detail(session, household)


@router.patch(f"{HOUSEHOLDS}/{{household_id}}", response_model=HouseholdDetail)
def update_household(
    session: DbSession, actor: PeopleWrite, household_id: IdPath, data: HouseholdUpdate
) -> HouseholdDetail:
    household = service.update_household(session, actor=actor, household_id=household_id, data=data)
    return _household_detail(session, household)


@router.post(f"{HOUSEHOLDS}/{{household_id}}/members", response_model=HouseholdDetail)
def add_member(
    session: DbSession, actor: PeopleWrite, household_id: IdPath, data: MemberAdd
) -> HouseholdDetail:
    household = service.add_member(
        session, actor=actor, household_id=household_id, person_id=data.person_id, head=data.head
    )
    return _household_detail(session, household)


@router.delete(
    f"{HOUSEHOLDS}/{{household_id}}/members/{{person_id}}", response_model=HouseholdDetail
)
def remove_member(
    session: DbSession, actor: PeopleWrite, household_id: IdPath, person_id: IdPath
) -> HouseholdDetail:
    household = service.remove_member(
        session, actor=actor, household_id=household_id, person_id=person_id
    )
    return _household_detail(session, household)
