"""Request-scoped helpers of the venue routes: permission aliases and the readable venue.

``readable_venue`` loads the venue named by the path parameter ``venue_id`` for the signed-in
page user (region scope; a venue operator only the venues it operates) and answers 404
otherwise. The scans domain uses it for ``/venues/{venue_id}/checkins``.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path

from fangkong.auth.dependencies import BearerPrincipal, web_require
from fangkong.auth.permissions import Perm
from fangkong.core.principal import Principal
from fangkong.core.web import DbSession
from fangkong.venues import service
from fangkong.venues.schemas import VenueRef

# Venue ids are 32-bit (``venues.id`` is INTEGER): a larger number is a 422.
VenueIdPath = Annotated[int, Path(ge=1, le=2**31 - 1)]
VenuesRead = Annotated[Principal, Depends(BearerPrincipal(Perm.VENUES_READ))]
VenuesManage = Annotated[Principal, Depends(BearerPrincipal(Perm.VENUES_MANAGE))]
VenuesPage = Annotated[Principal, Depends(web_require(Perm.VENUES_READ))]
VenuesForm = Annotated[Principal, Depends(web_require(Perm.VENUES_MANAGE))]


def readable_venue(session: DbSession, actor: VenuesPage, venue_id: VenueIdPath) -> VenueRef:
    venue = service.get_venue(session, actor=actor, venue_id=venue_id)
    return service.ref_of(venue)


def readable_venue_api(session: DbSession, actor: VenuesRead, venue_id: VenueIdPath) -> VenueRef:
    """The same for bearer-token API routes."""
    venue = service.get_venue(session, actor=actor, venue_id=venue_id)
    return service.ref_of(venue)


ReadableVenue = Annotated[VenueRef, Depends(readable_venue)]
ReadableVenueApi = Annotated[VenueRef, Depends(readable_venue_api)]
