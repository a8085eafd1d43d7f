"""JSON routes: the pool-size plan, antigen self-reports (a citizen files, officers read), and
a citizen's own results and tasks.

The planner needs ``testing.read``: it is a tool of the testing office, not a policy setting.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Form, Query, Response, UploadFile, status

from fangkong.citizens.dependencies import CurrentCitizen
from fangkong.core.bodylimit import upload_limit
from fangkong.core.fields import UtcDatetime
from fangkong.core.pagination import Page, PageParams
from fangkong.core.scoping import REGION_PREFIX_PATTERN
from fangkong.core.web import DbSession, IdPath, page_params
from fangkong.testing import planner
from fangkong.testing.citizen import service
from fangkong.testing.citizen.schemas import (
    AntigenReportOut,
    AntigenReportRow,
    HomeFiguresOut,
    MyTestingOut,
    PoolPlanOut,
)
from fangkong.testing.dependencies import TestingRead

router = APIRouter(tags=["testing"])
REPORTS = "/api/v1/testing/antigen-reports"
Paging = Annotated[PageParams, Depends(page_params)]
SizesQuery = Annotated[str | None, Query(max_length=200, description="e.g. 5,10,20")]
NO_STORE = {"Cache-Control": "no-store", "Content-Disposition": "inline"}


@router.get("/api/v1/testing/pool-plan", response_model=PoolPlanOut)
def pool_plan(
    session: DbSession,
    actor: TestingRead,
    prevalence: float,
    people: int,
    sizes: SizesQuery = None,
    tests_per_hour: float = planner.DEFAULT_TESTS_PER_HOUR,
) -> PoolPlanOut:
    """Dorfman's plan for each pool size (default: the edition's allowed sizes)."""
    chosen = planner.parse_sizes(sizes) if sizes else None
    plan = service.plan_pools(
        session, prevalence=prevalence, people=people, sizes=chosen, tests_per_hour=tests_per_hour
    )
    return PoolPlanOut.model_validate(plan)


@router.get("/api/v1/testing/summary", response_model=HomeFiguresOut)
def summary(session: DbSession, actor: TestingRead) -> HomeFiguresOut:
    return service.home_figures(session, actor=actor)


# --- antigen reports, as officers see them -------------------------------------------------


@router.get(REPORTS, response_model=Page[AntigenReportRow])
def list_reports(
    session: DbSession,
    actor: TestingRead,
    paging: Paging,
    result: Literal["positive", "negative"] | None = None,
    region: Annotated[str | None, Query(pattern=REGION_PREFIX_PATTERN)] = None,
    tested_from: UtcDatetime | None = None,
    tested_to: UtcDatetime | None = None,
) -> Page[AntigenReportRow]:
    where = service.ReportFilter(
        result=result, region=region, tested_from=tested_from, tested_to=tested_to
    )
    rows, cursor = service.list_reports(session, actor=actor, page=paging, where=where)
    return Page(items=rows, next_cursor=cursor)


@router.get(f"{REPORTS}/{{report_id}}", response_model=AntigenReportRow)
def get_report(session: DbSession, actor: TestingRead, report_id: IdPath) -> AntigenReportRow:
    report = service.get_report(session, actor=actor, report_id=report_id)
    return service.report_rows(session, [report])[0]


@router.get(f"{REPORTS}/{{report_id}}/photo", response_class=Response)
def report_photo(session: DbSession, actor: TestingRead, report_id: IdPath) -> Response:
    """The cassette photo (audited)."""
    data, media_type = service.open_photo(session, actor=actor, report_id=report_id)
    return Response(data, media_type=media_type, headers=NO_STORE)


# --- the citizen's own ---------------------------------------------------------------------


@router.post(
    "/api/v1/me/testing/antigen",
    response_model=AntigenReportOut,
    status_code=status.HTTP_201_CREATED,
    max_body_size=upload_limit(service.MAX_PHOTO_BYTES),
)
def report_antigen(
    session: DbSession,
    citizen: CurrentCitizen,
    result: Annotated[Literal["positive", "negative"], Form()],
    tested_at: Annotated[UtcDatetime, Form()],
    photo: UploadFile,
) -> AntigenReportOut:
    """File an antigen self-test (multipart: result, tested_at, photo)."""
    data = photo.file.read(service.MAX_PHOTO_BYTES + 1)
    report = service.report_antigen(
        session, person_id=citizen.person_id, result=result, tested_at=tested_at, photo=data
    )
    return AntigenReportOut.model_validate(report)


@router.get("/api/v1/me/testing/antigen", response_model=list[AntigenReportOut])
def my_reports(session: DbSession, citizen: CurrentCitizen) -> list[AntigenReportOut]:
    return [
        AntigenReportOut.model_validate(r) for r in service.my_reports(session, citizen.person_id)
    ]


@router.get("/api/v1/me/testing/results", response_model=MyTestingOut)
def my_results(session: DbSession, citizen: CurrentCitizen) -> MyTestingOut:
    """The tubes the citizen was sampled into (newest first) and the tests they still owe."""
    return service.my_testing(session, citizen.person_id)
