"""Path parameters of the case routes (the permission aliases are in
``fangkong.cases.dependencies``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path

CaseIdPath = Annotated[int, Path(ge=1, le=2**63 - 1)]
ClusterIdPath = Annotated[int, Path(ge=1, le=2**31 - 1)]
