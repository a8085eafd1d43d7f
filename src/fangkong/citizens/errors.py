"""Errors of the citizens' sign-in and of the personal QR code, with stable codes."""

from __future__ import annotations

from fangkong.core.errors import N_, DomainError


class NotSignedIn(DomainError):
    code = "citizen.not_signed_in"
    status = 401
    title = N_("Please sign in with your phone number.")


class OtpInvalid(DomainError):
    """Wrong code, or no code was sent to that phone (the same answer: no enumeration)."""

    code = "citizen.otp_invalid"
    status = 400
    title = N_("The one-time code is not correct.")


class OtpExpired(DomainError):
    code = "citizen.otp_expired"
    status = 400
    title = N_("The one-time code has expired; ask for a new one.")


class OtpExhausted(DomainError):
    code = "citizen.otp_too_many_attempts"
    status = 400
    title = N_("Too many wrong tries; ask for a new one-time code.")


class SmsFailed(DomainError):
    code = "citizen.sms_failed"
    status = 503
    title = N_("The text message could not be sent; try again later.")


class PersonalCodeInvalid(DomainError):
    code = "health_code.qr_invalid"
    status = 400
    title = N_("The personal code is not valid.")


class PersonalCodeExpired(DomainError):
    code = "health_code.qr_expired"
    status = 400
    title = N_("The personal code has expired; ask the holder to refresh it.")


class PersonalCodeReplayed(DomainError):
    code = "health_code.qr_replayed"
    status = 409
    title = N_("The personal code was already used; ask the holder to refresh it.")


class AppealTextInvalid(DomainError):
    code = "citizen.appeal_text_invalid"
    status = 422
    title = N_("Write what is wrong, in at most 1000 characters.")
