"""Errors of screening, each with a stable code (problem+json, CLI exit 2)."""

from __future__ import annotations

from fangkong.core.errors import N_, Conflict, InvalidInput, NotFound


class TaskNotFound(NotFound):
    code = "arrival.task_not_found"
    title = N_("The arrival task does not exist or is outside your jurisdiction.")


class NotAScreening(InvalidInput):
    code = "arrival.not_a_screening"
    title = N_("Only a screening task (排查) can be recorded as screened.")


class TaskClosed(Conflict):
    code = "arrival.task_closed"
    title = N_("The task is already done or cancelled.")


class NoPhone(NotFound):
    code = "arrival.no_phone"
    title = N_("No phone number is registered for this person.")


class RegionNotFound(InvalidInput):
    code = "arrival.region_invalid"
    title = N_("The region does not exist or is outside your jurisdiction.")


class BadDate(InvalidInput):
    code = "arrival.bad_date"
    title = N_("The date must be YYYY-MM-DD, from 2000 on and not in the future.")
