"""Verbs of the vaccination domain: vaccine products, recording a dose (by hand or from an
import), a person's record, coverage by district × age band × dose, and outreach lists.

Each dose verb refreshes the person's ``vaccination_status`` row in the same transaction, so
coverage never aggregates doses. Services flush, never commit; every change is audited.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from fangkong.audit import service as audit
from fangkong.core import clock
from fangkong.core.principal import Principal
from fangkong.models.vaccination import Dose, Vaccine
from fangkong.people import service as people
from fangkong.vaccination import errors, repository
from fangkong.vaccination.coverage import coverage, recount
from fangkong.vaccination.doses import record_dose_for, refresh_status
from fangkong.vaccination.labels import REASON_LABELS
from fangkong.vaccination.repository import OutreachFilter
from fangkong.vaccination.schemas import (
    DoseIn,
    DoseOut,
    OutreachRow,
    PersonRecord,
    StatusOut,
    VaccineCreate,
)

__all__ = [
    "REASON_LABELS",
    "OutreachFilter",
    "count_for_export",
    "coverage",
    "create_vaccine",
    "export_rows",
    "list_vaccines",
    "outreach",
    "person_record",
    "record_dose",
    "record_dose_for",
    "recount",
    "refresh_status",
]


def list_vaccines(session: Session, *, active_only: bool = False) -> Sequence[Vaccine]:
    return repository.vaccines(session, active_only=active_only)


def create_vaccine(session: Session, *, actor: Principal, data: VaccineCreate) -> Vaccine:
    if repository.vaccine_by_code(session, data.code) is not None:
        raise errors.DuplicateVaccine()
    vaccine = Vaccine(code=data.code, name=data.name, series_doses=data.series_doses)
    vaccine.active = True
    session.add(vaccine)
    session.flush()
    after = {"code": vaccine.code, "name": vaccine.name, "series_doses": vaccine.series_doses}
    audit.record(
        session, actor=actor, action="vaccination.vaccine_create", object_type="vaccine",
        object_id=vaccine.id, after=after,
    )  # fmt: skip
    return vaccine


def _active_vaccine(session: Session, code: str) -> Vaccine:
    vaccine = repository.vaccine_by_code(session, code)
    if vaccine is None or not vaccine.active:
        raise errors.UnknownVaccine()
    return vaccine


def record_dose(session: Session, *, actor: Principal, data: DoseIn) -> Dose:
    """Record one dose of a person in the actor's jurisdiction (404 outside it)."""
    person = people.get_person(session, actor=actor, person_id=data.person_id, log=False)
    return record_dose_for(session, actor=actor, person=person, data=data)


# --- reading ----------------------------------------------------------------------------


def dose_out(dose: Dose, vaccine: Vaccine) -> DoseOut:
    return DoseOut(
        id=dose.id, person_id=dose.person_id, vaccine_code=vaccine.code,
        vaccine_name=vaccine.name, dose_number=dose.dose_number, given_on=dose.given_on,
        site=dose.site, batch=dose.batch, region_code=dose.region_code,
        recorded_by=dose.recorded_by,
    )  # fmt: skip


def own_record(session: Session, person_id: int) -> PersonRecord:
    """A person's doses and status, unscoped: for the citizen's own code page only."""
    products = {v.id: v for v in repository.vaccines(session)}
    doses = [dose_out(d, products[d.vaccine_id]) for d in repository.doses_of(session, person_id)]
    status = repository.status_of(session, person_id)
    summary = StatusOut.model_validate(status, from_attributes=True) if status else None
    return PersonRecord(person_id=person_id, status=summary, doses=doses)


def person_record(session: Session, *, actor: Principal, person_id: int) -> PersonRecord:
    """The dose history of a person in the actor's jurisdiction (404 outside it)."""
    person = people.get_person(session, actor=actor, person_id=person_id, log=False)
    return own_record(session, person.id)


def outreach(
    session: Session, *, actor: Principal, where: OutreachFilter, after: int | None, limit: int
) -> tuple[list[OutreachRow], int | None]:
    """People of a grid to call on: never vaccinated (eligible age), series incomplete, or
    booster due on ``where.on``. Masked; keyset by person id."""
    rows = repository.outreach_page(session, actor, where, after, limit + 1)
    items = [_outreach_row(row) for row in rows[:limit]]
    return items, (items[-1].person_id if len(rows) > limit else None)


def _outreach_row(row: Sequence[object]) -> OutreachRow:
    keys = (
        "person_id", "name", "id_number", "phone", "sex", "birth_date", "grid_code", "doses",
        "series_doses", "last_dose_on", "booster_due_on", "reason",
    )  # fmt: skip
    values = dict(zip(keys, row, strict=True))
    values["doses"] = values["doses"] or 0
    return OutreachRow.model_validate(values)


EXPORT_COLUMNS = (0, 1, 2, 3, 5, 6, 11, 7, 10)  # id, name, masked numbers, birth, grid, …


def count_for_export(session: Session, *, actor: Principal, where: OutreachFilter) -> int:
    return repository.outreach_count(session, actor, where)


def export_rows(
    session: Session,
    *,
    actor: Principal,
    where: OutreachFilter,
    after: list[Any] | None,
    limit: int,
) -> tuple[list[tuple[Any, ...]], list[Any] | None]:
    """One chunk of the outreach list for an export (numbers masked), by person id."""
    rows = repository.outreach_page(session, actor, where, int(after[0]) if after else None, limit)
    out = [tuple(row[i] for i in EXPORT_COLUMNS) for row in rows]
    return out, ([rows[-1][0]] if len(rows) == limit else None)


def today() -> date:
    return clock.local_today()
