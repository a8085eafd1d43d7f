"""Errors of isolation sites and rooms, each with a stable code."""

from __future__ import annotations

from fangkong.core.errors import N_, Conflict, InvalidInput, NotFound, PermissionDenied


class SiteNotFound(NotFound):
    code = "quarantine.site_not_found"
    title = N_("The isolation site does not exist or is outside your jurisdiction.")


class RoomNotFound(NotFound):
    code = "quarantine.room_not_found"
    title = N_("The room does not exist or is outside your jurisdiction.")


class RegionOutOfScope(PermissionDenied):
    code = "quarantine.region_out_of_jurisdiction"
    title = N_("The region is outside your jurisdiction.")


class UnknownRegion(InvalidInput):
    code = "quarantine.unknown_region"
    title = N_("The region code does not exist.")


class SiteExists(Conflict):
    code = "quarantine.site_exists"
    title = N_("An isolation site of this name already exists in the region.")


class RoomExists(Conflict):
    """``detail`` names the room numbers that already exist."""

    code = "quarantine.room_exists"
    title = N_("A room of this number already exists at the site.")


class BadRoomNumbers(InvalidInput):
    code = "quarantine.bad_room_numbers"
    title = N_('Give room numbers as a list or ranges, such as "801-830, 901" (at most 500).')


class RoomOccupied(Conflict):
    code = "quarantine.room_occupied"
    title = N_("The room still has people in it.")
