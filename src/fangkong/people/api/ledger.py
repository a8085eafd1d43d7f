"""Counts, grid-worker load and the grid ledger under ``/api/v1/regions/{code}/``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Response

from fangkong.auth.dependencies import (
    PeopleRead,
)
from fangkong.core import i18n
from fangkong.core.principal import Principal
from fangkong.core.ratelimit import Kind, per_user
from fangkong.core.web import DbSession, Locale, SettingsDep
from fangkong.people import exports, service
from fangkong.people.api.common import (
    XLSX,
    CodePath,
    download,
    person_out,
)
from fangkong.people.schemas import (
    Counts,
    GridLoad,
    HouseholdOut,
    Ledger,
    LedgerHousehold,
    LedgerMember,
)

router = APIRouter(tags=["people"])
PeopleExport = Annotated[Principal, Depends(per_user(Kind.EXPORT, PeopleRead))]


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
    return loads


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
    session: DbSession, actor: PeopleExport, locale: Locale, code: CodePath
) -> Response:
    ledger = service.ledger(session, actor=actor, grid_code=code)
    body = exports.ledger_xlsx(ledger, lambda text: i18n.gettext(locale, text))
    service.log_export(session, actor, code)
    return download(body, XLSX, f"ledger-{code}.xlsx")
