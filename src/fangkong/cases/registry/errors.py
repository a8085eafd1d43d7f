"""Errors of the case registry, each with a stable code (problem+json, CLI exit 2, form error)."""

from __future__ import annotations

from fangkong.core.errors import N_, Conflict, InvalidInput, NotFound


class CaseNotFound(NotFound):
    code = "case.not_found"
    title = N_("The case does not exist or is outside your jurisdiction.")


class ClusterNotFound(NotFound):
    code = "case.cluster_not_found"
    title = N_("The cluster does not exist or is outside your jurisdiction.")


class UnknownPerson(InvalidInput):
    code = "case.unknown_person"
    title = N_("No registered person in your jurisdiction matches.")


class OnsetAfterConfirmation(InvalidInput):
    code = "case.onset_after_confirmation"
    title = N_("The symptom onset cannot be after the confirmation.")


class InFuture(InvalidInput):
    code = "case.in_future"
    title = N_("The onset, sampling or event time cannot be in the future.")


class BadPlacement(InvalidInput):
    code = "case.bad_placement"
    title = N_("The active policy edition does not allow this placement for the case.")


class UnknownChannel(InvalidInput):
    code = "case.unknown_channel"
    title = N_("The detection channel is not one of the known channels.")


class UnknownOwner(InvalidInput):
    code = "case.unknown_owner"
    title = N_("The new owner must be an active epidemiologist or officer account.")


class BadDate(InvalidInput):
    code = "case.bad_date"
    title = N_("The date is not valid (YYYY-MM-DD, the start before the end).")


class NotPending(Conflict):
    code = "case.not_pending"
    title = N_("The case has already been classified.")


class AlreadyConfirmed(Conflict):
    code = "case.already_confirmed"
    title = N_("Only an asymptomatic case can be converted to confirmed, and only once.")


class Closed(Conflict):
    code = "case.closed"
    title = N_("The case is closed and cannot change any more.")


class StillPending(Conflict):
    code = "case.pending"
    title = N_("Classify the case before transferring or closing it.")


class OpenCaseExists(Conflict):
    code = "case.open_case_exists"
    title = N_("The person already has an open case.")


class LineListInvalid(InvalidInput):
    code = "case.line_list_invalid"
    title = N_("The line list has refused rows; nothing was written.")


class LineListHeader(InvalidInput):
    code = "case.line_list_header"
    title = N_("The line list needs a header row naming at least the ID number and the kind.")
