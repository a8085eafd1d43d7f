"""Dose import: people found by ID number, every refused row reported with its reason, and a
refused row leaves nothing behind while the good rows stay."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from fangkong.core import clock
from fangkong.core.tabular import UnknownColumns
from fangkong.models.vaccination import Dose, VaccinationStatus
from fangkong.people.protect import Protector
from fangkong.vaccination import importer
from vaccination.conftest import ADMIN, NANGANG_GRID, officer_of, resident_with_number

pytestmark = pytest.mark.usefixtures("vaccines")
HEADER = "身份证号,疫苗,剂次,接种日期,接种点,批号\n"


def _run(session, settings, data: bytes, actor=ADMIN, name="doses.csv"):
    return importer.import_upload(
        session, actor=actor, protector=Protector(settings.data_key_bytes), filename=name,
        data=data,
    )  # fmt: skip


def test_good_rows_are_kept_and_each_bad_row_is_reported(session, settings):
    person, number = resident_with_number(session, settings, born=date(1990, 1, 1))
    other, other_number = resident_with_number(session, settings, born=date(1995, 1, 1))
    south, south_number = resident_with_number(
        session, settings, born=date(1990, 1, 1), grid=NANGANG_GRID
    )
    future = (clock.local_today() + timedelta(days=2)).isoformat()
    rows = [
        f"{number},INACT,1,2021-04-01,站A,B1",  # 2 ok
        f"{number},INACT,2,2021-03-01,站A,B2",  # 3 second dose before the first
        f"{number},INACT,2,2021-05-01,站A,B2",  # 4 ok
        f"{other_number},INACT,1,1994-12-31,站A,B1",  # 5 before birth
        f"{other_number},INACT,1,{future},站A,B1",  # 6 in the future
        f"{other_number},INACT,2,2021-05-01,站A,B1",  # 7 no first dose
        f"{other_number},NOPE,1,2021-05-01,站A,B1",  # 8 unknown product
        f"{other_number},INACT,1,2021/05/01,站A,B1",  # 9 not a date
        f"{other_number},INACT,x,2021-05-01,站A,B1",  # 10 not a dose number
        "110101199003070000,INACT,1,2021-05-01,站A,B1",  # 11 not a valid number
        f"{number},INACT,2,2021-05-02,站A,B2",  # 12 the same dose again
        f"{other_number},INACT,1,2021-05-01,,B1",  # 13 no site
    ]
    report = _run(session, settings, (HEADER + "\n".join(rows) + "\n").encode())
    assert report.inserted == 2
    codes = {r.row: r.code for r in report.rejected}
    assert codes == {
        3: "vaccination.dose_before_previous",
        5: "vaccination.dose_before_birth",
        6: "vaccination.dose_in_future",
        7: "vaccination.previous_dose_missing",
        8: "vaccination.unknown_vaccine",
        9: "vaccination.invalid_date",
        10: "vaccination.invalid_dose_number",
        11: "person.id_number_checksum",
        12: "vaccination.duplicate_row",
        13: "vaccination.invalid_text",
    }
    assert session.scalar(select(func.count()).select_from(Dose)) == 2
    assert session.get(VaccinationStatus, person.id).complete
    assert session.get(VaccinationStatus, other.id) is None
    outside = _run(session, settings, f"{HEADER}{south_number},INACT,1,2021-04-01,站A,B1\n".encode(),
                   actor=officer_of("230102"))  # fmt: skip
    assert [r.code for r in outside.rejected] == ["vaccination.person_not_found"]
    assert session.get(VaccinationStatus, south.id) is None


def test_xlsx_with_date_cells(session, settings):
    person, number = resident_with_number(session, settings, born=date(1990, 1, 1))
    book = Workbook()
    sheet = book.active
    sheet.append(["身份证号", "疫苗", "剂次", "接种日期", "接种点", "批号"])
    sheet.append([number, "ADV5", 1, date(2021, 4, 1), "站A", "B1"])
    buffer = io.BytesIO()
    book.save(buffer)
    report = _run(session, settings, buffer.getvalue(), name="doses.xlsx")
    assert report.inserted == 1 and report.rejected == []
    assert session.get(VaccinationStatus, person.id).last_dose_on == date(2021, 4, 1)


def test_an_unknown_column_refuses_the_file(session, settings):
    with pytest.raises(UnknownColumns):
        _run(session, settings, "身份证号,疫苗,剂次,接种日期,接种点,批号,备注\n".encode())
