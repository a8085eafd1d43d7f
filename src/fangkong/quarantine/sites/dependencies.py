"""Path parameters of the site routes (the permission aliases are in
``fangkong.quarantine.dependencies``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path

SiteIdPath = Annotated[int, Path(ge=1, le=2**31 - 1)]
RoomIdPath = Annotated[int, Path(ge=1, le=2**31 - 1)]
