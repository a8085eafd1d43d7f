"""Errors of the people domain, each with a stable code.

Every way a resident ID number can be wrong has its own code, so that an import can give a
reason per rejected row and a form can say exactly what to fix. They share the base
``InvalidIdNumber`` (code ``person.invalid_id_number``, the one CONTRACTS.md names), so callers
that only care whether the number is usable catch that one class.
"""

from __future__ import annotations

from fangkong.core.errors import N_, Conflict, InvalidInput, NotFound, PermissionDenied


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


class DocumentFormat(InvalidIdNumber):
    code = "person.document_format"
    title = N_(
        "The document number does not have the form of its type "
        "(passport 5 to 17 letters or digits; Hong Kong and Macao permit H or M and 8 or 10 "
        "digits; Taiwan permit 8 or 10 digits; residence permit 18 characters from 810000, "
        "820000 or 830000)."
    )


class SexRequired(InvalidInput):
    code = "person.sex_required"
    title = N_("Sex is required for documents other than a resident ID card.")


class BirthDateRequired(InvalidInput):
    code = "person.birth_date_required"
    title = N_("The birth date is required for documents other than a resident ID card.")


class BirthDateInvalid(InvalidInput):
    code = "person.birth_date_invalid"
    title = N_("The birth date is not a real date, is before 1900 or is in the future.")


class InvalidPhone(InvalidInput):
    code = "person.invalid_phone"
    title = N_("A mobile phone number has 11 digits and starts with 13 to 19.")


class UnknownGrid(InvalidInput):
    code = "person.unknown_grid"
    title = N_("There is no grid with this code.")


class GridOutOfScope(InvalidInput):
    code = "person.grid_out_of_jurisdiction"
    title = N_("The grid is outside your jurisdiction.")


class DuplicateIdNumber(Conflict):
    code = "person.duplicate_id_number"
    title = N_("A person with this identity document is already registered.")


class PersonNotFound(NotFound):
    code = "person.not_found"
    title = N_("No such person in your jurisdiction.")


class PersonMergedAway(Conflict):
    code = "person.merged"
    title = N_("This record was merged into another and can no longer be changed.")


class HouseholdNotFound(NotFound):
    code = "household.not_found"
    title = N_("No such household in your jurisdiction.")


class HouseholdGridMismatch(InvalidInput):
    code = "household.grid_mismatch"
    title = N_("A household lives in one grid: the person's grid must be the household's grid.")


class HeadNotMember(InvalidInput):
    code = "household.head_not_member"
    title = N_("The head of a household must be one of its members.")


class RevealNotAllowed(PermissionDenied):
    code = "person.reveal_forbidden"
    title = N_("Your role may not see full identity numbers or phone numbers.")


class SearchCriterion(InvalidInput):
    code = "person.search_criterion"
    title = N_("Search by exactly one of: ID number or phone.")


class DuplicateNotFound(NotFound):
    code = "person.duplicate_not_found"
    title = N_("No such pair of likely duplicates in your jurisdiction.")


class DuplicateDecided(Conflict):
    code = "person.duplicate_decided"
    title = N_("This pair has already been merged or dismissed.")


class KeyGroupDates(InvalidInput):
    code = "person.key_group_dates"
    title = N_("A key-group membership cannot end before it starts.")


class HouseholdRefTaken(Conflict):
    code = "household.ref_taken"
    title = N_("This household number is already used in the grid.")


class MergeKeepNotInPair(InvalidInput):
    code = "person.merge_keep_not_in_pair"
    title = N_("The record to keep must be one of the two records of the pair.")


# --- the people import (people/importer.py): one code per reason a row is refused ----------


class UnknownIdType(InvalidInput):
    code = "person.invalid_id_type"
    title = N_("The document type is not one the import knows; use a type listed in the template.")


class InvalidSex(InvalidInput):
    code = "person.invalid_sex"
    title = N_("The sex must be male or female (男 or 女, or the codes 1 and 2).")


class BirthDateFormat(InvalidInput):
    code = "person.birth_date_format"
    title = N_("Write the birth date as YYYY-MM-DD.")


class InvalidName(InvalidInput):
    code = "person.invalid_name"
    title = N_("A name has 1 to 64 characters.")


class InvalidFlag(InvalidInput):
    code = "person.invalid_flag"
    title = N_("A yes/no column holds something other than 是, 否, 1, 0 or a blank.")


class InvalidKeyGroup(InvalidInput):
    code = "person.invalid_key_group"
    title = N_("The key group is not one of the groups listed in the template.")


class FieldTooLong(InvalidInput):
    code = "person.field_too_long"
    title = N_(
        "The address or the employer is longer than 200 characters, "
        "or the household number is longer than 32."
    )


class DuplicateInFile(InvalidInput):
    code = "person.duplicate_in_file"
    title = N_("The same identity document appears in an earlier row of the file.")


class ExistsElsewhere(Conflict):
    code = "person.exists_elsewhere"
    title = N_("A person with this identity document is registered outside your jurisdiction.")


class HeadWithoutHousehold(InvalidInput):
    code = "household.head_without_ref"
    title = N_("Only a row with a household number can mark the head of the household.")
