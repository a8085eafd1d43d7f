"""The checks of one result line that need no database: barcode check digit, result words,
Ct values against the edition's threshold, the test time. What needs the tubes (unknown tube,
not sealed, another lab, before sampling, a re-sent or conflicting line) is checked set-wise
in SQL (``staging``).

A line states a result, or Ct values, or both. When any Ct is given the result follows from the
edition's threshold (positive when either Ct < threshold); a stated result that disagrees is
refused, never corrected. A line without Ct values keeps its stated result.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from fangkong.testing import barcodes
from fangkong.testing.results.errors import REASONS

# The Luhn check of ``barcodes.is_valid``, for a million lines a file: python-stdnum's generic
# implementation takes ~20 µs a code (20 s a million), this one ~1 µs. A property test holds
# the two to the same answers (tests/testing/results/test_rows.py).
_DOUBLED = bytes.maketrans(b"0123456789", b"0246813579")  # 2·d, digits summed

SHANGHAI = ZoneInfo("Asia/Shanghai")
MAX_LISTED = 1_000  # refused lines listed in a report; all are counted
CT_MIN, CT_MAX = 0.0, 50.0  # the policy's CtValue: above 0, at most 50
RESULT_WORDS = {
    "阴性": "negative", "negative": "negative", "neg": "negative", "-": "negative",
    "阳性": "positive", "positive": "positive", "pos": "positive", "+": "positive",
}  # fmt: skip
# A checked line: line number, barcode, result, Ct ORF1ab, Ct N, tested at (UTC).
Staged = tuple[int, str, str, float | None, float | None, datetime]


class LineError(Exception):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass
class Refusals:
    """Refused lines: all counted, the first ``MAX_LISTED`` by line kept."""

    count: int = 0
    lines: list[tuple[int, str | None, str]] = field(default_factory=list)

    def add(self, line: int, barcode: str | None, code: str) -> None:
        self.count += 1
        if len(self.lines) < MAX_LISTED:
            self.lines.append((line, barcode, code))


class LineChecker:
    def __init__(self, *, threshold: float, now: datetime) -> None:
        self.threshold = threshold
        self.now = now.astimezone(UTC)
        self.times: dict[str, datetime] = {}  # a file repeats its test times

    def check(
        self, lines: Iterable[tuple[int, dict[str, Any]]], refused: Refusals
    ) -> Iterator[Staged]:
        for number, row in lines:
            try:
                yield self.one(number, row)
            except LineError as error:
                refused.add(number, _text(row.get("barcode")) or None, error.code)

    def one(self, number: int, row: dict[str, Any]) -> Staged:
        barcode = _text(row.get("barcode"))
        if not is_valid_barcode(barcode):
            raise LineError("testing.bad_barcode")
        orf, n = _ct(row.get("ct_orf1ab")), _ct(row.get("ct_n"))
        result = self._result(_text(row.get("result")), orf, n)
        return number, barcode, result, orf, n, self._tested_at(row.get("tested_at"))

    def _result(self, stated: str, orf: float | None, n: float | None) -> str:
        said = RESULT_WORDS.get(stated.lower()) if stated else None
        if stated and said is None:
            raise LineError("testing.result_invalid")
        if orf is None and n is None:
            if said is None:
                raise LineError("testing.result_missing")
            return said
        below = any(ct is not None and ct < self.threshold for ct in (orf, n))
        derived = "positive" if below else "negative"
        if said is not None and said != derived:
            raise LineError("testing.result_disagrees_with_ct")
        return derived

    def _tested_at(self, value: Any) -> datetime:
        text = value.isoformat() if isinstance(value, datetime) else _text(value)
        at = self.times.get(text)
        if at is None:
            at = _instant(text)
            if len(self.times) < 100_000:
                self.times[text] = at
        if at > self.now:
            raise LineError("testing.tested_in_future")
        return at


def is_valid_barcode(barcode: str) -> bool:
    if not barcodes.BARCODE.fullmatch(barcode):
        return False
    digits = barcode.encode("ascii")
    odd, even = digits[-1::-2], digits[-2::-2].translate(_DOUBLED)
    return (sum(odd) + sum(even) - 48 * len(digits)) % 10 == 0


def _text(value: Any) -> str:
    if value is None:
        return ""
    return (value if isinstance(value, str) else str(value)).strip()


def _ct(value: Any) -> float | None:
    text = _text(value)
    if not text or text.lower() in ("-", "n/a", "na", "undetected", "未检出"):
        return None
    try:
        ct = float(text)
    except ValueError as exc:
        raise LineError("testing.ct_invalid") from exc
    if not CT_MIN < ct <= CT_MAX:  # NaN fails this too
        raise LineError("testing.ct_out_of_range")
    return ct


def _instant(text: str) -> datetime:
    """ISO 8601; without an offset (``YYYY-MM-DD HH:MM``) the time is Asia/Shanghai."""
    try:
        parsed = datetime.fromisoformat(text.replace("/", "-"))
    except ValueError as exc:
        raise LineError("testing.tested_at_invalid") from exc
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=SHANGHAI)
    return parsed.astimezone(UTC)


def message(code: str) -> str:
    return REASONS[code]
