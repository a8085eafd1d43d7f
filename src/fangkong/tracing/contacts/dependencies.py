"""Path parameters of the contact routes (the permission aliases are in
``fangkong.tracing.dependencies``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path

MAX_ID = 2**63 - 1
ContactIdPath = Annotated[int, Path(ge=1, le=MAX_ID)]
CaseIdPath = Annotated[int, Path(ge=1, le=MAX_ID)]
