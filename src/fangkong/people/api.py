"""JSON routes of people, households, counts, ledgers and the personal-data access log.

ID numbers and phones never travel in a URL: exact search is ``POST /api/v1/people/search``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Response, status
from pydantic import BaseModel

from fangkong.auth.dependencies import (
    PeopleAccessLog,
    PeopleMerge,
    PeopleRead,
    PeopleWrite,
)
from fangkong.core import i18n
from fangkong.core.pagination import Page, PageParams, page_params
from fangkong.core.scoping import REGION_CODE_PATTERN, REGION_PREFIX_PATTERN
from fangkong.core.web import DbSession, IdPath, IdQuery, Locale, SettingsDep, UtcDatetime
from fangkong.models import DuplicateCandidate, KeyGroup, Person
from fangkong.people import exports, service
from fangkong.people.dependencies import ProtectorDep
from fangkong.people.repository import PersonFilter
from fangkong.people.schemas import (
    AccessOut,
    Counts,
    DuplicateOut,
    FlagName,
    GridLoad,
    HouseholdCreate,
    HouseholdDetail,
    HouseholdOut,
    HouseholdUpdate,
    KeyGroupIn,
    KeyGroupOut,
    Ledger,
    LedgerHousehold,
    LedgerMember,
    MemberAdd,
    MergeIn,
    PersonCreate,
    PersonCreated,
    PersonDetail,
    PersonOut,
    PersonSearch,
    PersonUpdate,
    RevealField,
)

router = APIRouter(tags=["people"])
Paging = Annotated[PageParams, Depends(page_params)]
CodePath = Annotated[str, Path(pattern=REGION_CODE_PATTERN)]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PEOPLE = "/api/v1/people"
HOUSEHOLDS = "/api/v1/households"


def person_out(person: Person) -> PersonOut:
    return PersonOut.model_validate(person)


def _outs(people: Sequence[Person]) -> list[PersonOut]:
    return [person_out(p) for p in people]


@router.get(PEOPLE, response_model=Page[PersonOut])
def list_people(
    session: DbSession,
    actor: PeopleRead,
    paging: Paging,
    q: Annotated[str | None, Query(min_length=1, max_length=64)] = None,
    region: Annotated[str | None, Query(pattern=REGION_PREFIX_PATTERN)] = None,
    key_group: KeyGroup | None = None,
    flag: Annotated[list[FlagName] | None, Query()] = None,
    household_id: IdQuery = None,
    include_merged: bool = False,
) -> Page[PersonOut]:
    where = PersonFilter(
        q=q,
        region=region,
        key_group=key_group,
        flags=tuple(flag or ()),
        household_id=household_id,
        include_merged=include_merged,
    )
    rows, cursor = service.list_people(session, actor=actor, page=paging, where=where)
    return Page(items=_outs(rows), next_cursor=cursor)


@router.post(PEOPLE, response_model=PersonCreated, status_code=status.HTTP_201_CREATED)
def create_person(
    session: DbSession, actor: PeopleWrite, protector: ProtectorDep, data: PersonCreate
) -> PersonCreated:
    person, duplicates = service.create_person(session, actor=actor, protector=protector, data=data)
    return PersonCreated.model_validate(person).model_copy(
        update={"possible_duplicates": duplicates}
    )


@router.post(f"{PEOPLE}/search", response_model=list[PersonOut])
def search_people(
    session: DbSession, actor: PeopleRead, protector: ProtectorDep, data: PersonSearch
) -> list[PersonOut]:
    return _outs(service.search_exact(session, actor=actor, protector=protector, data=data))


def _download(body: bytes, media_type: str, filename: str) -> Response:
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    return Response(body, media_type=media_type, headers=headers)


@router.get(f"{PEOPLE}/access-log", response_model=Page[AccessOut])
def access_log(
    session: DbSession,
    actor: PeopleAccessLog,
    paging: Paging,
    person_id: IdQuery = None,
    user_id: IdQuery = None,
    since: UtcDatetime | None = None,
) -> Page[AccessOut]:
    rows, cursor = service.access_log(
        session, actor=actor, page=paging, person_id=person_id, user_id=user_id, since=since
    )
    return Page(items=[AccessOut.model_validate(r) for r in rows], next_cursor=cursor)


def _pair_out(pair: DuplicateCandidate, first: Person, second: Person) -> DuplicateOut:
    return DuplicateOut(
        id=pair.id,
        reason=pair.reason,
        status=str(pair.status),
        person=person_out(first),
        other=person_out(second),
        created_at=pair.created_at,
    )


@router.get(f"{PEOPLE}/duplicates", response_model=Page[DuplicateOut])
def list_duplicates(
    session: DbSession,
    actor: PeopleMerge,
    paging: Paging,
    status_filter: Annotated[
        str, Query(alias="status", pattern=r"^(open|merged|dismissed)$")
    ] = "open",
) -> Page[DuplicateOut]:
    pairs, cursor = service.list_duplicates(session, actor=actor, page=paging, status=status_filter)
    items = [
        _pair_out(*service.get_duplicate(session, actor=actor, pair_id=pair.id)) for pair in pairs
    ]
    return Page(items=items, next_cursor=cursor)


@router.get(f"{PEOPLE}/duplicates/{{pair_id}}", response_model=DuplicateOut)
def get_duplicate(session: DbSession, actor: PeopleMerge, pair_id: IdPath) -> DuplicateOut:
    pair, first, second = service.get_duplicate(session, actor=actor, pair_id=pair_id)
    service.log_access(session, actor, "open", first)
    service.log_access(session, actor, "open", second)
    return _pair_out(pair, first, second)


@router.post(f"{PEOPLE}/duplicates/{{pair_id}}/merge", response_model=PersonOut)
def merge_duplicate(
    session: DbSession, actor: PeopleMerge, pair_id: IdPath, data: MergeIn
) -> PersonOut:
    kept = service.merge_duplicate(session, actor=actor, pair_id=pair_id, keep_id=data.keep_id)
    return person_out(kept)


@router.post(f"{PEOPLE}/duplicates/{{pair_id}}/dismiss", status_code=status.HTTP_204_NO_CONTENT)
def dismiss_duplicate(session: DbSession, actor: PeopleMerge, pair_id: IdPath) -> None:
    service.dismiss_duplicate(session, actor=actor, pair_id=pair_id)


@router.get(f"{PEOPLE}/{{person_id}}", response_model=PersonDetail)
def get_person(
    session: DbSession,
    actor: PeopleRead,
    protector: ProtectorDep,
    person_id: IdPath,
    reveal: Annotated[list[RevealField] | None, Query()] = None,
) -> PersonDetail:
    person = service.get_person(session, actor=actor, person_id=person_id)
    shown = service.reveal(
        session, actor=actor, protector=protector, person=person, fields=reveal or []
    )
    household = (
        service.get_household(session, actor=actor, household_id=person.household_id)
        if person.household_id
        else None
    )
    detail = PersonDetail.model_validate(person)
    return detail.model_copy(
        update={
            **shown,
            "revealed": list(shown),
            "key_groups": [
                KeyGroupOut.model_validate(m) for m in service.key_groups(session, person)
            ],
            "household": HouseholdOut.model_validate(household) if household else None,
        }
    )


@router.patch(f"{PEOPLE}/{{person_id}}", response_model=PersonOut)
def update_person(
    session: DbSession,
    actor: PeopleWrite,
    protector: ProtectorDep,
    person_id: IdPath,
    data: PersonUpdate,
) -> PersonOut:
    return person_out(
        service.update_person(
            session, actor=actor, protector=protector, person_id=person_id, data=data
        )
    )


@router.post(
    f"{PEOPLE}/{{person_id}}/key-groups",
    response_model=KeyGroupOut,
    status_code=status.HTTP_201_CREATED,
)
def add_key_group(
    session: DbSession, actor: PeopleWrite, person_id: IdPath, data: KeyGroupIn
) -> KeyGroupOut:
    membership = service.add_key_group(session, actor=actor, person_id=person_id, data=data)
    return KeyGroupOut.model_validate(membership)


class KeyGroupEnd(BaseModel):
    end_date: date


@router.post(f"{PEOPLE}/{{person_id}}/key-groups/{{membership_id}}/end", response_model=KeyGroupOut)
def end_key_group(
    session: DbSession,
    actor: PeopleWrite,
    person_id: IdPath,
    membership_id: IdPath,
    data: KeyGroupEnd,
) -> KeyGroupOut:
    membership = service.end_key_group(
        session, actor=actor, person_id=person_id, membership_id=membership_id, end=data.end_date
    )
    return KeyGroupOut.model_validate(membership)


# --- households -------------------------------------------------------------------------


def _household_detail(session: DbSession, household: object) -> HouseholdDetail:
    detail = HouseholdDetail.model_validate(household)
    members = service.members(session, household)  # type: ignore[arg-type]
    return detail.model_copy(update={"members": _outs(members)})


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


# --- counts, load, ledger ---------------------------------------------------------------


@router.get("/api/v1/regions/{code}/counts", response_model=Counts)
def region_counts(session: DbSession, actor: PeopleRead, code: CodePath) -> Counts:
    totals = service.region_counts(session, actor=actor, region_code=code)
    return Counts(region_code=code, **totals)


@router.get("/api/v1/regions/{code}/worker-load", response_model=list[GridLoad])
def worker_load(
    session: DbSession, actor: PeopleRead, settings: SettingsDep, code: CodePath
) -> list[GridLoad]:
    loads = service.worker_load(
        session, actor=actor, region_code=code, max_households=settings.grid_worker_max_households
    )
    return [GridLoad.model_validate(load, from_attributes=True) for load in loads]


def _member(entry: service.LedgerEntry) -> LedgerMember:
    return LedgerMember(
        person=person_out(entry.person), key_groups=entry.key_groups, is_head=entry.is_head
    )


@router.get("/api/v1/regions/{code}/ledger", response_model=Ledger)
def grid_ledger(session: DbSession, actor: PeopleRead, code: CodePath) -> Ledger:
    ledger = service.ledger(session, actor=actor, grid_code=code)
    totals = service.region_counts(session, actor=actor, region_code=code)
    workers = service.grid_workers(session, actor=actor, grid_code=code)
    return Ledger(
        grid_code=ledger.grid_code,
        grid_name=ledger.grid_name,
        counts=Counts(region_code=code, **totals),
        workers=workers,
        households=[
            LedgerHousehold(
                household=HouseholdOut.model_validate(h), members=[_member(e) for e in entries]
            )
            for h, entries in ledger.households
        ],
        without_household=[_member(e) for e in ledger.without_household],
    )


@router.get("/api/v1/regions/{code}/ledger.xlsx", response_class=Response)
def grid_ledger_xlsx(
    session: DbSession, actor: PeopleRead, locale: Locale, code: CodePath
) -> Response:
    ledger = service.ledger(session, actor=actor, grid_code=code)
    body = exports.ledger_xlsx(ledger, lambda text: i18n.gettext(locale, text))
    service.log_export(session, actor, code)
    return _download(body, XLSX, f"ledger-{code}.xlsx")
