"""Imports of visits and sales: every row through the same checks, each refused row reported
with its line and code, nothing of a refused row written."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from fangkong.models.sentinel import DrugSale, FeverVisit
from fangkong.sentinel import errors, imports
from sentinel.conftest import API, activate, count, officer


def test_visits_csv_reports_each_refused_row(session, settings, world):
    content = (
        "场所编号,身份证号,就诊时间,症状,体温,首诊核酸\n"
        f"{world.clinic},{world.id_number},2022-12-01 09:30,发热、咳嗽,38.5,是\n"
        f"{world.clinic},{world.id_number},2999-01-01 09:30,发热,,否\n"
        f"{world.pharmacy},{world.id_number},,发热,,\n"
        f"{world.clinic},{world.id_number},yesterday,发热,,\n"
        f"{world.clinic},{world.id_number},,打喷嚏,,\n"
        f"{world.nangang_clinic},{world.id_number},,发热,,\n"
    )
    report = imports.import_visits(session, settings, actor=officer("230102"),
                                    filename="v.csv", data=content.encode())  # fmt: skip
    assert (report.accepted, report.marked) == (1, 1)
    assert [(r.line, r.code) for r in report.rejected_lines] == [
        (3, "sentinel.in_future"),
        (4, "sentinel.wrong_site_kind"),
        (5, "sentinel.invalid_time"),
        (6, "sentinel.unknown_symptom"),
        (7, "sentinel.site_not_found"),
    ]
    visit = session.query(FeverVisit).one()
    assert visit.symptoms == ["fever", "cough"] and visit.temperature == 38.5 and visit.nat_taken
    assert visit.visited_at.isoformat() == "2022-12-01T01:30:00+00:00"  # local time read


def test_sales_xlsx_with_chinese_drug_classes(session, settings, world):
    book = Workbook()
    sheet = book.active
    sheet.append(["场所编号", "身份证号", "药品类别", "数量"])
    sheet.append([world.pharmacy, world.id_number, "抗病毒", 2])
    sheet.append([world.pharmacy, world.id_number, "维生素", 1])
    sheet.append([world.pharmacy, world.id_number, "antibiotic", 1.5])
    buffer = io.BytesIO()
    book.save(buffer)
    report = imports.import_sales(session, settings, actor=officer("230102"),
                                   filename="s.xlsx", data=buffer.getvalue())  # fmt: skip
    assert report.accepted == 1
    assert [(r.line, r.code) for r in report.rejected_lines] == [
        (3, "sentinel.unknown_drug_class"),
        (4, "sentinel.invalid_quantity"),
    ]
    sale = session.query(DrugSale).one()
    assert (sale.drug_class, sale.quantity) == ("antiviral", 2)


def test_a_sales_file_is_refused_whole_without_registration(session, settings, world):
    activate(session, settings, "harbin-2022-12")
    content = f"场所编号,身份证号,药品类别\n{world.pharmacy},{world.id_number},退热\n"
    with pytest.raises(errors.RegistrationNotInForce):
        imports.import_sales(session, settings, actor=officer("230102"),
                              filename="s.csv", data=content.encode())  # fmt: skip
    assert count(session, DrugSale) == 0


def test_upload_with_dry_run_writes_nothing(app_client, session, world):
    content = f"场所编号,身份证号,药品类别\n{world.pharmacy},{world.id_number},止咳\n"
    files = {"file": ("s.csv", content.encode(), "text/csv")}
    url = f"{API}/sales/import?dry_run=true"
    response = app_client.post(url, files=files, headers=world.headers["daoli"])
    assert response.status_code == 200, response.text
    assert response.json()["accepted"] == 1 and response.json()["dry_run"] is True
    assert count(session, DrugSale) == 0
    unknown = {"file": ("s.csv", "名字\n张\n".encode(), "text/csv")}
    response = app_client.post(f"{API}/sales/import", files=unknown, headers=world.headers["daoli"])
    assert response.status_code == 422 and response.json()["code"] == "import.unknown_columns"
