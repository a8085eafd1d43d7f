"""Errors of the health-code domain, each with a stable code."""

from __future__ import annotations

from fangkong.core.errors import N_, Conflict, InvalidInput, NotFound, PermissionDenied


class FactNotFound(NotFound):
    code = "health_code.fact_not_found"
    title = N_("The fact does not exist or is outside your jurisdiction.")


class FactEndedAlready(Conflict):
    code = "health_code.fact_ended"
    title = N_("The fact has ended already.")


class UntilInPast(InvalidInput):
    code = "health_code.until_in_past"
    title = N_("The end time must be in the future.")


class SampledInFuture(InvalidInput):
    code = "health_code.sampled_in_future"
    title = N_("The sampling time must not be in the future.")


class ChangeRequestNotFound(NotFound):
    code = "health_code.change_request_not_found"
    title = N_("The change request does not exist or is outside your jurisdiction.")


class ChangeRequestDecided(Conflict):
    code = "health_code.change_request_decided"
    title = N_("The change request has been decided already.")


class OwnChangeRequest(PermissionDenied):
    code = "health_code.four_eyes"
    title = N_(
        "A manual change must be approved or rejected by an officer other than its proposer."
    )


class AppealNotFound(NotFound):
    code = "health_code.appeal_not_found"
    title = N_("The appeal does not exist or is outside your jurisdiction.")


class AppealDecided(Conflict):
    code = "health_code.appeal_decided"
    title = N_("The appeal has been decided already.")


class AppealRemedy(InvalidInput):
    code = "health_code.appeal_remedy"
    title = N_(
        "An upheld appeal ends the disputed fact or proposes a colour change "
        "(exactly one of fact_id and colour); a rejected one has neither."
    )


class AppealText(InvalidInput):
    code = "health_code.appeal_text"
    title = N_("An appeal needs a text of 1 to 1000 characters.")
