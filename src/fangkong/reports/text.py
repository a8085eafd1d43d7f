"""The bulletin's text in the official style (zh) and a faithful English version. Only the
fixed phrasing is written here; every number and place comes from the figures."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta

from fangkong.core import clock
from fangkong.reports.schemas import BulletinFigures, DistrictLine
from fangkong.reports.scope import Scope

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")  # fmt: skip


def _end_point(start: datetime, end: datetime) -> tuple[date, time | None]:
    """The end's day and time; ``None`` for 24:00 (a window ending at midnight)."""
    local = end.astimezone(clock.LOCAL_TZ)
    if local.time() == time(0) and end > start:
        return local.date() - timedelta(days=1), None
    return local.date(), local.time()


def _zh_hour(at: time | None) -> str:
    if at is None:
        return "24时"
    return f"{at.hour}时" + (f"{at.minute}分" if at.minute else "")


def _zh_day(day: date, *, year: bool) -> str:
    return (f"{day.year}年" if year else "") + f"{day.month}月{day.day}日"


def zh_window(start: datetime, end: datetime) -> tuple[str, str]:
    """("2022年11月3日0时至24时", "11月3日24时"): the window and its end for 截至."""
    first = start.astimezone(clock.LOCAL_TZ)
    day, at = _end_point(start, end)
    head = _zh_day(first.date(), year=True) + _zh_hour(first.time())
    if day == first.date():
        tail = _zh_hour(at)
    else:
        tail = _zh_day(day, year=day.year != first.year) + _zh_hour(at)
    return f"{head}至{tail}", _zh_day(day, year=False) + _zh_hour(at)


