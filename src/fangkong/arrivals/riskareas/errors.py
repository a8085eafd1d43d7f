"""Errors of the national risk-area list, each with a stable code (problem+json, CLI exit 2),
and the reasons an imported row is refused (listed per row, never raised)."""

from __future__ import annotations

from fangkong.core.errors import N_, Conflict, InvalidInput, NotFound


class RiskAreaNotFound(NotFound):
    code = "risk_area.not_found"
    title = N_("The risk area does not exist.")


class UnknownPlace(InvalidInput):
    code = "risk_area.unknown_place"
    title = N_("No county-level place has this province, city and district.")


class BadGrade(InvalidInput):
    code = "risk_area.bad_grade"
    title = N_("The grade must be high, medium or low (高/中/低).")


class GradeNotInForce(InvalidInput):
    code = "risk_area.grade_not_in_force"
    title = N_("The edition in force has no such risk grade.")


class BadTime(InvalidInput):
    code = "risk_area.bad_time"
    title = N_("The time must be a date (YYYY-MM-DD) or a date and time (Asia/Shanghai).")


class BadDates(InvalidInput):
    code = "risk_area.bad_dates"
    title = N_("The end of a risk area must lie after its start.")


class NoteRequired(InvalidInput):
    code = "risk_area.note_required"
    title = N_("Say why in a note: a correction needs one.")


class OneChange(InvalidInput):
    code = "risk_area.one_change"
    title = N_("Make one change at a time: an end, a new grade or a corrected area.")


class NotInForce(Conflict):
    code = "risk_area.not_in_force"
    title = N_("The risk area is not in force at that time.")


class SameGrade(Conflict):
    code = "risk_area.same_grade"
    title = N_("The risk area already has this grade.")


class AlreadyListed(Conflict):
    code = "risk_area.already_listed"
    title = N_("This place already has a risk area in force: change its grade instead.")


class EmptyImport(InvalidInput):
    code = "risk_area.empty_import"
    title = N_("The import holds no rows.")


class PlaceMissing(InvalidInput):
    code = "risk_area.place_missing"
    title = N_("The row lacks its province or district.")


class TooLong(InvalidInput):
    code = "risk_area.too_long"
    title = N_("A name or the area is too long.")


# Reasons for a refused imported row (code -> message).
REASONS: dict[str, str] = {
    UnknownPlace.code: UnknownPlace.title,
    BadGrade.code: BadGrade.title,
    GradeNotInForce.code: GradeNotInForce.title,
    BadTime.code: BadTime.title,
    BadDates.code: BadDates.title,
    PlaceMissing.code: PlaceMissing.title,
    TooLong.code: TooLong.title,
    "risk_area.duplicate_in_file": N_("The same place appears earlier in the import."),
}
