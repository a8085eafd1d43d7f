"""Errors of antigen self-reports and a citizen's results, each with a stable code."""

from __future__ import annotations

from fangkong.core.errors import N_, InvalidInput, NotFound


class AntigenReportNotFound(NotFound):
    code = "testing.antigen.not_found"
    title = N_("The antigen report does not exist or is outside your jurisdiction.")


class AntigenPhotoMissing(NotFound):
    code = "testing.antigen.photo_missing"
    title = N_("This antigen report has no photo.")


class AntigenResultInvalid(InvalidInput):
    code = "testing.antigen.result_invalid"
    title = N_("The antigen result is either positive or negative.")


class AntigenTimeInvalid(InvalidInput):
    code = "testing.antigen.tested_at_invalid"
    title = N_("The test time must be a date and time that is not in the future.")


class AntigenPhotoRequired(InvalidInput):
    code = "testing.antigen.photo_required"
    title = N_("Add a photo of the test cassette.")


class AntigenPhotoTooLarge(InvalidInput):
    code = "testing.antigen.photo_too_large"
    title = N_("The photo is larger than 5 MB.")


class AntigenPhotoType(InvalidInput):
    code = "testing.antigen.photo_type"
    title = N_("The photo must be a JPEG, PNG or WebP image.")