def _en_day(day: date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def _en_hour(at: time | None) -> str:
    return "24:00" if at is None else f"{at.hour:02d}:{at.minute:02d}"


def en_window(start: datetime, end: datetime) -> tuple[str, str]:
    """("from 00:00 to 24:00 on 3 November 2022", "24:00 on 3 November 2022")."""
    first = start.astimezone(clock.LOCAL_TZ)
    day, at = _end_point(start, end)
    until = f"{_en_hour(at)} on {_en_day(day)}"
    if day == first.date():
        return f"from {_en_hour(first.time())} to {until}", until
    return f"from {_en_hour(first.time())} on {_en_day(first.date())} to {until}", until


# --- zh ------------------------------------------------------------------------------------------


def _zh_new(place: str, f: BulletinFigures) -> str:
    if f.new_confirmed == 0 and f.new_asymptomatic == 0:
        return f"{place}无新增本土确诊病例和无症状感染者"
    converted = f"（含无症状感染者转为确诊病例{f.conversions}例）" if f.conversions else ""
    return (f"{place}新增本土确诊病例{f.new_confirmed}例{converted}、"
            f"无症状感染者{f.new_asymptomatic}例")  # fmt: skip


def _zh_district(d: DistrictLine) -> str:
    parts = []
    if d.new_confirmed:
        parts.append(f"确诊病例{d.new_confirmed}例")
    if d.new_asymptomatic:
        parts.append(f"无症状感染者{d.new_asymptomatic}例")
    return f"{d.name}{d.new_confirmed + d.new_asymptomatic}例（{'、'.join(parts)}）"


def _zh_found(f: BulletinFigures) -> str:
    found = f.under_control + f.community
    if not found:
        return ""
    return f"{f.under_control}例在隔离管控人员中发现，{f.community}例在社区筛查中发现。"


def zh_text(scope: Scope, start: datetime, end: datetime, f: BulletinFigures,
            districts: Sequence[DistrictLine], *, has_data: bool) -> str:  # fmt: skip
    span, until = zh_window(start, end)
    if not has_data:
        return f"{span}，{scope.name}暂无疫情数据：截至{until}，未登记阳性感染者。"
    lines = [f"{span}，{_zh_new(scope.name, f)}。"]
    listed = [_zh_district(d) for d in districts if d.new_confirmed + d.new_asymptomatic]
    if listed and (len(listed) > 1 or districts[0].code != scope.code):
        lines.append(f"其中{'，'.join(listed)}。")
    lines.append(_zh_found(f))
    if f.new_imported:
        lines.append(f"新增境外输入阳性感染者{f.new_imported}例。")
    lines.append(
        f"当日治愈出院{f.discharged}例，解除医学观察无症状感染者{f.released}例"
        + (f"，死亡{f.died}例" if f.died else "") + "。"
    )  # fmt: skip
    lines.append(
        f"截至{until}，{scope.name}本轮疫情累计报告本土阳性感染者{f.cumulative_positives}例，"
        f"其中确诊病例{f.cumulative_confirmed}例、无症状感染者{f.cumulative_asymptomatic}例；"
        f"累计治愈出院{f.cumulative_discharged}例，累计解除医学观察{f.cumulative_released}例；"
        f"现有在院治疗{f.in_treatment}例。"
    )
    return "".join(lines)


# --- en ------------------------------------------------------------------------------------------


def _n(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def _en_new(place: str, f: BulletinFigures) -> str:
    if f.new_confirmed == 0 and f.new_asymptomatic == 0:
        return f"{place} reported no new local confirmed case or asymptomatic infection"
    converted = (f" (including {f.conversions} reclassified from asymptomatic)"
                 if f.conversions else "")  # fmt: skip
    confirmed = _n(f.new_confirmed, "new local confirmed case", "new local confirmed cases")
    asymptomatic = _n(f.new_asymptomatic, "new local asymptomatic infection",
                      "new local asymptomatic infections")  # fmt: skip
    return f"{place} reported {confirmed}{converted} and {asymptomatic}"


def _en_district(d: DistrictLine) -> str:
    return (f"{d.name_en} {d.new_confirmed + d.new_asymptomatic} "
            f"({d.new_confirmed} confirmed, {d.new_asymptomatic} asymptomatic)")  # fmt: skip


def _en_found(f: BulletinFigures) -> str:
    if not f.under_control + f.community:
        return ""
    return (f" {f.under_control} were found among people under control and "
            f"{f.community} in community screening.")  # fmt: skip


def en_text(scope: Scope, start: datetime, end: datetime, f: BulletinFigures,
            districts: Sequence[DistrictLine], *, has_data: bool) -> str:  # fmt: skip
    span, until = en_window(start, end)
    place = scope.name_en[:1].upper() + scope.name_en[1:]
    if not has_data:
        return (f"No data for the period {span}: no positive infection had been "
                f"recorded in {scope.name_en} by {until}.")  # fmt: skip
    text = f"{span[:1].upper()}{span[1:]}, {_en_new(place, f)}."
    listed = [_en_district(d) for d in districts if d.new_confirmed + d.new_asymptomatic]
    if listed and (len(listed) > 1 or districts[0].code != scope.code):
        text += f" By district: {'; '.join(listed)}."
    text += _en_found(f)
    if f.new_imported:
        imported = _n(f.new_imported, "imported positive infection was",
                      "imported positive infections were")  # fmt: skip
        text += f" {imported} reported."
    text += (f" In the period {f.discharged} patients were discharged from hospital and "
             f"{f.released} asymptomatic infections were released from medical observation"
             + (f"; {f.died} died" if f.died else "") + ".")  # fmt: skip
    text += (f" As of {until}, {scope.name_en} had reported {f.cumulative_positives} local "
             f"positive infections in this outbreak: {f.cumulative_confirmed} confirmed cases and "
             f"{f.cumulative_asymptomatic} asymptomatic infections; {f.cumulative_discharged} "
             f"discharged and {f.cumulative_released} released from medical observation in all; "
             f"{f.in_treatment} in treatment now.")  # fmt: skip
    return text


def render(scope: Scope, start: datetime, end: datetime, f: BulletinFigures,
           districts: Sequence[DistrictLine], *, has_data: bool) -> tuple[str, str]:  # fmt: skip
    return (zh_text(scope, start, end, f, districts, has_data=has_data),
            en_text(scope, start, end, f, districts, has_data=has_data))  # fmt: skip
