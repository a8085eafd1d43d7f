"""Path parameters of the site routes (the permission aliases are in
``fangkong.quarantine.dependencies``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path

SiteIdPath = Annotated[int, Path(ge=1, le=2**31 - 1)]
# The API names it ``isolation_site_id`` in its paths, apart from a sampling site's ``site_id``.
IsolationSiteId = Annotated[int, Path(alias="isolation_site_id", ge=1, le=2**31 - 1)]
RoomIdPath = Annotated[int, Path(ge=1, le=2**31 - 1)]
