"""Errors of the scan domain, with stable codes (problem+json on the API, one line on the CLI)."""

from __future__ import annotations

from fangkong.core.errors import N_, DomainError


class TemperatureOutOfRange(DomainError):
    code = "scan.temperature_out_of_range"
    status = 422
    title = N_("The temperature must lie between 30 and 45 °C.")


class TimeInFuture(DomainError):
    code = "scan.time_in_future"
    status = 422
    title = N_("The scan time lies in the future.")


class PersonRequired(DomainError):
    code = "scan.person_required"
    status = 422
    title = N_("Give exactly one of personal_code and id_number.")


class PersonUnknown(DomainError):
    code = "scan.person_unknown"
    status = 404
    title = N_("No person is registered with that ID number.")


class VenueNotOperated(DomainError):
    """An operator checking in at a venue it does not operate: 404, existence does not leak."""

    code = "scan.venue_not_operated"
    status = 404
    title = N_("The venue does not exist or is not one of yours.")


class BulkFormatUnknown(DomainError):
    code = "scan.bulk_format"
    status = 422
    title = N_("Send a CSV or NDJSON file.")


class BulkColumnsMissing(DomainError):
    code = "scan.bulk_columns"
    status = 422
    title = N_(
        "The file needs place_code or venue_id, id_number or person_id, and scanned_at columns."
    )


class CompanionWindowInvalid(DomainError):
    code = "scan.window_invalid"
    status = 422
    title = N_("The window must end after it starts and last at most 14 days.")
