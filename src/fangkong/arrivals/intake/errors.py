"""Errors of intake (arrival reports, trips, checkpoints), each with a stable code
(problem+json, CLI exit 2), and the reasons a pushed list's row is refused (listed per row)."""

from __future__ import annotations

from fangkong.core.errors import N_, Conflict, InvalidInput, NotFound, PermissionDenied


class UnknownOrigin(InvalidInput):
    code = "arrival.unknown_origin"
    title = N_("The place of origin is not a known county (province, city, district).")


class DatesOrder(InvalidInput):
    code = "arrival.dates_order"
    title = N_("The departure date lies after the arrival.")


class ArrivedInFuture(InvalidInput):
    code = "arrival.arrived_in_future"
    title = N_("The arrival time lies in the future.")


class PersonRequired(InvalidInput):
    code = "arrival.person_required"
    title = N_("Name the person: exactly one of person_id, ID number, phone or personal code.")


class BadIdNumber(InvalidInput):
    code = "arrival.bad_id_number"
    title = N_("The ID number is not a valid resident ID number.")


class BadPhone(InvalidInput):
    code = "arrival.bad_phone"
    title = N_("The phone is not a valid mainland mobile number.")


class PersonNotFound(NotFound):
    code = "arrival.person_not_found"
    title = N_("The person does not exist or is outside your jurisdiction.")


class TripNotFound(NotFound):
    code = "arrival.trip_not_found"
    title = N_("The trip does not exist or is outside your jurisdiction.")


class ReportNotFound(NotFound):
    code = "arrival.report_not_found"
    title = N_("The unmatched report does not exist, is matched, or is outside your jurisdiction.")


class CheckpointNotFound(NotFound):
    code = "arrival.checkpoint_not_found"
    title = N_("The checkpoint does not exist or is outside your jurisdiction.")


class CheckpointNameTaken(Conflict):
    code = "arrival.checkpoint_name_taken"
    title = N_("A checkpoint with this name already exists in this region.")


class CheckpointRegionInvalid(InvalidInput):
    code = "arrival.checkpoint_region_invalid"
    title = N_("The checkpoint's region does not exist or is outside your jurisdiction.")


class NotCheckpointStaff(PermissionDenied):
    code = "arrival.not_checkpoint_staff"
    title = N_("You are not on the staff of this checkpoint (or it is closed).")


class NotAnOperator(InvalidInput):
    code = "arrival.not_an_operator"
    title = N_(
        "Only active venue-operator accounts inside your jurisdiction can staff a checkpoint."
    )


class EmptyList(InvalidInput):
    code = "arrival.list_empty"
    title = N_("The list holds no rows.")


# Reasons for a refused row of a pushed list (code -> message).
REASONS: dict[str, str] = {
    "arrival.unknown_origin": UnknownOrigin.title,
    "arrival.dates_order": DatesOrder.title,
    "arrival.arrived_in_future": ArrivedInFuture.title,
    "arrival.bad_id_number": BadIdNumber.title,
    "arrival.bad_phone": BadPhone.title,
    "arrival.identity_missing": N_("The row gives neither an ID number nor a phone."),
    "arrival.arrived_at_invalid": N_(
        "The arrival time must be ISO 8601 or YYYY-MM-DD HH:MM (Asia/Shanghai)."
    ),
    "arrival.departed_on_invalid": N_("The departure date must be YYYY-MM-DD."),
    "arrival.transport_invalid": N_(
        "The transport must be one of car, train, plane, coach, ship, other "
        "(or 自驾/火车/飞机/大巴/船/其他)."
    ),
    "arrival.too_long": N_("A field of the row is too long."),
    "arrival.duplicate_in_file": N_("The same person and arrival appear earlier in the list."),
    "arrival.outside_jurisdiction": N_("The person lives outside your jurisdiction."),
}
