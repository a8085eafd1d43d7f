"""``/api/v1/people``: register, list, exact search (POST), reveal, import, duplicates, access log.

ID numbers and phones never travel in a URL: exact search is ``POST /api/v1/people/search``.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response, UploadFile, status
from pydantic import BaseModel

from fangkong.auth.dependencies import (
    PeopleAccessLog,
    PeopleMerge,
    PeopleRead,
    PeopleWrite,
)
from fangkong.core import clock, i18n
from fangkong.core.bodylimit import upload_limit
from fangkong.core.fields import UtcDatetime
from fangkong.core.pagination import Page
from fangkong.core.principal import Principal
from fangkong.core.ratelimit import Kind, per_user
from fangkong.core.scoping import REGION_PREFIX_PATTERN
from fangkong.core.web import DbSession, IdPath, IdQuery, Locale, UserIdQuery
from fangkong.models import DuplicateCandidate, KeyGroup, Person
from fangkong.people import importer, service, timeline
from fangkong.people.api.common import (
    PEOPLE,
    XLSX,
    Paging,
    download,
    outs,
    person_out,
)
from fangkong.people.dependencies import ProtectorDep
from fangkong.people.import_schemas import ImportReport
from fangkong.people.schemas import (
    AccessOut,
    DuplicateOut,
    FlagName,
    HouseholdOut,
    KeyGroupIn,
    KeyGroupOut,
    MergeIn,
    PersonCreate,
    PersonCreated,
    PersonDetail,
    PersonOut,
    PersonSearch,
    PersonUpdate,
    RevealField,
)
from fangkong.people.service import PersonFilter

router = APIRouter(tags=["people"])
# Name queries and exact searches count against the user's search limit.
PeopleQuery = Annotated[Principal, Depends(per_user(Kind.SEARCH, PeopleRead, only_with_query="q"))]
PeopleSearch = Annotated[Principal, Depends(per_user(Kind.SEARCH, PeopleRead))]


@router.get(PEOPLE, response_model=Page[PersonOut])
def list_people(
    session: DbSession,
    actor: PeopleQuery,
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
    return Page(items=outs(rows), next_cursor=cursor)


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
    session: DbSession, actor: PeopleSearch, protector: ProtectorDep, data: PersonSearch
) -> list[PersonOut]:
    return outs(service.search_exact(session, actor=actor, protector=protector, data=data))


@router.post(
    f"{PEOPLE}/import",
    response_model=ImportReport,
    max_body_size=upload_limit(importer.MAX_UPLOAD_BYTES),
)
def import_people(
    session: DbSession,
    actor: PeopleWrite,
    protector: ProtectorDep,
    locale: Locale,
    file: UploadFile,
    dry_run: bool = False,
) -> ImportReport:
    data = file.file.read(importer.MAX_UPLOAD_BYTES + 1)
    report = importer.import_upload(
        session,
        actor=actor,
        protector=protector,
        filename=file.filename or "",
        data=data,
        today=clock.local_today(),
    )
    if dry_run:
        session.rollback()
    for rejected in report.rejected:
        rejected.message = i18n.gettext(locale, rejected.message)
    return report


@router.get(f"{PEOPLE}/import-template.csv", response_class=Response)
def import_template_csv(actor: PeopleWrite) -> Response:
    return download(importer.template_csv(), "text/csv; charset=utf-8", "people-template.csv")


@router.get(f"{PEOPLE}/import-template.xlsx", response_class=Response)
def import_template_xlsx(actor: PeopleWrite) -> Response:
    return download(importer.template_xlsx(), XLSX, "people-template.xlsx")


@router.get(f"{PEOPLE}/access-log", response_model=Page[AccessOut])
def access_log(
    session: DbSession,
    actor: PeopleAccessLog,
    paging: Paging,
    person_id: IdQuery = None,
    user_id: UserIdQuery = None,
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
    items = [_pair_out(*found) for found in pairs]
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


class TimelineEntryOut(BaseModel):
    at: datetime
    domain: str
    text: str
    link: str | None
    tone: str


@router.get(f"{PEOPLE}/{{person_id}}/timeline", response_model=list[TimelineEntryOut])
def person_timeline(
    session: DbSession, actor: PeopleRead, person_id: IdPath, locale: Locale
) -> list[TimelineEntryOut]:
    """What the other domains know of the person (codes, tests, trips, …) that the caller may
    read, newest first, in the request's language. Opening it is logged like the record."""
    person = service.get_person(session, actor=actor, person_id=person_id)
    return [
        TimelineEntryOut(**vars(timeline.show(entry, locale)))
        for entry in timeline.entries(session, actor, person.id)
    ]


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
