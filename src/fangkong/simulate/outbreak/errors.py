"""The one error of the outbreak model: impossible parameters or inputs (the CLI exits 2)."""

from __future__ import annotations


class OutbreakError(ValueError):
    """A parameter or input the model cannot run with; the message says which and why."""
