"""Errors of testing/results, each with a stable code (problem+json, CLI exit 2), and the
reasons a result line or a barcode to receive is refused (listed per row, never raised)."""

from __future__ import annotations

from fangkong.core.errors import N_, Conflict, InvalidInput, NotFound


class LabNotFound(NotFound):
    code = "testing.lab_not_found"
    title = N_("The lab does not exist or is outside your jurisdiction.")


class LabRequired(InvalidInput):
    code = "testing.lab_required"
    title = N_("Name the lab you act for (lab_id): you belong to none or to several.")


class LabNameTaken(Conflict):
    code = "testing.lab_name_taken"
    title = N_("A lab with this name already exists.")


class LabRegionInvalid(InvalidInput):
    code = "testing.lab_region_invalid"
    title = N_("The lab's region does not exist or is outside your jurisdiction.")


class NotALabUser(InvalidInput):
    code = "testing.not_a_lab_user"
    title = N_("Only active users of the lab role inside your jurisdiction can join a lab.")


class ConflictNotFound(NotFound):
    code = "testing.conflict_not_found"
    title = N_(
        "The conflicting result does not exist, is settled, or is outside your jurisdiction."
    )


class EmptyUpload(InvalidInput):
    code = "testing.results_empty"
    title = N_("The upload holds no result lines.")


# Reasons for a refused result line or barcode (code -> message).
REASONS: dict[str, str] = {
    "testing.bad_barcode": N_("The barcode's check digit is wrong (or it is not 8-24 digits)."),
    "testing.unknown_tube": N_("No tube has this barcode."),
    "testing.tube_not_sealed": N_("The tube is still open: the sampler has not sealed it."),
    "testing.tube_other_lab": N_("Another lab received this tube."),
    "testing.tube_resulted": N_("The tube already has a result."),
    "testing.result_invalid": N_("The result must be 阴性/阳性 (negative/positive)."),
    "testing.result_missing": N_("The line gives neither a result nor a Ct value."),
    "testing.result_disagrees_with_ct": N_("The stated result disagrees with the Ct values."),
    "testing.ct_invalid": N_("A Ct value is not a number."),
    "testing.ct_out_of_range": N_("A Ct value must lie above 0 and at most 50."),
    "testing.tested_at_invalid": N_(
        "The test time must be ISO 8601 or YYYY-MM-DD HH:MM (Asia/Shanghai)."
    ),
    "testing.tested_in_future": N_("The test time lies in the future."),
    "testing.tested_before_sampling": N_("The test time lies before the tube's sampling."),
    "testing.duplicate_in_file": N_("The same barcode appears earlier in the upload."),
}
