"""Checking what identifies a person, shared by the form, the API, the import and the simulator.

``check_document`` turns an entered document (type, number, sex, birth date) into a consistent
``Document`` or raises the first error with its own code; ``normalize_phone`` does the same for
a mainland mobile number. Pure functions: "today" is a parameter.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from fangkong.models import IdType
from fangkong.people import idcard
from fangkong.people.errors import (
    BirthDateInvalid,
    BirthDateRequired,
    DocumentFormat,
    InvalidPhone,
    SexRequired,
)

SEX_CODES = frozenset({"0", "1", "2", "9"})  # GB/T 2261.1
UNDER_THREE_YEARS = 3

_DOCUMENT_PATTERNS = {
    IdType.PASSPORT: re.compile(r"[A-Z0-9]{5,17}"),
    IdType.HK_MACAO_PERMIT: re.compile(r"[HM][0-9]{8}([0-9]{2})?"),
    IdType.TAIWAN_PERMIT: re.compile(r"[0-9]{8}([0-9]{2})?"),
    IdType.HMT_RESIDENCE_PERMIT: re.compile(r"8[123]0000[0-9]{11}[0-9X]"),
}
_PHONE = re.compile(r"1[3-9][0-9]{9}")
_PHONE_NOISE = re.compile(r"[\s\-()]")


@dataclass(frozen=True, repr=False)
class Document:
    id_type: IdType
    number: str
    sex: str
    birth_date: date
    registration_code: str | None

    def __repr__(self) -> str:
        return f"Document({self.id_type}, [redacted])"


def check_document(
    id_type: IdType | str,
    number: str,
    *,
    sex: str | None,
    birth_date: date | None,
    today: date,
) -> Document:
    kind = IdType(id_type)
    return Document(
        kind, *document_values(kind, number, sex=sex, birth_date=birth_date, today=today)
    )


def document_values(
    kind: IdType, number: str, *, sex: str | None, birth_date: date | None, today: date
) -> tuple[str, str, date, str | None]:
    """``check_document`` without the object: number, sex, birth date, registration code.

    For bulk callers (an import checks a million documents); the same checks in the same order."""
    if kind is IdType.RESIDENT_ID:
        checked, born, number_sex = idcard.read(number, today=today)
        idcard.check_entered(number_sex, born, sex=sex, birth_date=birth_date)
        return checked, number_sex, born, checked[idcard.REGION]
    folded = idcard.normalize(number).upper()
    if not _DOCUMENT_PATTERNS[kind].fullmatch(folded):
        raise DocumentFormat
    if sex is None or sex not in SEX_CODES:
        raise SexRequired
    if birth_date is None:
        raise BirthDateRequired
    if not idcard.EARLIEST_BIRTH_DATE <= birth_date <= today:
        raise BirthDateInvalid
    return folded, sex, birth_date, None


def normalize_phone(raw: str | None) -> str | None:
    """A mainland mobile number as 11 ASCII digits; ``+86``/``0086`` and separators dropped."""
    if raw is None:
        return None
    if raw.isascii() and raw.isdigit():
        phone = raw  # the common case: NFKC and the separators change nothing
    else:
        phone = _PHONE_NOISE.sub("", unicodedata.normalize("NFKC", raw))
    if not phone:
        return None
    for prefix in ("+86", "0086"):
        if phone.startswith(prefix):
            phone = phone[len(prefix) :]
    if not phone.isascii() or not _PHONE.fullmatch(phone):
        raise InvalidPhone
    return phone


def is_under_three(birth_date: date, today: date) -> bool:
    try:
        third_birthday = birth_date.replace(year=birth_date.year + UNDER_THREE_YEARS)
    except ValueError:  # born on 29 February
        third_birthday = date(birth_date.year + UNDER_THREE_YEARS, 3, 1)
    return today < third_birthday


def third_birthday_cutoff(today: date) -> date:
    """The latest birth date of someone who is three or older on ``today``."""
    try:
        return today.replace(year=today.year - UNDER_THREE_YEARS)
    except ValueError:  # today is 29 February
        return date(today.year - UNDER_THREE_YEARS, 2, 28)
