"""Errors of the auth domain, each with a stable code."""

from __future__ import annotations

from fangkong.core.errors import N_, Conflict, DomainError, InvalidInput, PermissionDenied


class InvalidCredentials(DomainError):
    code = "auth.invalid_credentials"
    status = 401
    title = N_("Wrong username or password.")


class LockedOut(DomainError):
    code = "auth.locked_out"
    status = 429
    title = N_("Too many failed logins; the account is locked for a while.")


class OtpRequired(DomainError):
    code = "auth.otp_required"
    status = 401
    title = N_("Enter the code from your authenticator app.")


class InvalidOtp(DomainError):
    code = "auth.invalid_otp"
    status = 401
    title = N_("The authenticator code is wrong or was already used.")


class TotpEnrolmentRequired(DomainError):
    code = "auth.totp_enrolment_required"
    status = 403
    title = N_("This role needs a second factor; ask an administrator to enrol one.")


class TokenExpired(DomainError):
    code = "auth.token_expired"
    status = 401
    title = N_("The access token has expired; log in again.")


class TokenInvalid(DomainError):
    code = "auth.token_invalid"
    status = 401
    title = N_("The access token is invalid.")


class CsrfInvalid(DomainError):
    code = "auth.csrf_invalid"
    status = 403
    title = N_("The form has expired; reload the page and try again.")


class DuplicateUsername(Conflict):
    code = "user.duplicate_username"
    title = N_("This username is already taken.")


class RoleNotAssignable(PermissionDenied):
    code = "user.role_not_assignable"
    title = N_("You may not create or change users of this role.")


class RegionLevelMismatch(InvalidInput):
    code = "user.region_level_mismatch"
    title = N_("This role cannot be placed at a region of that level.")


class WeakPassword(InvalidInput):
    code = "user.weak_password"
    title = N_("The password must be 10 to 128 characters long.")


class AccountNotManageable(PermissionDenied):
    code = "user.not_manageable"
    title = N_("You may change only accounts below your own rank, and not your own account here.")
