"""Recording doses: the summary row follows each dose, every bad input the issue names is a
clear error that writes nothing, and the booster date comes from the edition."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from fangkong.core import clock
from fangkong.models import AuditLog
from fangkong.models.vaccination import Dose, VaccinationStatus
from fangkong.people import errors as people_errors
from fangkong.vaccination import errors, service
from fangkong.vaccination.schemas import DoseIn, VaccineCreate
from vaccination.conftest import ADMIN, NANGANG_GRID, give, make_resident, officer_of

pytestmark = pytest.mark.usefixtures("vaccines")


def _count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def test_doses_keep_the_summary_current(session, settings):
    person = make_resident(session, settings, born=date(1990, 3, 1))
    give(session, person, 1, date(2021, 4, 1))
    status = session.get(VaccinationStatus, person.id)
    assert (status.doses, status.complete, status.booster_due_on) == (1, False, None)
    give(session, person, 2, date(2021, 5, 1))
    session.refresh(status)
    assert (status.doses, status.series_doses, status.complete) == (2, 2, True)
    assert status.booster_due_on == date(2021, 5, 1) + timedelta(days=180)
    assert (status.grid_code, status.birth_date) == (person.grid_code, date(1990, 3, 1))
    give(session, person, 3, date(2021, 12, 1), vaccine="ADV5")
    session.refresh(status)
    assert status.boosted and status.booster_due_on is None
    actions = session.scalars(
        select(AuditLog.action).where(AuditLog.object_type == "vaccination_dose")
    )
    assert list(actions) == ["vaccination.dose_record"] * 3


def test_series_length_is_the_first_products(session, settings):
    person = make_resident(session, settings, born=date(1980, 1, 1))
    give(session, person, 1, date(2021, 6, 1), vaccine="ADV5")
    status = session.get(VaccinationStatus, person.id)
    assert status.complete and status.series_doses == 1
    assert status.booster_due_on == date(2021, 6, 1) + timedelta(days=180)


def _dose(person_id: int, number: int, on: date, vaccine: str = "INACT") -> DoseIn:
    return DoseIn(
        person_id=person_id, vaccine_code=vaccine, dose_number=number, given_on=on,
        site="接种点", batch="B1",
    )  # fmt: skip


@pytest.mark.parametrize(
    ("number", "given_on", "error"),
    [
        (1, date(1989, 12, 31), errors.DoseBeforeBirth),
        (1, None, errors.DoseInFuture),
        (2, date(2021, 3, 31), errors.DoseBeforePrevious),
        (3, date(2021, 6, 1), errors.PreviousDoseMissing),
        (1, date(2021, 6, 1), errors.DuplicateDose),
    ],
)
def test_bad_doses_are_refused_and_write_nothing(session, settings, number, given_on, error):
    person = make_resident(session, settings, born=date(1990, 1, 1))
    if number != 1 or given_on != date(1989, 12, 31):
        give(session, person, 1, date(2021, 4, 1))
    if given_on is None:
        number, given_on = 2, clock.local_today() + timedelta(days=1)
    before = (_count(session, Dose), _count(session, AuditLog))
    status_before = session.get(VaccinationStatus, person.id)
    doses_before = status_before.doses if status_before else 0
    with pytest.raises(error):
        service.record_dose(session, actor=ADMIN, data=_dose(person.id, number, given_on))
    assert (_count(session, Dose), _count(session, AuditLog)) == before
    status = session.get(VaccinationStatus, person.id)
    assert (status.doses if status else 0) == doses_before


def test_unknown_or_retired_product(session, settings):
    person = make_resident(session, settings, born=date(1990, 1, 1))
    with pytest.raises(errors.UnknownVaccine):
        service.record_dose(
            session, actor=ADMIN, data=_dose(person.id, 1, date(2021, 4, 1), "NOPE")
        )
    with pytest.raises(errors.DuplicateVaccine):
        service.create_vaccine(
            session, actor=ADMIN, data=VaccineCreate(code="INACT", name="x", series_doses=2)
        )


def test_a_person_in_another_district_is_not_found(session, settings):
    person = make_resident(session, settings, born=date(1990, 1, 1), grid=NANGANG_GRID)
    with pytest.raises(people_errors.PersonNotFound):
        service.record_dose(
            session, actor=officer_of("230102"), data=_dose(person.id, 1, date(2021, 4, 1))
        )
    with pytest.raises(people_errors.PersonNotFound):
        service.person_record(session, actor=officer_of("230102"), person_id=person.id)
    assert _count(session, Dose) == 0


def test_the_booster_interval_comes_from_the_edition(session, settings, monkeypatch):
    from fangkong.vaccination import doses

    edition = doses.current_edition(session)
    shorter = edition.model_copy(
        update={"vaccination": edition.vaccination.model_copy(update={"booster_interval_days": 90})}
    )
    monkeypatch.setattr(doses, "current_edition", lambda _session: shorter)
    person = make_resident(session, settings, born=date(1990, 1, 1))
    give(session, person, 1, date(2021, 4, 1), vaccine="ADV5")
    assert session.get(VaccinationStatus, person.id).booster_due_on == date(2021, 6, 30)
