"""Errors of the sentinel domain, each with a stable code (problem+json, CLI exit 2)."""

from __future__ import annotations

from fangkong.core.errors import N_, Conflict, InvalidInput, NotFound


class SiteNotFound(NotFound):
    code = "sentinel.site_not_found"
    title = N_("The sentinel site does not exist or is outside your jurisdiction.")


class WrongSiteKind(InvalidInput):
    code = "sentinel.wrong_site_kind"
    title = N_("This site is not a sentinel of that kind (a fever clinic or a pharmacy).")


class SiteVenueType(InvalidInput):
    code = "sentinel.site_venue_type"
    title = N_("A fever clinic must be a hospital venue and a pharmacy a shop venue.")


class SiteExists(Conflict):
    code = "sentinel.site_exists"
    title = N_("This venue is already registered as a sentinel site.")


class UnknownPerson(InvalidInput):
    code = "sentinel.unknown_person"
    title = N_("No registered person has this ID number.")


class BadIdNumber(InvalidInput):
    code = "sentinel.invalid_id_number"
    title = N_("The resident ID number is not valid.")


class InFuture(InvalidInput):
    code = "sentinel.in_future"
    title = N_("A visit or a sale cannot be dated in the future.")


class UnknownDrugClass(InvalidInput):
    code = "sentinel.unknown_drug_class"
    title = N_(
        "Unknown drug class: use antipyretic (退热), cough (止咳), antiviral (抗病毒) "
        "or antibiotic (抗生素)."
    )


class UnknownSymptom(InvalidInput):
    code = "sentinel.unknown_symptom"
    title = N_("Unknown symptom: see the list of symptom codes.")


class BadTemperature(InvalidInput):
    code = "sentinel.invalid_temperature"
    title = N_("A body temperature lies between 34 and 43 °C.")


class BadQuantity(InvalidInput):
    code = "sentinel.invalid_quantity"
    title = N_("A quantity is a whole number from 1 to 100.")


class BadTime(InvalidInput):
    code = "sentinel.invalid_time"
    title = N_("The time is not an ISO 8601 date and time.")


class RegistrationNotInForce(Conflict):
    code = "sentinel.registration_not_in_force"
    title = N_("Four-drug purchase registration is not in force under the active policy edition.")


class SaleNotFound(NotFound):
    code = "sentinel.sale_not_found"
    title = N_("The sale does not exist or is outside your jurisdiction.")


class VisitNotFound(NotFound):
    code = "sentinel.visit_not_found"
    title = N_("The fever-clinic visit does not exist or is outside your jurisdiction.")


class FormInvalid(InvalidInput):
    code = "sentinel.form_invalid"
    title = N_("Please correct the marked fields.")
