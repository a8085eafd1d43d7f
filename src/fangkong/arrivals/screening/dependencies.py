"""Query types of the screening routes (permissions: ``fangkong.arrivals.dependencies``)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import Depends, Query
from pydantic import AwareDatetime

from fangkong.arrivals.screening.schemas import TaskKind, TaskStatus
from fangkong.core.pagination import PageParams
from fangkong.core.scoping import REGION_PREFIX_PATTERN
from fangkong.core.web import page_params

RegionQuery = Annotated[str | None, Query(pattern=REGION_PREFIX_PATTERN)]
DateQuery = Annotated[date | None, Query()]
KindQuery = Annotated[TaskKind | None, Query()]
StatusQuery = Annotated[TaskStatus | None, Query()]
Paging = Annotated[PageParams, Depends(page_params)]
DueBeforeQuery = Annotated[AwareDatetime | None, Query()]
