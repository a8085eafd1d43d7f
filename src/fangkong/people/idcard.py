"""Resident ID numbers (居民身份证号码) to GB 11643-1999.

An 18-character number is six digits of the place of registration (a GB/T 2260 county-level
code), eight of the birth date (YYYYMMDD), a three-digit sequence whose last digit is odd for
men and even for women, and an ISO 7064 MOD 11-2 check character (a digit or X).

``parse`` checks, in this fixed order, raising the first failure:

1. length: exactly 18 characters after normalising;
2. format: 17 ASCII digits, then an ASCII digit or ``X``;
3. checksum: the 18th character is the MOD 11-2 check character of the first 17;
4. region: the first two digits are a GB/T 2260 province (``PROVINCE_CODES``) and digits 3–6
   are not ``0000``. A resident registers in a county-level unit, so a bare province code is
   not a place of registration; a city-level code (``XXXX00``) passes, because cities without
   counties (Dongguan, 441900) issue it. The district list itself is not consulted: codes are
   renamed and merged over the years, and a number keeps the code of the year it was issued.
   This rejects the ``810000``/``820000``/``830000`` numbers of the residence permits for Hong
   Kong, Macao and Taiwan residents, which are a different document (another ``id_type``);
5. birth date: a real calendar date, not before ``EARLIEST_BIRTH_DATE``, not after ``today``.

The checksum comes before the region and the date so that a typing error is reported as one
(the most likely cause) rather than as whatever field the typo happened to land in.

"Today" is always a parameter: the caller takes it from ``core.clock`` so tests and the
simulator can move time. Nothing here keeps state between calls, except a bounded cache of
calendar dates (a pure function of the eight digits), which a bulk import asks a million times.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from operator import mul
from typing import Literal

from fangkong.core.masking import mask_id_number
from fangkong.people.errors import (
    BirthDateMismatch,
    IdNumberBirthDate,
    IdNumberChecksum,
    IdNumberFormat,
    IdNumberLength,
    IdNumberRegion,
    InvalidIdNumber,
    SexMismatch,
)

Sex = Literal["1", "2"]
"""GB/T 2261.1 sex codes as a resident ID number can carry them: ``1`` male, ``2`` female."""

MALE: Sex = "1"
FEMALE: Sex = "2"

LENGTH = 18

REGION = slice(0, 6)
BIRTH_DATE = slice(6, 14)
SEX_DIGIT = 16

# GB/T 2260 province-level codes, including Taiwan (71), Hong Kong (81) and Macao (82).
PROVINCE_CODES = frozenset(
    {"11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37"}
    | {"41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54"}
    | {"61", "62", "63", "64", "65", "71", "81", "82"}
)
# Not policy but plausibility: nobody born before it is alive to register. (GB 11643's own
# example, 440524188001010014, is born in 1880 and is therefore refused.)
EARLIEST_BIRTH_DATE = date(1900, 1, 1)

# ISO 7064 MOD 11-2 over 17 digits: position i weighs 2^(17-i) mod 11, and the remainder of the
# weighted sum picks the check character. Summed over the digits' ASCII codes, the sum carries
# ``_ZERO_OFFSET`` (the weights times ord("0")) on top, which the remainder takes off again.
_WEIGHTS = tuple(pow(2, 17 - i, 11) for i in range(LENGTH - 1))
_ZERO_OFFSET = sum(_WEIGHTS) * ord("0")
_CHECK_CHARACTERS = "10X98765432"
_ODD_DIGITS = frozenset("13579")
# Distinct valid birth dates since 1900 are fewer than 50,000: every one of them fits.
_DATE_CACHE = 1 << 16


@dataclass(frozen=True, repr=False)
class ResidentId:
    """A parsed, valid resident ID number and what it says about its holder."""

    number: str
    region_code: str
    birth_date: date
    sex: Sex

    def __repr__(self) -> str:
        # Masked, so that a stray log line or traceback never carries the number.
        return f"ResidentId({mask_id_number(self.number)!r})"


def check_character(first17: str) -> str:
    """The ISO 7064 MOD 11-2 check character of the first 17 digits.

    It catches every single wrong digit and every swap of two adjacent different digits,
    which are the common typing errors; that is why a mismatch is worth its own error.
    """
    if len(first17) != LENGTH - 1 or not _ascii_digits(first17):
        raise ValueError("check_character needs exactly 17 ASCII digits")
    return _check_of(first17)


def _check_of(first17: str) -> str:
    """``mod_11_2.calc_check_digit`` of 17 ASCII digits, in one C-level pass over the bytes."""
    return _CHECK_CHARACTERS[(sum(map(mul, first17.encode(), _WEIGHTS)) - _ZERO_OFFSET) % 11]


def normalize(number: str) -> str:
    """Fold what people paste: full-width digits and X, spaces anywhere, a lowercase x.

    NFKC turns full-width forms (and other compatibility digits such as ``①``) into ASCII;
    the check character still has to match, so this accepts no number that is wrong.
    """
    if number.isascii() and number.isalnum():
        return number.replace("x", "X")  # already folded: NFKC and split change nothing
    folded = unicodedata.normalize("NFKC", number)
    return "".join(folded.split()).replace("x", "X")


def parse(number: str, *, today: date) -> ResidentId:
    """Validate ``number`` (see the module docstring for the order) and read it."""
    number, born, sex = read(number, today=today)
    return ResidentId(number=number, region_code=number[REGION], birth_date=born, sex=sex)


def read(number: str, *, today: date) -> tuple[str, date, Sex]:
    """``parse`` without the object: the normalised number, its birth date and its sex.

    For bulk callers (an import reads a million numbers); the same checks in the same order."""
    number = normalize(number)
    _check_length(number)
    _check_format(number)
    if _check_of(number[:-1]) != number[-1]:
        raise IdNumberChecksum
    _check_region(number[REGION])
    born = _birth_date(number[BIRTH_DATE], today=today)
    return number, born, MALE if number[SEX_DIGIT] in _ODD_DIGITS else FEMALE


def is_valid(number: str, *, today: date) -> bool:
    """Whether ``parse`` would accept ``number``; for filters that need no reason."""
    try:
        parse(number, today=today)
    except InvalidIdNumber:
        return False
    return True


def check_against(resident_id: ResidentId, *, sex: str | None, birth_date: date | None) -> None:
    """Refuse an entered sex or birth date that contradicts the number.

    ``None`` means "not entered": take it from the number. Any entered sex other than the
    number's, including GB/T 2261.1 ``0`` (unknown) and ``9`` (unstated), is a mismatch,
    because the number states it. The sex is checked before the birth date.
    """
    check_entered(resident_id.sex, resident_id.birth_date, sex=sex, birth_date=birth_date)


def check_entered(
    number_sex: Sex, number_birth_date: date, *, sex: str | None, birth_date: date | None
) -> None:
    """``check_against`` given what the number says (``read``'s sex and birth date)."""
    if sex is not None and sex != number_sex:
        raise SexMismatch
    if birth_date is not None and birth_date != number_birth_date:
        raise BirthDateMismatch


def synthesize(rng: random.Random, *, region_code: str, birth_date: date, sex: Sex) -> str:
    """A valid number for a synthetic resident, drawn from ``rng`` so a seed reproduces it.

    The sequence is random except for its last digit, whose parity carries the sex.
    """
    if len(region_code) != REGION.stop or not _ascii_digits(region_code):
        raise ValueError("region_code must be 6 digits")
    parity_digits = "13579" if sex == MALE else "02468"
    sequence = f"{rng.randrange(100):02d}{rng.choice(parity_digits)}"
    first17 = region_code + _yyyymmdd(birth_date) + sequence
    return first17 + check_character(first17)


def _ascii_digits(text: str) -> bool:
    # str.isdigit alone also accepts other scripts' digits (٣) and superscripts (²).
    return text.isascii() and text.isdigit()


def _check_length(number: str) -> None:
    if len(number) != LENGTH:
        raise IdNumberLength


def _check_format(number: str) -> None:
    last = number[-1]
    if not _ascii_digits(number[:-1]) or not (_ascii_digits(last) or last == "X"):
        raise IdNumberFormat


def _check_region(region_code: str) -> None:
    if region_code[:2] not in PROVINCE_CODES or region_code[2:] == "0000":
        raise IdNumberRegion


def _birth_date(yyyymmdd: str, *, today: date) -> date:
    born = _calendar_date(yyyymmdd)
    if born is None or not EARLIEST_BIRTH_DATE <= born <= today:
        raise IdNumberBirthDate
    return born


@lru_cache(maxsize=_DATE_CACHE)
def _calendar_date(yyyymmdd: str) -> date | None:
    """The date of eight ASCII digits, or None if there is no such day."""
    try:
        return date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:]))
    except ValueError:
        return None


def _yyyymmdd(day: date) -> str:
    # Not strftime: it does not pad years before 1000 on every platform.
    return f"{day.year:04d}{day.month:02d}{day.day:02d}"
