"""One row of a carrier's passenger list, checked alone: the mode, the flight or train number,
the day and times (Asia/Shanghai), the carriage and seat (``seat_row`` parsed for the
edition's seat rule: 12A → row 12; a train's 05车12F → carriage 05, row 12), and who (an ID
number or a phone, checked as ``arrivals.intake.identity`` checks them)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from fangkong.arrivals.intake import identity
from fangkong.core import clock
from fangkong.core.errors import DomainError

MODES = {"flight": "flight", "飞机": "flight", "航班": "flight", "plane": "flight",
         "train": "train", "火车": "train", "高铁": "train", "动车": "train",
         "coach": "coach", "大巴": "coach", "客车": "coach", "长途客车": "coach",
         "ship": "ship", "船": "ship", "轮船": "ship"}  # fmt: skip
NUMBER = re.compile(r"^[A-Z0-9]{2,16}$")
SEAT = re.compile(r"^(?:(\d{1,2})车)?0*(\d{1,3})([A-Z])?号?(?:[上中下]铺)?$")
CARRIAGE = re.compile(r"^(\d{1,2})(?:车厢|车)?$")
TIME = re.compile(r"^\d{1,2}:\d{2}(:\d{2})?$")
DAY = "%Y-%m-%d"
LIMITS = {"name": 50, "from_station": 40, "to_station": 40}


class Refused(Exception):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass
class Passenger:
    line: int
    mode: str
    number: str
    travel_on: date
    departed_at: datetime | None
    arrived_at: datetime | None
    carriage: str
    seat: str
    seat_row: int | None
    name: str
    from_station: str
    to_station: str
    id_number: str | None
    phone: str | None
    person_id: int | None = None
    region_code: str = ""


def mode_of(text: str) -> str:
    value = text.strip().lower()
    if value not in MODES:
        raise Refused("travel.unknown_mode")
    return MODES[value]


def number_of(text: str) -> str:
    value = text.replace(" ", "").upper()
    if not NUMBER.match(value):
        raise Refused("travel.bad_number")
    return value


def day_of(text: str, today: date) -> date:
    value = text.strip().replace("/", "-").split(" ")[0]
    try:
        day = datetime.strptime(value, DAY).date()
    except ValueError:
        raise Refused("travel.bad_date") from None
    if day > today:
        raise Refused("travel.bad_date")
    return day


def instant_of(text: str, day: date) -> datetime | None:
    """HH:MM on the travel day, or a full YYYY-MM-DD HH:MM, in Asia/Shanghai."""
    value = text.strip().replace("/", "-").replace("T", " ")
    if not value:
        return None
    try:
        if TIME.match(value):
            hours, minutes = (int(part) for part in value.split(":")[:2])
            local = datetime(day.year, day.month, day.day, hours, minutes)
        else:
            local = datetime.fromisoformat(value)
    except ValueError:
        raise Refused("travel.bad_time") from None
    if local.tzinfo is None:
        local = local.replace(tzinfo=clock.LOCAL_TZ)
    return local.astimezone(UTC)


def seat_of(seat_text: str, carriage_text: str) -> tuple[str, str, int | None]:
    """(carriage, seat as printed, row); a seat-less row (a coach) has no row."""
    seat = seat_text.strip().upper().replace(" ", "")
    carriage = _carriage(carriage_text)
    if not seat:
        return carriage, "", None
    found = SEAT.match(seat)
    if found is None:
        raise Refused("travel.bad_seat")
    if found.group(1):
        carriage = f"{int(found.group(1)):02d}"
    printed = seat.split("车", 1)[-1]
    if len(printed) > 8:
        raise Refused("travel.bad_seat")
    return carriage, printed, int(found.group(2))


def _carriage(text: str) -> str:
    value = text.strip().replace(" ", "")
    if not value:
        return ""
    found = CARRIAGE.match(value)
    if found is None:
        raise Refused("travel.bad_seat")
    return f"{int(found.group(1)):02d}"


def _short(raw: dict[str, str], key: str) -> str:
    value = raw.get(key, "").strip()
    if len(value) > LIMITS[key]:
        raise Refused("travel.too_long")
    return value


@dataclass
class Checker:
    today: date
    seen: set[tuple[str, str, date, str]] = field(default_factory=set)

    def check(self, line: int, raw: dict[str, str]) -> Passenger:
        mode, number = mode_of(raw.get("mode", "")), number_of(raw.get("number", ""))
        day = day_of(raw.get("travel_on", ""), self.today)
        departed = instant_of(raw.get("departed_at", ""), day)
        arrived = instant_of(raw.get("arrived_at", ""), day)
        if departed and arrived and arrived < departed:
            arrived += timedelta(days=1)  # an overnight journey given as times of day
        carriage, seat, row = seat_of(raw.get("seat", ""), raw.get("carriage", ""))
        id_number, phone = self._who(raw)
        return Passenger(
            line=line, mode=mode, number=number, travel_on=day, departed_at=departed,
            arrived_at=arrived, carriage=carriage, seat=seat, seat_row=row,
            name=_short(raw, "name"), from_station=_short(raw, "from_station"),
            to_station=_short(raw, "to_station"), id_number=id_number, phone=phone,
        )  # fmt: skip

    def _who(self, raw: dict[str, str]) -> tuple[str | None, str | None]:
        id_number = raw.get("id_number", "").strip() or None
        phone = raw.get("phone", "").strip() or None
        if not id_number and not phone:
            raise Refused("travel.identity_missing")
        try:
            id_number = identity.checked_id(id_number, self.today) if id_number else None
        except DomainError:
            raise Refused("travel.bad_id_number") from None
        try:
            phone = identity.checked_phone(phone) if phone else None
        except DomainError:
            raise Refused("travel.bad_phone") from None
        return id_number, phone
