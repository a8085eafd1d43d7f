"""What the people API modules share: paths, paging, the masked person body, downloads."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated

from fastapi import Depends, Path, Response

from fangkong.core.pagination import PageParams
from fangkong.core.scoping import REGION_CODE_PATTERN
from fangkong.core.web import page_params
from fangkong.models import Person
from fangkong.people.schemas import (
    PersonOut,
)

Paging = Annotated[PageParams, Depends(page_params)]
CodePath = Annotated[str, Path(pattern=REGION_CODE_PATTERN)]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PEOPLE = "/api/v1/people"
HOUSEHOLDS = "/api/v1/households"


def person_out(person: Person) -> PersonOut:
    return PersonOut.model_validate(person)


def outs(people: Sequence[Person]) -> list[PersonOut]:
    return [person_out(p) for p in people]


def download(body: bytes, media_type: str, filename: str) -> Response:
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    return Response(body, media_type=media_type, headers=headers)
