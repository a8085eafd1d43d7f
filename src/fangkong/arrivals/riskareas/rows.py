"""Reading one imported row of the national list alone: the place resolved by
``arrivals.places.find``, the grade (high/medium/low or 高/中/低) in the edition in force, the
times (a date is the start of that day in Asia/Shanghai). A bad row is refused with its code,
never raised."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from fangkong.arrivals import places
from fangkong.arrivals.riskareas import errors
from fangkong.arrivals.riskareas.matching import area_key
from fangkong.core.clock import LOCAL_TZ
from fangkong.core.errors import InvalidInput
from fangkong.policy.types import Grade

MAX_LISTED = 1000
GRADES = {
    "high": Grade.HIGH,
    "高": Grade.HIGH,
    "高风险": Grade.HIGH,
    "高风险区": Grade.HIGH,
    "medium": Grade.MEDIUM,
    "中": Grade.MEDIUM,
    "中风险": Grade.MEDIUM,
    "中风险区": Grade.MEDIUM,
    "low": Grade.LOW,
    "低": Grade.LOW,
    "低风险": Grade.LOW,
    "低风险区": Grade.LOW,
}
_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M", "%Y/%m/%d")


def parse_grade(text: str) -> Grade:
    grade = GRADES.get(text.strip().lower())
    if grade is None:
        raise errors.BadGrade(text[:20])
    return grade


def parse_time(value: object) -> datetime:
    """A date (the start of that day, Asia/Shanghai) or a date and time (naive: Asia/Shanghai)."""
    if isinstance(value, datetime):
        found = value
    elif isinstance(value, date):
        found = datetime.combine(value, time())
    else:
        found = _parse_text(str(value).strip())
    if found.tzinfo is None:
        found = found.replace(tzinfo=LOCAL_TZ)
    try:
        return found.astimezone(UTC)
    except (OverflowError, ValueError) as exc:
        raise errors.BadTime(str(value)[:40]) from exc


def _parse_text(text: str) -> datetime:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        pass
    for pattern in _FORMATS:
        try:
            return datetime.strptime(text, pattern)
        except ValueError:
            continue
    raise errors.BadTime(text[:40])


def day_window(value: object) -> tuple[datetime, datetime]:
    """``[start, end]`` of a question's ``on``: a whole local day for a date, else one instant."""
    text = value.isoformat() if isinstance(value, date | datetime) else str(value).strip()
    start = parse_time(value)
    if len(text) == 10 and not isinstance(value, datetime):
        return start, start + timedelta(days=1) - timedelta(microseconds=1)
    return start, start


@dataclass(frozen=True)
class Row:
    line: int
    place: places.Place
    area: str
    key: str
    grade: str
    effective_from: datetime
    effective_to: datetime | None


@dataclass
class Refusals:
    count: int = 0
    lines: list[tuple[int, str, str]] = field(default_factory=list)  # line, place text, code

    def add(self, line: int, place: str, code: str) -> None:
        self.count += 1
        if len(self.lines) < MAX_LISTED:
            self.lines.append((line, place, code))


@dataclass
class RowChecker:
    grades: frozenset[str]
    as_of: datetime
    seen: set[tuple[str, str]] = field(default_factory=set)

    def check(
        self, lines: Iterable[tuple[int, Mapping[str, Any]]], refused: Refusals
    ) -> Iterator[Row]:
        for line, raw in lines:
            text = "".join(str(raw.get(k) or "") for k in ("province", "city", "district", "area"))
            try:
                row = self.one(line, raw)
            except InvalidInput as exc:
                refused.add(line, text[:120], exc.code)
                continue
            if (row.place.code, row.key) in self.seen:
                refused.add(line, text[:120], "risk_area.duplicate_in_file")
                continue
            self.seen.add((row.place.code, row.key))
            yield row

    def one(self, line: int, raw: Mapping[str, Any]) -> Row:
        names = [str(raw.get(k) or "").strip() for k in ("province", "city", "district")]
        area = str(raw.get("area") or "").strip()
        if not names[0] or not names[2]:
            raise errors.PlaceMissing()
        if max(len(n) for n in names) > 40 or len(area) > 200:
            raise errors.TooLong()
        grade = parse_grade(str(raw.get("grade") or ""))
        place = places.find(*names)
        if place is None:
            raise errors.UnknownPlace()
        if grade.value not in self.grades:
            raise errors.GradeNotInForce(grade.value)
        start = _optional_time(raw.get("effective_from")) or self.as_of
        end = _optional_time(raw.get("effective_to"))
        if end is not None and end <= start:
            raise errors.BadDates()
        return Row(line, place, area, area_key(area), grade.value, start, end)


def _optional_time(value: object) -> datetime | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return parse_time(value)
