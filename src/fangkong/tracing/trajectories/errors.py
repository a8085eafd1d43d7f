"""Errors of trajectories (interview entries, carriers' passenger lists), each with a stable
code (problem+json, CLI exit 2, page form error), and the reasons a passenger row is refused."""

from __future__ import annotations

from fangkong.core.errors import N_, InvalidInput, NotFound


class CaseNotFound(NotFound):
    code = "trajectory.case_not_found"
    title = N_("The case does not exist or is outside your jurisdiction.")


class EntryNotFound(NotFound):
    code = "trajectory.entry_not_found"
    title = N_("The interview entry does not exist or belongs to another case.")


class EndBeforeStart(InvalidInput):
    code = "trajectory.end_before_start"
    title = N_("The end of a stay must lie after its start.")


class OutsideWindow(InvalidInput):
    code = "trajectory.outside_window"
    title = N_("The stay lies outside the case's trace-back window.")


class UnknownVenue(InvalidInput):
    code = "trajectory.unknown_venue"
    title = N_("The venue does not exist.")


class FormInvalid(InvalidInput):
    code = "trajectory.form_invalid"
    title = N_("Check the form: a field is missing or malformed.")


class EmptyList(InvalidInput):
    code = "travel.list_empty"
    title = N_("The passenger list holds no rows.")


# Reasons for a refused row of a passenger list (code -> message).
REASONS: dict[str, str] = {
    "travel.unknown_mode": N_(
        "The mode must be one of flight, train, coach, ship (or 飞机/火车/高铁/大巴/船)."
    ),
    "travel.bad_number": N_(
        "The flight or train number is missing or malformed (e.g. CA1234, G1234)."
    ),
    "travel.bad_date": N_("The date must be YYYY-MM-DD and not in the future."),
    "travel.bad_time": N_("A departure or arrival time must be HH:MM or YYYY-MM-DD HH:MM."),
    "travel.bad_seat": N_("The seat is malformed (e.g. 12A, or 05车12F on a train)."),
    "travel.bad_id_number": N_("The ID number is not a valid resident ID number."),
    "travel.bad_phone": N_("The phone is not a valid mainland mobile number."),
    "travel.identity_missing": N_("The row gives neither an ID number nor a phone."),
    "travel.too_long": N_("A field of the row is too long."),
    "travel.duplicate_in_file": N_("The same passenger and journey appear earlier in the list."),
    "travel.outside_jurisdiction": N_("The passenger lives outside your jurisdiction."),
}
