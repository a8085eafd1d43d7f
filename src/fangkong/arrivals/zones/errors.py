"""Errors of local zones, each with a stable code (problem+json, CLI exit 2, page form error)."""

from __future__ import annotations

from fangkong.core.errors import N_, Conflict, InvalidInput, NotFound, PermissionDenied


class ZoneNotFound(NotFound):
    code = "zone.not_found"
    title = N_("The zone does not exist or is outside your jurisdiction.")


class UnknownRegion(InvalidInput):
    code = "zone.unknown_region"
    title = N_("The region code does not exist.")


class RegionOutOfScope(PermissionDenied):
    code = "zone.region_out_of_jurisdiction"
    title = N_("The region is outside your jurisdiction.")


class RegionLevel(InvalidInput):
    code = "zone.region_level"
    title = N_("A zone covers a street, a community or a grid, not a whole district.")


class NoArea(InvalidInput):
    code = "zone.no_area"
    title = N_("Give either a region code or a list of buildings and addresses.")


class AddressUnmatched(InvalidInput):
    """``detail`` names the address text that matched no household."""

    code = "zone.address_unmatched"
    title = N_("An address matches no household in your jurisdiction.")


class UnknownPerson(InvalidInput):
    code = "zone.unknown_person"
    title = N_("A linked case names no resident in your jurisdiction.")


class InfectionInFuture(InvalidInput):
    code = "zone.infection_in_future"
    title = N_("The time of infection cannot be in the future.")


class NotActive(Conflict):
    code = "zone.not_active"
    title = N_("The zone has already been lifted.")


class NotPending(Conflict):
    code = "zone.not_pending"
    title = N_("The zone has no proposal waiting for a decision.")


class CannotDowngrade(InvalidInput):
    code = "zone.cannot_downgrade"
    title = N_("A zone can only be downgraded to a lower kind.")


class NoteRequired(InvalidInput):
    code = "zone.note_required"
    title = N_("A lift or downgrade by hand needs a note.")


class BadDate(InvalidInput):
    code = "zone.bad_date"
    title = N_("The date is not valid (YYYY-MM-DD).")
