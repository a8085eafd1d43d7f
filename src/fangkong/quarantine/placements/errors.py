"""Errors of placements, each with a stable code (problem+json, CLI exit 2, page form error)."""

from __future__ import annotations

from fangkong.core.errors import N_, Conflict, InvalidInput, NotFound


class PlacementNotFound(NotFound):
    code = "quarantine.placement_not_found"
    title = N_("The placement does not exist or is outside your jurisdiction.")


class PersonNotFound(NotFound):
    code = "quarantine.person_not_found"
    title = N_("The person does not exist or is outside your jurisdiction.")


class RoomNotFound(NotFound):
    code = "quarantine.room_not_found"
    title = N_("The room does not exist or is outside your jurisdiction.")


class NotCentralized(Conflict):
    code = "quarantine.not_centralized"
    title = N_("Only a centralized placement is assigned a room.")


class NotOpen(Conflict):
    code = "quarantine.not_open"
    title = N_("The placement has already ended.")


class RoomFull(Conflict):
    code = "quarantine.room_full"
    title = N_("The room has no free bed.")


class RoomClosed(Conflict):
    code = "quarantine.room_closed"
    title = N_("The room is closed or being cleaned.")


class RoomShared(Conflict):
    code = "quarantine.room_unrelated"
    title = N_("The room holds people of another household.")


class ReleaseEarly(Conflict):
    code = "quarantine.release_early"
    title = N_("The period has not ended yet.")


class TestsMissing(Conflict):
    code = "quarantine.tests_missing"
    title = N_("A test of the period is not done or not negative.")


class NotActive(Conflict):
    code = "quarantine.not_active"
    title = N_("Only an active placement can be released.")


class MeasureNotPlaced(InvalidInput):
    code = "quarantine.measure"
    title = N_("The measure must be centralized, home isolation or home monitoring.")


class Day0InFuture(InvalidInput):
    code = "quarantine.day0_in_future"
    title = N_("Day 0 cannot be in the future.")


class AlreadyPlaced(Conflict):
    code = "quarantine.already_placed"
    title = N_("The person already has an open placement of this measure.")
