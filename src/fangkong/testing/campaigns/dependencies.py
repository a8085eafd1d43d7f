"""Typed path and query parameters of the round and key-group routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path, Query

from fangkong.core.pagination import PageParams
from fangkong.core.scoping import REGION_CODE_PATTERN, REGION_PREFIX_PATTERN
from fangkong.core.web import page_params

CampaignIdPath = Annotated[int, Path(ge=1, le=2**31 - 1)]
Paging = Annotated[PageParams, Depends(page_params)]
RegionQuery = Annotated[str | None, Query(pattern=REGION_CODE_PATTERN)]
PrefixQuery = Annotated[str | None, Query(pattern=REGION_PREFIX_PATTERN)]
GroupQuery = Annotated[str | None, Query(min_length=1, max_length=64)]
EmployerQuery = Annotated[str | None, Query(min_length=1, max_length=200)]
