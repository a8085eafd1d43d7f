"""Errors of the vaccination domain, each with a stable code (problem+json, CLI exit 2)."""

from __future__ import annotations

from fangkong.core.errors import N_, Conflict, InvalidInput, NotFound


class VaccineNotFound(NotFound):
    code = "vaccination.vaccine_not_found"
    title = N_("The vaccine product does not exist.")


class UnknownVaccine(InvalidInput):
    code = "vaccination.unknown_vaccine"
    title = N_("No active vaccine product has this code.")


class DuplicateVaccine(Conflict):
    code = "vaccination.duplicate_vaccine"
    title = N_("A vaccine product with this code already exists.")


class DoseBeforeBirth(InvalidInput):
    code = "vaccination.dose_before_birth"
    title = N_("The dose is dated before the person's birth.")


class DoseInFuture(InvalidInput):
    code = "vaccination.dose_in_future"
    title = N_("The dose is dated in the future.")


class PreviousDoseMissing(InvalidInput):
    code = "vaccination.previous_dose_missing"
    title = N_("The previous dose of this person is not recorded yet.")


class DoseBeforePrevious(InvalidInput):
    code = "vaccination.dose_before_previous"
    title = N_("The dose is dated before the person's previous dose.")


class DuplicateDose(Conflict):
    code = "vaccination.duplicate_dose"
    title = N_("This dose number is already recorded for the person.")


class PersonNotFound(InvalidInput):
    code = "vaccination.person_not_found"
    title = N_("No person with this ID number is registered in your jurisdiction.")


class InvalidDate(InvalidInput):
    code = "vaccination.invalid_date"
    title = N_("The date is not a valid YYYY-MM-DD date.")


class InvalidDoseNumber(InvalidInput):
    code = "vaccination.invalid_dose_number"
    title = N_("The dose number is a whole number from 1 to 9.")


class InvalidText(InvalidInput):
    code = "vaccination.invalid_text"
    title = N_("The site has 1 to 100 characters and the batch 1 to 40.")


class DuplicateRow(InvalidInput):
    code = "vaccination.duplicate_row"
    title = N_("The same person and dose number appear on an earlier row of the file.")
