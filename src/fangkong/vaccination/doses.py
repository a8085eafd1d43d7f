"""Recording one dose: the checks, the dose row, the person's refreshed status and the audit
row, or nothing at all. The service (by hand) and the importer (per row) both call it."""

from __future__ import annotations

from datetime import date

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from fangkong.audit import service as audit
from fangkong.core import clock
from fangkong.core.principal import Principal
from fangkong.healthcode.service import current_edition
from fangkong.models import Person
from fangkong.models.vaccination import Dose, VaccinationStatus, Vaccine
from fangkong.vaccination import errors, repository, rules
from fangkong.vaccination.schemas import DoseIn


def _active_vaccine(session: Session, code: str) -> Vaccine:
    vaccine = repository.vaccine_by_code(session, code)
    if vaccine is None or not vaccine.active:
        raise errors.UnknownVaccine()
    return vaccine


def record_dose_for(session: Session, *, actor: Principal, person: Person, data: DoseIn) -> Dose:
    """The checks, the dose, the refreshed status and the audit row — or nothing at all."""
    vaccine = _active_vaccine(session, data.vaccine_code)
    rules.check_dose_date(data.given_on, birth_date=person.birth_date, today=clock.local_today())
    earlier = {d.dose_number: d.given_on for d in repository.doses_of(session, person.id)}
    rules.check_sequence(data.dose_number, data.given_on, earlier)
    dose = Dose(
        person_id=person.id, vaccine_id=vaccine.id, dose_number=data.dose_number,
        given_on=data.given_on, site=data.site, batch=data.batch,
        region_code=person.grid_code, recorded_by=actor.username,
    )  # fmt: skip
    session.add(dose)
    _flush(session)
    refresh_status(session, person)
    _audit_dose(session, actor, dose, vaccine)
    return dose


def _flush(session: Session) -> None:
    """A concurrent insert of the same (person, dose number) is the same conflict."""
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError as exc:
        raise errors.DuplicateDose() from exc


def _audit_dose(session: Session, actor: Principal, dose: Dose, vaccine: Vaccine) -> None:
    after = {
        "person_id": dose.person_id, "vaccine": vaccine.code, "dose_number": dose.dose_number,
        "given_on": dose.given_on.isoformat(), "site": dose.site, "batch": dose.batch,
    }  # fmt: skip
    audit.record(
        session, actor=actor, action="vaccination.dose_record", object_type="vaccination_dose",
        object_id=dose.id, region_code=dose.region_code, after=after,
    )  # fmt: skip


def refresh_status(session: Session, person: Person) -> VaccinationStatus:
    doses = repository.doses_of(session, person.id)
    first = repository.vaccine(session, doses[0].vaccine_id)
    assert first is not None  # a foreign key
    interval = current_edition(session).vaccination.booster_interval_days
    summary = rules.summarize([d.given_on for d in doses], first.series_doses, interval)
    status = repository.status_of(session, person.id)
    before = _count_key(person, status)
    if status is None:
        status = VaccinationStatus(person_id=person.id)
        session.add(status)
    status.grid_code, status.birth_date = person.grid_code, person.birth_date
    for field in ("doses", "series_doses", "complete", "boosted", "last_dose_on"):
        setattr(status, field, getattr(summary, field))
    status.booster_due_on = summary.booster_due_on
    _move_count(session, person, before, status)
    session.flush()
    return status


def _count_key(
    person: Person, status: VaccinationStatus | None
) -> tuple[str, date, int, bool, bool] | None:
    """Where the maintained counts hold the person now (None: they do not, registered since)."""
    if status is not None:
        key = (status.grid_code, status.birth_date, status.doses, status.complete, status.boosted)
        return key
    return (person.grid_code, person.birth_date, 0, False, False)


def _move_count(
    session: Session,
    person: Person,
    before: tuple[str, date, int, bool, bool] | None,
    status: VaccinationStatus,
) -> None:
    """Move the person from their old state to the new one in ``vaccination_counts``, if taken."""
    taken = repository.counted(session)
    if taken is None:
        return
    counted_on, counted_at = taken
    after = (status.grid_code, status.birth_date, status.doses, status.complete, status.boosted)
    if before is not None and before[2] == 0 and person.created_at > counted_at:
        before = None  # registered after the recount: not in the counts yet
    for key, by in ((before, -1), (after, 1)):
        band = rules.band_of(key[1], counted_on) if key else None
        if key is not None and band is not None:
            repository.move_count(session, (key[0], band, *key[2:]), by, taken)
