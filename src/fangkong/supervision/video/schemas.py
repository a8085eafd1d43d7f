"""Request and answer bodies of the video-point ledger (视频监控点位)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from fangkong.supervision.labels import PointStatus

NO_CONTROL = r"^[^\x00-\x1f\x7f]*$"
IntId = Annotated[int, Field(ge=1, le=2**31 - 1)]


class VideoPointCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Annotated[
        str,
        StringConstraints(strip_whitespace=True, min_length=1, max_length=100, pattern=NO_CONTROL),
    ]
    community_id: IntId
    zone_id: IntId | None = None
    status: PointStatus = PointStatus.ONLINE


class StatusIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: PointStatus


class VideoPointOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    community_id: int
    zone_id: int | None
    region_code: str
    status: PointStatus
    checked_at: datetime | None
