"""Errors of the care domain, each with a stable code (problem+json, CLI exit 2)."""

from __future__ import annotations

from fangkong.core.errors import N_, Conflict, InvalidInput, NotFound


class RequestNotFound(NotFound):
    code = "care.request_not_found"
    title = N_("The care request does not exist or is outside your jurisdiction.")


class VolunteerNotFound(NotFound):
    code = "care.volunteer_not_found"
    title = N_("The volunteer does not exist or is outside your jurisdiction.")


class PairingNotFound(NotFound):
    code = "care.pairing_not_found"
    title = N_("The pairing does not exist or is outside your jurisdiction.")


class TeamNotFound(NotFound):
    code = "care.team_not_found"
    title = N_("The responsibility team does not exist or is outside your jurisdiction.")


class HazardNotFound(NotFound):
    code = "care.hazard_not_found"
    title = N_("The hazard does not exist or is outside your jurisdiction.")


class UnknownPerson(InvalidInput):
    code = "care.unknown_person"
    title = N_("No person of the registry in your jurisdiction has this id.")


class NotInZone(InvalidInput):
    code = "care.not_in_zone"
    title = N_(
        "The resident lives in no sealed or controlled zone in force; only medical "
        "emergencies are taken from outside them."
    )


class WrongChannel(InvalidInput):
    code = "care.wrong_kind"
    title = N_(
        "Livelihood requests are food, medicine, medical or other; the six one-to-one "
        "services are asked through a pairing."
    )


class DeadlineInPast(InvalidInput):
    code = "care.deadline_in_past"
    title = N_("The deadline must lie in the future.")


class RequestClosed(Conflict):
    code = "care.request_closed"
    title = N_("The request is done or refused and cannot change any more.")


class BadTransition(Conflict):
    code = "care.bad_transition"
    title = N_("The request cannot move to this state from its current one.")


class EmergencyNotRefusable(Conflict):
    code = "care.emergency_not_refusable"
    title = N_("A medical emergency is never refused: it can only be done.")


class NotPaired(InvalidInput):
    code = "care.not_paired"
    title = N_("The resident has no active one-to-one pairing.")


class AlreadyPaired(Conflict):
    code = "care.already_paired"
    title = N_("The resident already has an active pairing; end it first.")


class NotVulnerable(InvalidInput):
    code = "care.not_vulnerable"
    title = N_(
        "Only vulnerable residents are paired: elderly living alone, disabled, bedridden or "
        "on dialysis."
    )


class VolunteerInactive(InvalidInput):
    code = "care.volunteer_inactive"
    title = N_("The volunteer is not active.")


class VolunteerNotInArea(InvalidInput):
    code = "care.volunteer_not_in_area"
    title = N_("The volunteer does not serve the resident's area.")


class VolunteerLacksSkill(InvalidInput):
    code = "care.volunteer_lacks_skill"
    title = N_("The volunteer does not offer this service.")


class AlreadyVolunteer(Conflict):
    code = "care.already_volunteer"
    title = N_("This person is already registered as a volunteer.")


class UnknownSkill(InvalidInput):
    code = "care.unknown_skill"
    title = N_("A skill is one of the six one-to-one services.")


class UnknownRegion(InvalidInput):
    code = "care.unknown_region"
    title = N_("The region code does not exist or is outside your jurisdiction.")


class NotACommunity(InvalidInput):
    code = "care.not_a_community"
    title = N_("A community code has 12 digits.")


class CommunityNotAssigned(InvalidInput):
    code = "care.community_not_assigned"
    title = N_("The community is not one of the team's communities.")


class DateInFuture(InvalidInput):
    code = "care.date_in_future"
    title = N_("The date lies in the future.")


class FixedBeforeFound(InvalidInput):
    code = "care.fixed_before_found"
    title = N_("A hazard cannot be fixed before it was found.")


class HazardFixed(Conflict):
    code = "care.hazard_already_fixed"
    title = N_("The hazard is already fixed.")


class PersonRequired(InvalidInput):
    code = "care.person_required"
    title = N_("Give the volunteer's ID number; volunteers are people of the registry.")


class DuplicateRow(InvalidInput):
    code = "care.duplicate_row"
    title = N_("The same person appears on an earlier row of the file.")


class ResidentRequired(InvalidInput):
    code = "care.resident_required"
    title = N_("Give the resident's ID number or person id.")


class ResidentMismatch(InvalidInput):
    code = "care.resident_mismatch"
    title = N_("The ID number and the person id name different residents.")


class InvalidNeedFlag(InvalidInput):
    code = "care.invalid_need_flag"
    title = N_("Bedridden (卧床) and dialysis (透析) take 是 or 否 (yes or no); blank means no.")


class InvalidNeedNote(InvalidInput):
    code = "care.invalid_need_note"
    title = N_("The note has at most 200 characters and no control characters.")
