"""Path parameters of the placement routes (the permission aliases are in
``fangkong.quarantine.dependencies``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path

from fangkong.core.fields import MAX_ID

PlacementIdPath = Annotated[int, Path(ge=1, le=MAX_ID)]
