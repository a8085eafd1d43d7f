"""Tube barcodes (采样管条码): 8 to 24 digits whose last digit is a Luhn check digit, so a
mistyped or misread digit, and most swaps of two neighbours, are refused at the scanner."""

from __future__ import annotations

import re

from stdnum import luhn
from stdnum.exceptions import ValidationError

BARCODE = re.compile(r"[0-9]{8,24}")
PATTERN = r"^[0-9]{8,24}$"


def is_valid(barcode: str) -> bool:
    if not BARCODE.fullmatch(barcode):
        return False
    try:
        luhn.validate(barcode)
    except ValidationError:
        return False
    return True


def with_check_digit(body: str) -> str:
    """The barcode for a body of 7 to 23 digits (printing tube labels, tests, the simulator)."""
    if not re.fullmatch(r"[0-9]{7,23}", body):
        raise ValueError("a barcode body is 7 to 23 digits")
    return body + luhn.calc_check_digit(body)
