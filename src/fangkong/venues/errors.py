"""Errors of the venue domain, each with a stable code (problem+json, CLI exit 2)."""

from __future__ import annotations

from fangkong.core.errors import N_, Conflict, InvalidInput, NotFound


class VenueNotFound(NotFound):
    code = "venue.not_found"
    title = N_("The venue does not exist or is outside your jurisdiction.")


class PlaceCodeInvalid(NotFound):
    code = "venue.place_code_invalid"
    title = N_(
        "This place code is not valid: it was forged, replaced by a new one, "
        "or the venue is closed."
    )


class UnknownRegion(InvalidInput):
    code = "venue.unknown_region"
    title = N_("The region code does not exist.")


class RegionOutOfScope(InvalidInput):
    code = "venue.region_out_of_jurisdiction"
    title = N_("The region code is outside your jurisdiction.")


class InvalidVenueType(InvalidInput):
    code = "venue.invalid_type"
    title = N_("The venue type is not one of the policy edition's venue types.")


class InvalidName(InvalidInput):
    code = "venue.invalid_name"
    title = N_("A venue name has 1 to 100 characters.")


class InvalidAddress(InvalidInput):
    code = "venue.invalid_address"
    title = N_("An address has at most 200 characters.")


class DuplicateName(Conflict):
    code = "venue.duplicate_name"
    title = N_("A venue with this name already exists in this region.")


class VenueInactive(Conflict):
    code = "venue.inactive"
    title = N_("The venue has been deactivated.")


class AlreadyClosed(Conflict):
    code = "venue.already_closed"
    title = N_("The venue is closed already: reopen it before closing it again.")


class NotClosed(Conflict):
    code = "venue.not_closed"
    title = N_("The venue is not closed.")


class ClosureEndsInPast(InvalidInput):
    code = "venue.closure_ends_in_past"
    title = N_("A closure must end after now, with a time zone.")


class OperatorNotFound(NotFound):
    code = "venue.operator_not_found"
    title = N_("The user does not exist or is outside your jurisdiction.")


class NotAnOperator(InvalidInput):
    code = "venue.not_an_operator"
    title = N_("Only users with the venue operator role can operate a venue.")


class OperatorOutOfScope(InvalidInput):
    code = "venue.operator_out_of_jurisdiction"
    title = N_("The operator's region must lie in the venue's district.")


class DuplicateRow(InvalidInput):
    code = "venue.duplicate_row"
    title = N_("The same region and name appear on an earlier row of the file.")
