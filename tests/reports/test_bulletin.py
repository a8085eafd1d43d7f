"""The bulletin's numbers against a hand-built world (new confirmed and asymptomatic in the
window, a conversion counted once, imported apart, cumulative, outcomes, in treatment), its
text (official style in zh, the English version, the district sentence, the sentence for a
date without data), the window's validation and the scoping to a region."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from fangkong.core import clock
from fangkong.core.principal import Principal
from fangkong.reports import bulletin, errors
from outbreak_world import DAOLI, NANGANG, OTHER_GRID, at, make_case, make_resident

ADMIN = Principal(id=None, username="admin", role="city_admin", region_code="230100",
                  permissions=frozenset({"reports.read"}))  # fmt: skip
OFFICER = Principal(id=None, username="officer", role="district_officer", region_code=DAOLI,
                    permissions=frozenset({"reports.read"}))  # fmt: skip


@pytest.fixture
def outbreak(session, settings, world):
    """On 3 November (06:00 to 06:00 next day): in 道里区 a confirmed case and an asymptomatic
    one; in 南岗区 an asymptomatic infection of the 1st converted to confirmed; an imported
    case; before the window, a released asymptomatic (released in the window) and a discharged
    confirmed case; a pending case, counted nowhere."""
    daoli = [make_resident(session, settings) for _ in range(5)]
    far = make_resident(session, settings, grid=OTHER_GRID)
    make_case(session, daoli[0], kind="confirmed", confirmed_at=at(3, 10))
    make_case(session, daoli[1], kind="asymptomatic", confirmed_at=at(3, 11))
    make_case(session, far, kind="confirmed", confirmed_at=at(1, 10), converted_at=at(3, 12))
    make_case(session, daoli[2], kind="confirmed", confirmed_at=at(3, 10), local=False)
    make_case(session, daoli[3], kind="asymptomatic", confirmed_at=at(1, 10),
              status="released", outcome_at=at(3, 9))  # fmt: skip
    make_case(session, daoli[4], kind="confirmed", confirmed_at=at(1, 10),
              status="discharged", outcome_at=at(2, 10))  # fmt: skip
    make_case(session, make_resident(session, settings), kind=None, status="pending",
              confirmed_at=at(3, 10))  # fmt: skip
    session.flush()


def test_numbers_of_the_day(session, outbreak):
    found = bulletin.bulletin(session, actor=ADMIN, day=date(2022, 11, 3))
    f = found.figures
    assert (f.new_confirmed, f.conversions, f.new_asymptomatic, f.new_imported) == (2, 1, 1, 1)
    assert (f.cumulative_confirmed, f.cumulative_asymptomatic) == (3, 2)
    assert f.cumulative_positives == 5  # the converted case once
    assert (f.discharged, f.released, f.died) == (0, 1, 0)
    assert (f.cumulative_discharged, f.cumulative_released) == (1, 1)
    assert f.in_treatment == 4  # two new local, the converted one, the imported one
    assert found.has_data and found.date == date(2022, 11, 3)
    assert found.start == at(3, 6) and found.end == at(4, 6)
    by_code = {d.code: (d.new_confirmed, d.new_asymptomatic) for d in found.districts}
    assert by_code == {DAOLI: (1, 1), NANGANG: (1, 0)}


def test_the_converted_case_is_asymptomatic_before_its_conversion(session, outbreak):
    first = bulletin.bulletin(session, actor=ADMIN, day=date(2022, 11, 1)).figures
    assert (first.new_confirmed, first.new_asymptomatic) == (1, 2)
    assert (first.cumulative_confirmed, first.cumulative_asymptomatic) == (1, 2)


def test_official_text(session, outbreak):
    found = bulletin.bulletin(session, actor=ADMIN, day=date(2022, 11, 3))
    zh, en = found.text_zh, found.text_en
    place = found.region_name
    assert zh.startswith(f"2022年11月3日6时至11月4日6时，{place}新增本土确诊病例2例"
                         "（含无症状感染者转为确诊病例1例）、无症状感染者1例。")  # fmt: skip
    names = {d.code: d.name for d in found.districts}
    assert (
        f"其中{names[DAOLI]}2例（确诊病例1例、无症状感染者1例），{names[NANGANG]}1例（确诊病例1例）。"
        in zh
    )
    assert "新增境外输入阳性感染者1例。" in zh
    assert "解除医学观察无症状感染者1例" in zh
    assert "累计报告本土阳性感染者5例，其中确诊病例3例、无症状感染者2例" in zh
    assert "累计治愈出院1例" in zh and zh.endswith("现有在院治疗4例。")
    assert en.startswith("From 06:00 on 3 November 2022 to 06:00 on 4 November 2022, ")
    assert "2 new local confirmed cases (including 1 reclassified from asymptomatic)" in en
    assert "1 new local asymptomatic infection" in en and "1 imported positive infection was" in en
    assert (
        "5 local positive infections in this outbreak: 3 confirmed cases and 2 asymptomatic" in en
    )
    assert en.endswith("4 in treatment now.")


def test_a_date_without_data_says_so(session, world):
    found = bulletin.bulletin(session, actor=ADMIN, day=date(2022, 11, 3))
    assert not found.has_data and found.districts == []
    assert "暂无疫情数据" in found.text_zh and "未登记阳性感染者" in found.text_zh
    assert found.text_en.startswith(
        "No data for the period from 06:00 on 3 November 2022 to 06:00 on 4 November 2022: "
        "no positive infection had been recorded in "
    )
    assert found.text_en.endswith(" by 06:00 on 4 November 2022.")


def test_a_day_without_new_cases(session, outbreak):
    found = bulletin.bulletin(session, actor=ADMIN, day=date(2022, 11, 6))
    assert found.has_data
    assert "无新增本土确诊病例和无症状感染者" in found.text_zh and "例（" not in found.text_zh
    assert "reported no new local confirmed case or asymptomatic infection" in found.text_en


def test_custom_window_at_midnight(session, outbreak):
    start = datetime.fromisoformat("2022-11-03T00:00:00+08:00")
    end = datetime.fromisoformat("2022-11-04T00:00:00+08:00")
    found = bulletin.bulletin(session, actor=ADMIN, start=start, end=end)
    assert found.date is None and found.text_zh.startswith("2022年11月3日0时至24时，")
    assert found.text_en.startswith("From 00:00 to 24:00 on 3 November 2022, ")
    assert found.figures.new_confirmed == 2


@pytest.mark.parametrize(
    ("day", "start", "end"),
    [
        (None, "2022-11-03T00:00:00+08:00", None),
        (None, "2022-11-04T00:00:00+08:00", "2022-11-03T00:00:00+08:00"),
        (None, "2022-11-03T00:00:00+08:00", "2022-11-03T00:00:00+08:00"),
        (date(2022, 11, 3), "2022-11-03T00:00:00+08:00", "2022-11-04T00:00:00+08:00"),
        (date(1900, 1, 1), None, None),
        (None, "2022-11-03T00:00:00", "2022-11-04T00:00:00"),
    ],
)
def test_bad_windows(session, world, day, start, end):
    first = datetime.fromisoformat(start) if start else None
    last = datetime.fromisoformat(end) if end else None
    with pytest.raises(errors.BadWindow):
        bulletin.bulletin(session, actor=ADMIN, day=day, start=first, end=last)


def test_a_district_sees_only_itself(session, outbreak):
    own = bulletin.bulletin(session, actor=OFFICER, day=date(2022, 11, 3))
    assert [d.code for d in own.districts] == [DAOLI]
    assert (own.figures.new_confirmed, own.figures.conversions) == (1, 0)
    assert own.figures.cumulative_positives == 4
    assert "例（确诊" not in own.text_zh  # one district: no breakdown sentence
    with pytest.raises(errors.RegionNotFound):
        bulletin.bulletin(session, actor=OFFICER, day=date(2022, 11, 3), region=NANGANG)


def test_region_narrows_the_city(session, outbreak):
    found = bulletin.bulletin(session, actor=ADMIN, day=date(2022, 11, 3), region=NANGANG)
    assert found.region == NANGANG and [d.code for d in found.districts] == [NANGANG]
    assert found.text_zh.startswith(
        f"2022年11月3日6时至11月4日6时，{found.region_name}新增本土确诊病例1例"
    )
    with pytest.raises(errors.RegionNotFound):
        bulletin.bulletin(session, actor=ADMIN, day=date(2022, 11, 3), region="230199")


@pytest.mark.parametrize(
    ("now", "day"),
    [
        (at(4, 4), date(2022, 11, 2)),  # 04:00: the official day of the 3rd is not over yet
        (at(4, 6), date(2022, 11, 3)),  # 06:00: it has just ended
        (at(4, 23), date(2022, 11, 3)),
    ],
)
def test_the_default_day_is_the_last_whole_official_day(session, world, now, day):
    with clock.frozen(now):
        found = bulletin.bulletin(session, actor=ADMIN)
    assert found.date == day
    assert found.end <= now
