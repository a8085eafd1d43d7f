"""Pages under ``/health-code``: counts by colour and the list of codes in the jurisdiction,
a person's code with reasons, facts and history, manual changes waiting for a second officer,
and open appeals. Forms post with the CSRF token; domain errors render the error page."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from fangkong.auth.dependencies import CsrfChecked
from fangkong.core.masking import mask_person_name
from fangkong.core.pagination import PageParams
from fangkong.core.principal import Principal
from fangkong.core.templating import render
from fangkong.core.web import DbSession, IdPath, SettingsDep
from fangkong.healthcode import service
from fangkong.healthcode.dependencies import CodesAppealsPage, CodesChangePage, CodesPage
from fangkong.healthcode.labels import COLOUR_LABELS, REASON_LABELS, STATUS_LABELS
from fangkong.healthcode.schemas import AppealDecisionIn, ChangeIn, DecisionNote
from fangkong.policy.types import Colour

router = APIRouter(include_in_schema=False)
PAGE = "/health-code"
PAGE_SIZE = 50
SIDE_LIST = 20
ColourQuery = Annotated[Literal["", "red", "yellow", "green"], Query()]
RegionQuery = Annotated[str | None, Query(pattern=r"^([0-9]{2,15})?$")]
Cursor = Annotated[str | None, Query(max_length=200)]
LABELS = {"colours": COLOUR_LABELS, "reasons": REASON_LABELS, "statuses": STATUS_LABELS}


def _people(session: DbSession, ids: list[int]) -> dict[int, str]:
    return {pid: mask_person_name(p.name) for pid, p in service.people_of(session, ids).items()}


def _side_lists(session: DbSession, actor: Principal) -> dict[str, Any]:
    """Changes waiting for a second officer, and open appeals, as the actor may see them."""
    first = PageParams(limit=SIDE_LIST)
    changes: list[Any] = []
    appeals: list[Any] = []
    if actor.can("health_code.change"):
        changes = list(service.list_changes(session, actor=actor, page=first)[0])
    if actor.can("health_code.appeals"):
        appeals = list(service.list_appeals(session, actor=actor, page=first)[0])
    return {"changes": changes, "appeals": appeals}


@router.get(PAGE)
def index(
    request: Request,
    session: DbSession,
    actor: CodesPage,
    colour: ColourQuery = "",
    region: RegionQuery = None,
    cursor: Cursor = None,
) -> Response:
    chosen = Colour(colour) if colour else None
    rows, next_cursor = service.list_codes(
        session,
        actor=actor,
        page=PageParams(limit=PAGE_SIZE, cursor=cursor),
        colour=chosen,
        region=region or None,
    )
    next_url = None
    if next_cursor:
        next_url = f"{PAGE}?colour={colour}&region={region or ''}&cursor={next_cursor}"
    context: dict[str, Any] = {
        "counts": service.colour_counts(session, actor, region or None),
        "codes": rows,
        "names": _people(session, [row.person_id for row in rows]),
        "colour": colour,
        "region": region or "",
        "next_url": next_url,
        "labels": LABELS,
    }
    context |= _side_lists(session, actor)
    others = [item.person_id for item in (*context["changes"], *context["appeals"])]
    context["names"] |= _people(session, others)
    return render(request, "healthcode/index.html", context)


@router.get(PAGE + "/people/{person_id}")
def person_page(
    request: Request, session: DbSession, actor: CodesPage, settings: SettingsDep,
    person_id: IdPath,
) -> Response:  # fmt: skip
    person, code, negative = service.open_code(session, actor, settings, person_id)
    context = {
        "person": person,
        "name": mask_person_name(person.name),
        "code": code,
        "negative": negative,
        "facts": service.person_facts(session, person.id),
        "history": service.person_history(session, person.id),
        "labels": LABELS,
    }
    return render(request, "healthcode/person.html", context)


def _back(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


@router.post(PAGE + "/change-requests", dependencies=[CsrfChecked])
def propose(
    session: DbSession,
    actor: CodesChangePage,
    person_id: Annotated[int, Form(ge=1, le=2**63 - 1)],
    colour: Annotated[Colour, Form()],
    reason: Annotated[str, Form(min_length=1, max_length=500)],
) -> Response:
    data = ChangeIn(person_id=person_id, colour=colour, reason=reason)
    service.propose(session, actor=actor, data=data)
    return _back(f"{PAGE}/people/{person_id}")


@router.post(PAGE + "/change-requests/{change_id}/{verdict}", dependencies=[CsrfChecked])
def decide_change(
    session: DbSession,
    actor: CodesChangePage,
    settings: SettingsDep,
    change_id: IdPath,
    verdict: Literal["approve", "reject"],
    note: Annotated[str | None, Form(max_length=500)] = None,
) -> Response:
    text = DecisionNote(note=note or None).note
    if verdict == "approve":
        service.approve(session, actor=actor, settings=settings, change_id=change_id, note=text)
    else:
        service.reject(session, actor=actor, change_id=change_id, note=text)
    return _back(PAGE)


@router.post(PAGE + "/appeals/{appeal_id}/decide", dependencies=[CsrfChecked])
def decide_appeal(
    session: DbSession,
    actor: CodesAppealsPage,
    settings: SettingsDep,
    appeal_id: IdPath,
    decision: Annotated[Literal["upheld", "rejected"], Form()],
    text: Annotated[str, Form(min_length=1, max_length=1000)],
    fact_id: Annotated[int | None, Form(ge=1, le=2**63 - 1)] = None,
    colour: Annotated[Colour | None, Form()] = None,
) -> Response:
    data = AppealDecisionIn(decision=decision, text=text, fact_id=fact_id, colour=colour)
    service.decide(session, actor=actor, settings=settings, appeal_id=appeal_id, data=data)
    return _back(PAGE)
