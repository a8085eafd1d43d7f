"""Domain errors with stable codes.

Every error a user can cause is a ``DomainError`` subclass (or an instance with a ``code``).
The API renders it as RFC 9457 problem+json; pages render it as a form error. ``title`` and
``detail`` are English msgids marked with ``N_`` so Babel extracts them; they are translated
when rendered, in the request's language.
"""

from __future__ import annotations

from typing import Any, ClassVar


def N_(message: str) -> str:  # noqa: N802 - the conventional gettext marker name
    """Mark a string for extraction without translating it now."""
    return message


class DomainError(Exception):
    """A failure the caller can understand and fix; carries its HTTP status."""

    code: ClassVar[str] = "error"
    status: ClassVar[int] = 400
    title: ClassVar[str] = N_("The request cannot be processed.")

    def __init__(self, detail: str | None = None, **params: Any) -> None:
        self.detail = detail
        self.params = params
        super().__init__(f"{self.code}: {detail or self.title}")


class InvalidInput(DomainError):
    code = "request.invalid"
    status = 422
    title = N_("The request contains invalid data.")

    def __init__(
        self, detail: str | None = None, *, errors: list[dict[str, Any]] | None = None
    ) -> None:
        super().__init__(detail)
        self.errors = errors or []


class NotAuthenticated(DomainError):
    code = "auth.required"
    status = 401
    title = N_("Please log in.")


class PermissionDenied(DomainError):
    code = "auth.forbidden"
    status = 403
    title = N_("Your role does not allow this action.")


class NotFound(DomainError):
    """Also the answer for records outside the caller's jurisdiction, so existence never leaks."""

    code = "not_found"
    status = 404
    title = N_("The record does not exist or is outside your jurisdiction.")


class Conflict(DomainError):
    code = "conflict"
    status = 409
    title = N_("The record conflicts with an existing one.")


def error_class(code: str, status: int, title: str) -> type[DomainError]:
    """Build a small DomainError subclass for a domain-specific code."""
    name = "".join(part.capitalize() for part in code.replace(".", "_").split("_")) + "Error"
    return type(name, (DomainError,), {"code": code, "status": status, "title": title})
