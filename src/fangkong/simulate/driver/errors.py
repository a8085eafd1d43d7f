"""The driver's own refusal: impossible parameters or an unfit database, with the reason."""

from __future__ import annotations


class DriverError(ValueError):
    """A run that cannot start (the CLI prints the reason and exits 2)."""
