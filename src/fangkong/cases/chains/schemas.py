"""Request and response models of the transmission chains. The graph is compact (arrays and
one-letter keys) so 5,000 cases and 20,000 contacts stay small on the wire."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

CaseId = Annotated[int, Field(ge=1, le=2**63 - 1)]
# One node or edge as a short array; variable-length in the schema, because fixed tuples
# ("prefixItems") are not read alike by every OpenAPI tool.
Row = tuple[int | str | None, ...]


class Via(StrEnum):
    HOUSEHOLD = "household"
    VENUE = "venue"
    TRANSPORT = "transport"
    INTERVIEW = "interview"
    OTHER = "other"


class Certainty(StrEnum):
    CONFIRMED = "confirmed"
    PROBABLE = "probable"


class LinkCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    infector_id: CaseId
    infectee_id: CaseId
    via: Via
    certainty: Certainty = Certainty.PROBABLE
    note: Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)] = ""


class LinkOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    infector_id: int
    infectee_id: int
    via: str
    certainty: str
    note: str
    created_at: datetime


class Graph(BaseModel):
    """``c``: cases ``[id, case_no, kind, status, cluster_id]`` (kind null while pending);
    ``k``: contacts ``[id, degree, status]``; ``l``: case links ``[infector, infectee,
    certainty]``; ``e``: exposures ``[case_id, contact_id]``; ``g``: clusters ``[id, name]``."""

    c: list[Row]
    k: list[Row]
    l: list[Row]  # noqa: E741 - the compact wire key
    e: list[Row]
    g: list[Row]
