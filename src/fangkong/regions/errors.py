"""Errors of the regions domain. Row-level import reasons reuse the same codes."""

from __future__ import annotations

from fangkong.core.errors import N_, Conflict, InvalidInput


class UnknownRegion(InvalidInput):
    code = "region.unknown"
    title = N_("Unknown region code, or a region outside your jurisdiction.")


class BadCodeForLevel(InvalidInput):
    code = "region.bad_code"
    title = N_("The code does not fit the level: streets have 9 digits, communities 12, grids 15.")


class LevelNotImportable(InvalidInput):
    code = "region.level_not_importable"
    title = N_(
        "Only streets, communities and grids can be added; the city and districts are fixed."
    )


class WrongParent(InvalidInput):
    code = "region.wrong_parent"
    title = N_("The parent must be the region one level up whose code starts this code.")


class UnknownParent(InvalidInput):
    code = "region.unknown_parent"
    title = N_("The parent region does not exist.")


class OutsideJurisdiction(InvalidInput):
    code = "region.outside_jurisdiction"
    title = N_("The region lies outside your jurisdiction.")


class DuplicateInFile(InvalidInput):
    code = "region.duplicate_in_file"
    title = N_("The code appears more than once in the file.")


class RegionExists(Conflict):
    code = "region.exists"
    title = N_("A region with this code already exists.")


class InvalidName(InvalidInput):
    code = "region.invalid_name"
    title = N_("The name must be 1 to 64 characters.")


class InvalidLevel(InvalidInput):
    code = "region.invalid_level"
    title = N_("The level must be street, community or grid.")


class NotAGrid(InvalidInput):
    code = "region.not_a_grid"
    title = N_("Workers are assigned to grids only.")


class NotAGridWorker(InvalidInput):
    code = "region.not_a_grid_worker"
    title = N_("Only grid workers whose jurisdiction contains the grid can be assigned.")
