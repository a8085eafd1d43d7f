"""Who may read sites and tubes: readers (``testing.read``) and the site staff who sample
(``testing.sample``: a sampler must see the sites and tubes it works with)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path

from fangkong.auth.dependencies import BearerPrincipal
from fangkong.auth.permissions import Perm
from fangkong.core.errors import PermissionDenied
from fangkong.core.fields import MAX_ID
from fangkong.core.principal import Principal

SiteIdPath = Annotated[int, Path(ge=1, le=2**31 - 1)]
TubeIdPath = Annotated[int, Path(ge=1, le=MAX_ID)]
PersonIdPath = Annotated[int, Path(ge=1, le=MAX_ID)]
_signed_in = BearerPrincipal()


def _reader(actor: Annotated[Principal, Depends(_signed_in)]) -> Principal:
    if not (actor.can(Perm.TESTING_READ) or actor.can(Perm.TESTING_SAMPLE)):
        raise PermissionDenied()
    return actor


SamplingRead = Annotated[Principal, Depends(_reader)]
