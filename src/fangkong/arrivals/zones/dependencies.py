"""Path parameters of the zone routes (the permission aliases are in
``fangkong.arrivals.dependencies``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path

ZoneIdPath = Annotated[int, Path(ge=1, le=2**31 - 1)]
