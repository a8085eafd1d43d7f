"""Path parameters of the trajectory routes (the permission aliases are in
``fangkong.tracing.dependencies``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path

from fangkong.core.fields import MAX_ID

CaseIdPath = Annotated[int, Path(ge=1, le=MAX_ID)]
EntryIdPath = Annotated[int, Path(ge=1, le=MAX_ID)]
