"""Errors of contacts, each with a stable code (problem+json, CLI exit 2, page form error)."""

from __future__ import annotations

from fangkong.core.errors import N_, Conflict, InvalidInput, NotFound, PermissionDenied


class ContactNotFound(NotFound):
    code = "contact.not_found"
    title = N_("The contact does not exist or is outside your jurisdiction.")


class CaseNotFound(NotFound):
    code = "contact.case_not_found"
    title = N_("The case does not exist or is outside your jurisdiction.")


class NotOwner(PermissionDenied):
    """A handed-over contact: both districts see it, only the owner district decides."""

    code = "contact.not_owner"
    title = N_("Only the district of the case that named this contact may decide on it.")


class NotCandidate(Conflict):
    code = "contact.not_candidate"
    title = N_("Only a candidate contact can be confirmed.")


class NotOpen(Conflict):
    code = "contact.not_open"
    title = N_("The contact is already closed.")


class NotConfirmed(Conflict):
    code = "contact.not_confirmed"
    title = N_("A control notice is sent only to a confirmed contact.")


class ReasonRequired(InvalidInput):
    code = "contact.reason_required"
    title = N_("Rejecting a contact needs a reason.")


class NoIds(InvalidInput):
    code = "contact.no_ids"
    title = N_("Select at least one contact.")


class PersonUnknown(InvalidInput):
    code = "contact.person_unknown"
    title = N_("No registered person in your jurisdiction matches this person.")


class OneIdentifier(InvalidInput):
    code = "contact.one_identifier"
    title = N_("Name the person by exactly one of: person id, ID number, phone.")


class IsCasePerson(InvalidInput):
    code = "contact.is_case_person"
    title = N_("The case's own person cannot be their contact.")


class IsActiveCase(InvalidInput):
    code = "contact.is_active_case"
    title = N_("The person is already an active case.")


class ContactInFuture(InvalidInput):
    code = "contact.time_in_future"
    title = N_("The time of contact cannot be in the future.")


class BadReason(InvalidInput):
    code = "contact.bad_reason"
    title = N_("The reason must be household, venue, transport or interview.")


class NameMismatch(InvalidInput):
    code = "contact.name_mismatch"
    title = N_("The name does not match the registered person.")


class BadLine(InvalidInput):
    code = "contact.bad_line"
    title = N_("The line needs a name, an ID number or phone, a case number and a time.")


class TooManyLines(InvalidInput):
    code = "contact.too_many_lines"
    title = N_("Paste at most 2000 lines at once.")
