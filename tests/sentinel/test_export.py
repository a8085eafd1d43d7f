"""The sentinel export kinds (``fever_visits``, ``drug_sales``, ``sentinel_sites``): the lists'
scoping and filters, masked columns, bad filters refused."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from fangkong.core import clock
from fangkong.exports import kinds
from fangkong.exports.runner import _formatter
from fangkong.exports.schemas import ExportCreate
from fangkong.models.sentinel import DrugSale
from fangkong.sentinel import service
from fangkong.sentinel.schemas import SaleIn, VisitIn
from sentinel.conftest import DAOLI_GRID, officer


def test_visits_export_is_scoped_filtered_and_masked(session, settings, world):
    daoli = officer("230102")
    for number in (world.id_number, world.nangang_id_number):
        data = VisitIn(venue_id=world.clinic, id_number=number, symptoms=["fever", "cough"])
        service.report_visit(session, settings, actor=daoli, data=data)
    kind = kinds.kind_of("fever_visits")
    params = kind.validated({"region": "230102"})
    assert kind.count(session, daoli, params) == 2
    assert kind.count(session, officer("230103"), params) == 0
    rows, key = kind.chunk(session, daoli, params, None, 1)
    assert key is not None and len(rows) == 1
    rest, key = kind.chunk(session, daoli, params, key, 1)
    assert len(rest) == 1 and rest[0][0] < rows[0][0]  # newest first
    assert kind.chunk(session, daoli, params, key, 1) == ([], None)
    row = rows[0]
    assert row[1] != "孙测试" and row[1].startswith("孙")  # masked name
    assert "*" in row[2]  # masked ID number
    assert row[3] == "道里测试医院发热门诊" and row[5] == ("fever", "cough")
    later = kind.validated({"day": "2999-01-01"})
    assert kind.count(session, daoli, later) == 0


def test_a_bad_filter_is_refused():
    with pytest.raises(ValidationError):
        ExportCreate(kind="fever_visits", params={"grade": "high"})


def test_sales_export_is_scoped_filtered_and_masked(session, settings, world):
    daoli = officer("230102")
    for number in (world.id_number, world.nangang_id_number):
        data = SaleIn(venue_id=world.pharmacy, id_number=number, drug_class="antiviral")
        service.record_sale(session, settings, actor=daoli, data=data)
    first = session.query(DrugSale).order_by(DrugSale.id).first()
    service.mark_contacted(session, actor=officer("230102"), sale_id=first.id)
    kind = kinds.kind_of("drug_sales")
    params = kind.validated({"region": "230102", "day": clock.local_today().isoformat()})
    assert kind.count(session, daoli, params) == 2
    assert kind.count(session, officer("230103"), params) == 0
    rows, key = kind.chunk(session, daoli, params, None, 5)
    assert key is None and [r[0] for r in rows] == sorted((r[0] for r in rows), reverse=True)
    newest, oldest = rows
    assert newest[1] != "孙测试" and newest[1].startswith("孙") and "*" in newest[2]
    assert newest[3:6] == ("antiviral", 1, "道里测试药店")
    assert (newest[7], newest[8]) == (True, False)
    assert (oldest[0], oldest[8]) == (first.id, True)  # contacted
    assert kind.labels[3]["antiviral"] == "Antiviral"
    assert kind.count(session, daoli, kind.validated({"region": "230103"})) == 0


def test_sites_export_is_scoped_and_filtered(session, world):
    kind = kinds.kind_of("sentinel_sites")
    daoli = officer("230102")
    assert kind.personal is False
    assert kind.count(session, daoli, kind.validated({})) == 2
    rows, key = kind.chunk(session, daoli, kind.validated({}), None, 1)
    assert [r[0] for r in rows] == [world.clinic] and key == [world.clinic]
    rest, key = kind.chunk(session, daoli, kind.validated({}), key, 1)
    assert [r[:4] for r in rest] == [(world.pharmacy, "道里测试药店", "pharmacy", DAOLI_GRID)]
    assert kind.chunk(session, daoli, kind.validated({}), key, 1) == ([], None)
    pharmacies = kind.validated({"kind": "pharmacy"})
    assert kind.count(session, officer("230103"), pharmacies) == 1
    city = officer("2301")
    assert kind.count(session, city, kind.validated({"region": "230103"})) == 2


@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("drug_sales", {"day": "yesterday"}),
        ("drug_sales", {"drug": "cough"}),
        ("sentinel_sites", {"kind": "school"}),
        ("sentinel_sites", {"region": "23x"}),
    ],
)
def test_bad_sentinel_filters_are_refused(name, params):
    with pytest.raises(ValidationError):
        ExportCreate(kind=name, params=params)


@pytest.mark.parametrize(
    ("locale", "shown"), [("zh_CN", "发热、咳嗽"), ("en", "Fever, Cough"), ("en", "")]
)
def test_a_visits_symptoms_are_exported_by_their_labels(locale, shown):
    """The file shows each symptom by its label in the requester's language, not its code."""
    kind = kinds.kind_of("fever_visits")
    codes = ("fever", "cough") if shown else ()
    row = (1, "孙*", "2301**", "门诊", None, codes, 37.9, True, False, "230102001002")
    assert _formatter(kind, locale)([row])[0][5] == shown
