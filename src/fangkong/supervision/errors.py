"""Errors of the supervision domain, each with a stable code (problem+json, CLI exit 2)."""

from __future__ import annotations

from fangkong.core.errors import N_, Conflict, InvalidInput, NotFound


class CompanyNotFound(NotFound):
    code = "supervision.company_not_found"
    title = N_("The property company does not exist or is outside your jurisdiction.")


class CommunityNotFound(NotFound):
    code = "supervision.community_not_found"
    title = N_("The property-managed community does not exist or is outside your jurisdiction.")


class UnknownCommunity(InvalidInput):
    code = "supervision.unknown_community"
    title = N_("No property-managed community with this id exists in your jurisdiction.")


class UnknownCompany(InvalidInput):
    code = "supervision.unknown_company"
    title = N_("No property company with this id exists in your jurisdiction.")


class InspectionNotFound(NotFound):
    code = "supervision.inspection_not_found"
    title = N_("The inspection does not exist or is outside your jurisdiction.")


class FindingNotFound(NotFound):
    code = "supervision.finding_not_found"
    title = N_("The problem does not exist or is outside your jurisdiction.")


class VideoPointNotFound(NotFound):
    code = "supervision.video_point_not_found"
    title = N_("The video point does not exist or is outside your jurisdiction.")


class InvalidCreditCode(InvalidInput):
    code = "supervision.invalid_credit_code"
    title = N_(
        "The unified social credit code is not valid: 18 characters whose last one is "
        "the check character."
    )


class DuplicateCreditCode(Conflict):
    code = "supervision.duplicate_credit_code"
    title = N_("A property company with this unified social credit code already exists.")


class DuplicateCommunity(Conflict):
    code = "supervision.duplicate_community"
    title = N_("A property-managed community with this name already exists in this region.")


class DuplicateVideoPoint(Conflict):
    code = "supervision.duplicate_video_point"
    title = N_("The community already has a video point with this name.")


class UnknownRegion(InvalidInput):
    code = "supervision.unknown_region"
    title = N_("The region code does not exist.")


class RegionOutOfScope(InvalidInput):
    code = "supervision.region_out_of_jurisdiction"
    title = N_("The region code is outside your jurisdiction.")


class NotCommunityLevel(InvalidInput):
    code = "supervision.region_not_community"
    title = N_("A property-managed community lies in a community or a grid.")


class InvalidName(InvalidInput):
    code = "supervision.invalid_name"
    title = N_("A name has 1 to 100 characters.")


class DeadlineInPast(InvalidInput):
    code = "supervision.deadline_in_past"
    title = N_("The rectification deadline cannot be in the past.")


class DeadlineMissing(InvalidInput):
    code = "supervision.deadline_missing"
    title = N_("Every problem needs a rectification deadline.")


class InspectionInFuture(InvalidInput):
    code = "supervision.inspected_in_future"
    title = N_("The inspection date cannot be in the future.")


class IncompleteAspects(InvalidInput):
    code = "supervision.incomplete_aspects"
    title = N_("An inspection gives one result for each of the six aspects, once.")


class AlreadyVerified(Conflict):
    code = "supervision.already_verified"
    title = N_("This problem has already been verified.")


class InvalidPeriod(InvalidInput):
    code = "supervision.invalid_period"
    title = N_("The period must start on or before its end, within 366 days.")


class InvalidStatus(InvalidInput):
    code = "supervision.invalid_status"
    title = N_("The status must be online, offline or broken.")


class UnknownZone(InvalidInput):
    code = "supervision.unknown_zone"
    title = N_("No sealed or controlled zone with this id exists in your jurisdiction.")


class DuplicateRow(InvalidInput):
    code = "supervision.duplicate_row"
    title = N_("The same record appears on an earlier row of the file.")


class PhotoNotFound(NotFound):
    code = "supervision.photo_not_found"
    title = N_("The photo does not exist or is outside your jurisdiction.")


class PhotoTooLarge(InvalidInput):
    code = "supervision.photo_too_large"
    title = N_("A photo may be at most 5 MB.")


class PhotoType(InvalidInput):
    code = "supervision.photo_type"
    title = N_("A photo must be a JPEG, PNG or WebP image.")


class FormInvalid(InvalidInput):
    code = "supervision.form_invalid"
    title = N_("Please correct the marked fields.")
