"""Errors of public trajectories and the self-check, each with a stable code."""

from __future__ import annotations

from fangkong.core.errors import N_, Conflict, InvalidInput, NotFound


class PublicationNotFound(NotFound):
    code = "publication.not_found"
    title = N_("The publication does not exist or is outside your jurisdiction.")


class AlreadyWithdrawn(Conflict):
    code = "publication.already_withdrawn"
    title = N_("The publication has already been withdrawn.")


class UnknownStop(InvalidInput):
    code = "publication.unknown_stop"
    title = N_("A chosen stop is not part of the case's trajectory.")


class HomeStop(InvalidInput):
    code = "publication.home_stop"
    title = N_("A chosen stop is at the case's home: a public trajectory never shows it.")


class PersonalData(InvalidInput):
    code = "publication.personal_data"
    title = N_("The label or a place names the person, an ID number or a phone.")


class NoStops(InvalidInput):
    code = "publication.no_stops"
    title = N_("Nothing to publish: the trajectory has no stops outside the home.")


class FormInvalid(InvalidInput):
    code = "publication.form_invalid"
    title = N_("Check the form: a field is missing or malformed.")
