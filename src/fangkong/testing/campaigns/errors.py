"""Errors of screening rounds and key-group schedules, each with a stable code (problem+json,
a form error on a page, exit code 2 on the CLI)."""

from __future__ import annotations

from fangkong.core.errors import N_, Conflict, InvalidInput, NotFound


class CampaignNotFound(NotFound):
    code = "testing.campaign_not_found"
    title = N_("The screening round does not exist or is outside your jurisdiction.")


class UnknownRegion(InvalidInput):
    code = "testing.campaign_unknown_region"
    title = N_("The region code does not exist.")


class RegionOutOfScope(InvalidInput):
    code = "testing.campaign_region_out_of_jurisdiction"
    title = N_("The region code is outside your jurisdiction.")


class InvalidDates(InvalidInput):
    code = "testing.campaign_invalid_dates"
    title = N_("A round ends on or after the day it starts.")


class CampaignClosed(Conflict):
    code = "testing.campaign_closed"
    title = N_("The screening round is closed.")


class UnknownKeyGroup(InvalidInput):
    code = "testing.unknown_key_group"
    title = N_("The key group is not one of the policy edition's key groups.")


class GridOutOfScope(NotFound):
    code = "testing.grid_not_found"
    title = N_("The grid does not exist or is outside your jurisdiction.")


class KeyGroupRegionOutOfScope(InvalidInput):
    code = "testing.key_group_region_out_of_jurisdiction"
    title = N_("The region code is outside your jurisdiction.")
