"""Errors of the people domain, each with a stable code.

Every way a resident ID number can be wrong has its own code, so that an import can give a
reason per rejected row and a form can say exactly what to fix. They share the base
``InvalidIdNumber`` (code ``person.invalid_id_number``, the one CONTRACTS.md names), so callers
that only care whether the number is usable catch that one class.
"""

from __future__ import annotations

from fangkong.core.errors import N_, InvalidInput


class InvalidIdNumber(InvalidInput):
    code = "person.invalid_id_number"
    title = N_("The resident ID number is not valid.")


class IdNumberLength(InvalidIdNumber):
    code = "person.id_number_length"
    title = N_("A resident ID number has 18 characters.")


class IdNumberFormat(InvalidIdNumber):
    code = "person.id_number_format"
    title = N_("A resident ID number is 17 digits followed by a digit or the letter X.")


class IdNumberChecksum(InvalidIdNumber):
    code = "person.id_number_checksum"
    title = N_(
        "The last character of the resident ID number does not fit the others; "
        "check the number for a typing error."
    )


class IdNumberRegion(InvalidIdNumber):
    code = "person.id_number_region"
    title = N_(
        "The first six digits of the resident ID number are not a county-level administrative code."
    )


class IdNumberBirthDate(InvalidIdNumber):
    code = "person.id_number_birth_date"
    title = N_(
        "The birth date in the resident ID number (digits 7 to 14) is not a real date, "
        "is before 1900 or is in the future."
    )


class SexMismatch(InvalidInput):
    code = "person.sex_mismatch"
    title = N_("The sex entered does not match the resident ID number.")


class BirthDateMismatch(InvalidInput):
    code = "person.birth_date_mismatch"
    title = N_("The birth date entered does not match the resident ID number.")
