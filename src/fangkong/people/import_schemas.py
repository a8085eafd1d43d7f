"""What a people import answers: counts, likely duplicates flagged, and every rejected row."""

from __future__ import annotations

from pydantic import BaseModel


class RejectedRow(BaseModel):
    """One row the import refused: its line in the file (the header is line 1) and why.

    ``message`` is the English msgid of the error's title; the API and the CLI translate it.
    """

    row: int
    code: str
    message: str


class ImportReport(BaseModel):
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[RejectedRow] = []
    flagged_duplicates: int = 0
    seconds: float = 0.0
