"""Errors of sampling sites and tubes, each with a stable code (problem+json, CLI exit 2)."""

from __future__ import annotations

from fangkong.core.errors import N_, Conflict, InvalidInput, NotFound


class SiteNotFound(NotFound):
    code = "testing.site_not_found"
    title = N_("The sampling site does not exist or is outside your jurisdiction.")


class SiteInactive(Conflict):
    code = "testing.site_inactive"
    title = N_("The sampling site has been deactivated.")


class SiteDuplicateName(Conflict):
    code = "testing.site_duplicate_name"
    title = N_("A sampling site with this name already exists in this region.")


class UnknownRegion(InvalidInput):
    code = "testing.unknown_region"
    title = N_("The region code does not exist.")


class RegionOutOfScope(InvalidInput):
    code = "testing.region_out_of_jurisdiction"
    title = N_("The region code is outside your jurisdiction.")


class BadHours(InvalidInput):
    code = "testing.bad_hours"
    title = N_("Opening hours are HH:MM, and a site cannot open and close at the same minute.")


class BadBarcode(InvalidInput):
    code = "testing.bad_barcode"
    title = N_("The tube barcode is not valid: 8 to 24 digits with a correct check digit.")


class TubeExists(Conflict):
    code = "testing.tube_exists"
    title = N_("A tube with this barcode has already been used.")


class TubeNotFound(NotFound):
    code = "testing.tube_not_found"
    title = N_("The tube does not exist or is outside your jurisdiction.")


class PoolSizeNotAllowed(InvalidInput):
    code = "testing.pool_size_not_allowed"
    title = N_("This pool size is not one the policy edition allows.")


class SingleTubePurpose(InvalidInput):
    code = "testing.single_tube_purpose"
    title = N_("Retests and confirmations are sampled into single tubes.")


class HouseholdRequired(InvalidInput):
    code = "testing.household_required"
    title = N_("A household tube needs the household's id.")


class HouseholdTubeOpen(Conflict):
    code = "testing.household_tube_open"
    title = N_("This household already has an open household tube.")


class HouseholdEmpty(InvalidInput):
    code = "testing.household_empty"
    title = N_("The household has no members to sample.")


class NotInHousehold(InvalidInput):
    code = "testing.not_in_household"
    title = N_("The person is not a member of this household.")


class CampaignNotFound(NotFound):
    code = "testing.campaign_not_found"
    title = N_("The screening round does not exist.")


class CampaignClosed(Conflict):
    code = "testing.campaign_closed"
    title = N_("The screening round is closed or not running today.")


class CampaignNotCovering(InvalidInput):
    code = "testing.campaign_not_covering"
    title = N_("The screening round does not cover the site's region.")


class TubeFull(Conflict):
    code = "testing.tube_full"
    title = N_("The tube is full: seal it and open a new one.")


class TubeNotOpen(Conflict):
    code = "testing.tube_not_open"
    title = N_("The tube is sealed: no one can be added or removed.")


class TubeEmpty(Conflict):
    code = "testing.tube_empty"
    title = N_("An empty tube cannot be sealed.")


class AlreadyInTube(Conflict):
    code = "testing.already_in_tube"
    title = N_("This person is already in this tube.")


class AlreadyInRound(Conflict):
    code = "testing.already_in_round"
    title = N_("This person has already been sampled in this screening round.")


class NotInTube(NotFound):
    code = "testing.not_in_tube"
    title = N_("This person is not in this tube.")


class PersonNotFound(NotFound):
    code = "testing.person_not_found"
    title = N_("No resident with this ID number in your jurisdiction.")


class PersonRequired(InvalidInput):
    code = "testing.person_required"
    title = N_("Give exactly one of personal_code and id_number.")


class SingleTubeRequired(Conflict):
    """``detail`` names the reason: a key group, or a red or yellow code / an open test task."""

    code = "testing.single_tube_required"
    title = N_("This person must be sampled into a single tube.")


KEY_GROUP_REASON = N_("The person belongs to a key group.")
UNDER_CONTROL_REASON = N_("The person is under control: red or yellow code, or a test owed.")


class BadIdNumber(InvalidInput):
    code = "testing.bad_id_number"
    title = N_("This is not a valid ID number.")
