"""Helpers of the publication tests: a case with places (a restaurant, a cinema, the home) and
a publication of them, made through the service; a signed-in citizen."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session

from fangkong.config import Settings
from fangkong.models.cases import Case
from fangkong.models.tracing import InterviewEntry
from fangkong.tracing.public import service
from fangkong.tracing.public.schemas import PublicationIn, PublicationOut
from outbreak_world import ADMIN, at, make_case, make_resident
from tracing.trajectories.helpers import make_scan, make_venue

HOME = "道里区安和街12号"
CASE_NAME = "林某某"


def case_with_places(session: Session, settings: Settings, grid: str | None = None) -> Case:
    extra = {"grid": grid} if grid else {}
    person = make_resident(session, settings, name=CASE_NAME, address=HOME,
                           phone="13700001234", **extra)  # fmt: skip
    case = make_case(session, person)
    restaurant = make_venue(session, "老街饺子馆", region=person.grid_code)
    cinema = make_venue(session, "光影影院", region=person.grid_code)
    make_scan(session, person, restaurant, at(2, 12))
    make_scan(session, person, cinema, at(2, 19))
    session.add(
        InterviewEntry(
            case_id=case.id,
            place=HOME,
            start_at=at(2, 21),
            end_at=at(2, 21) + timedelta(hours=9),
            region_code=case.region_code,
        )
    )
    session.flush()
    return case


def publish_all(session: Session, case: Case, **extra: object) -> PublicationOut:
    data = PublicationIn.model_validate({"case_id": case.id} | extra)
    return service.publish(session, actor=ADMIN, data=data)
