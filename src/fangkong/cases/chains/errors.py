"""Errors of the transmission chains, each with a stable code."""

from __future__ import annotations

from fangkong.core.errors import N_, Conflict, InvalidInput, NotFound


class LinkNotFound(NotFound):
    code = "chain.link_not_found"
    title = N_("The infector link does not exist or is outside your jurisdiction.")


class SelfLink(InvalidInput):
    code = "chain.self_link"
    title = N_("A case cannot have infected itself.")


class DuplicateLink(Conflict):
    code = "chain.duplicate_link"
    title = N_("These two cases are already linked.")


class BeforeWindow(InvalidInput):
    code = "chain.before_window"
    title = N_("The infectee was sampled before the infector's trace-back window opened.")


class Cycle(InvalidInput):
    code = "chain.cycle"
    title = N_("The link would close a cycle: the infector descends from the infectee.")
