"""Path parameters of the publication routes (the permission aliases are in
``fangkong.tracing.dependencies``; the citizen's in ``fangkong.citizens.dependencies``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query

from fangkong.tracing.public.service import MAX_PUBLIC_DAYS, PUBLIC_DAYS

PublicationIdPath = Annotated[int, Path(ge=1, le=2**31 - 1)]
DaysQuery = Annotated[int, Query(ge=1, le=MAX_PUBLIC_DAYS)]
DistrictQuery = Annotated[str | None, Query(pattern=r"^[0-9]{6}$")]
DEFAULT_DAYS = PUBLIC_DAYS
