"""``/api/v1/health-code``: officers' view of codes, facts, negative tests, manual changes
(four eyes) and appeals. Every read and change is scoped by the person's grid (404 outside)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, status

from fangkong.core import i18n
from fangkong.core.masking import mask_person_name
from fangkong.core.pagination import Page, PageParams
from fangkong.core.scoping import REGION_PREFIX_PATTERN
from fangkong.core.web import DbSession, IdPath, Locale, SettingsDep, page_params
from fangkong.healthcode import service
from fangkong.healthcode.dependencies import CodesAppeals, CodesChange, CodesRead
from fangkong.healthcode.schemas import (
    AppealDecisionIn,
    AppealOut,
    ChangeIn,
    ChangeOut,
    CodeDetail,
    CodeOut,
    DecisionNote,
    FactIn,
    FactOut,
    HistoryOut,
    NegativeTestIn,
    ReasonOut,
)
from fangkong.models import Person
from fangkong.models.healthcode import HealthCode, NatNegative
from fangkong.policy.types import Colour

router = APIRouter(tags=["health-code"])
API = "/api/v1/health-code"
Paging = Annotated[PageParams, Depends(page_params)]


def code_out(
    code: HealthCode, person: Person, negative: NatNegative | None, locale: str
) -> CodeOut:
    return CodeOut(
        person_id=code.person_id,
        name=mask_person_name(person.name),
        grid_code=person.grid_code,
        colour=Colour(code.colour),
        reasons=[
            ReasonOut(code=view.code, message=i18n.gettext(locale, view.msgid))
            for view in service.reason_views(code.reasons)
        ],
        manual=code.manual,
        edition_id=code.edition_id,
        computed_at=code.computed_at,
        last_negative_sampled_at=negative.sampled_at if negative else None,
    )


@router.get(API + "/people/{person_id}", response_model=CodeDetail)
def person_code(
    session: DbSession, actor: CodesRead, settings: SettingsDep, locale: Locale,
    person_id: IdPath,
) -> CodeDetail:  # fmt: skip
    person, code, negative = service.open_code(session, actor, settings, person_id)
    return CodeDetail(
        **code_out(code, person, negative, locale).model_dump(),
        facts=[FactOut.model_validate(f) for f in service.person_facts(session, person.id)],
        history=[HistoryOut.model_validate(h) for h in service.person_history(session, person.id)],
    )


@router.get(API + "/codes", response_model=Page[CodeOut])
def list_codes(
    session: DbSession,
    actor: CodesRead,
    locale: Locale,
    paging: Paging,
    colour: Colour | None = None,
    region: Annotated[str | None, Query(pattern=REGION_PREFIX_PATTERN)] = None,
) -> Page[CodeOut]:
    rows, cursor = service.list_codes(
        session, actor=actor, page=paging, colour=colour, region=region
    )
    people = service.people_of(session, [row.person_id for row in rows])
    items = [code_out(row, people[row.person_id], None, locale) for row in rows]
    return Page(items=items, next_cursor=cursor)


@router.get(API + "/counts", response_model=dict[str, int])
def colour_counts(
    session: DbSession,
    actor: CodesRead,
    region: Annotated[str | None, Query(pattern=REGION_PREFIX_PATTERN)] = None,
) -> dict[str, int]:
    return service.colour_counts(session, actor, region)


@router.post(
    API + "/people/{person_id}/facts", response_model=FactOut, status_code=status.HTTP_201_CREATED
)
def add_fact(
    session: DbSession, actor: CodesChange, settings: SettingsDep, person_id: IdPath,
    data: FactIn,
) -> FactOut:  # fmt: skip
    fact = service.add_fact(session, actor=actor, settings=settings, person_id=person_id, data=data)
    return FactOut.model_validate(fact)


@router.post(API + "/people/{person_id}/facts/{fact_id}/end", response_model=FactOut)
def end_fact(
    session: DbSession, actor: CodesChange, settings: SettingsDep, person_id: IdPath,
    fact_id: IdPath,
) -> FactOut:  # fmt: skip
    service.readable_person(session, actor, person_id)
    fact = service.officer_end_fact(session, actor=actor, settings=settings, fact_id=fact_id)
    return FactOut.model_validate(fact)


@router.post(API + "/negative-tests", status_code=status.HTTP_201_CREATED)
def negative_test(
    session: DbSession, actor: CodesChange, settings: SettingsDep, data: NegativeTestIn
) -> dict[str, object]:
    row = service.add_negative(session, actor=actor, settings=settings, data=data)
    return {"person_id": row.person_id, "sampled_at": row.sampled_at}


@router.get(API + "/change-requests", response_model=Page[ChangeOut])
def list_changes(
    session: DbSession,
    actor: CodesChange,
    paging: Paging,
    status_: Annotated[
        Literal["pending", "approved", "rejected"], Query(alias="status")
    ] = "pending",
) -> Page[ChangeOut]:
    rows, cursor = service.list_changes(session, actor=actor, page=paging, status=status_)
    return Page(items=[ChangeOut.model_validate(r) for r in rows], next_cursor=cursor)


@router.post(
    API + "/change-requests", response_model=ChangeOut, status_code=status.HTTP_201_CREATED
)
def propose_change(session: DbSession, actor: CodesChange, data: ChangeIn) -> ChangeOut:
    return ChangeOut.model_validate(service.propose(session, actor=actor, data=data))


@router.post(API + "/change-requests/{change_id}/approve", response_model=ChangeOut)
def approve_change(
    session: DbSession, actor: CodesChange, settings: SettingsDep, change_id: IdPath,
    data: DecisionNote | None = None,
) -> ChangeOut:  # fmt: skip
    note = data.note if data else None
    change = service.approve(
        session, actor=actor, settings=settings, change_id=change_id, note=note
    )
    return ChangeOut.model_validate(change)


@router.post(API + "/change-requests/{change_id}/reject", response_model=ChangeOut)
def reject_change(
    session: DbSession, actor: CodesChange, change_id: IdPath, data: DecisionNote | None = None
) -> ChangeOut:
    note = data.note if data else None
    return ChangeOut.model_validate(
        service.reject(session, actor=actor, change_id=change_id, note=note)
    )


@router.get(API + "/appeals", response_model=Page[AppealOut])
def list_appeals(
    session: DbSession,
    actor: CodesAppeals,
    paging: Paging,
    status_: Annotated[Literal["open", "upheld", "rejected"], Query(alias="status")] = "open",
) -> Page[AppealOut]:
    rows, cursor = service.list_appeals(session, actor=actor, page=paging, status=status_)
    return Page(items=[AppealOut.model_validate(r) for r in rows], next_cursor=cursor)


@router.post(API + "/appeals/{appeal_id}/decide", response_model=AppealOut)
def decide_appeal(
    session: DbSession, actor: CodesAppeals, settings: SettingsDep, appeal_id: IdPath,
    data: AppealDecisionIn,
) -> AppealOut:  # fmt: skip
    appeal = service.decide(session, actor=actor, settings=settings, appeal_id=appeal_id, data=data)
    return AppealOut.model_validate(appeal)
