"""The ``fever_visits`` export kind: the visit list's scoping and filters, masked columns."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from fangkong.exports import kinds
from fangkong.exports.schemas import ExportCreate
from fangkong.sentinel import service
from fangkong.sentinel.schemas import VisitIn
from sentinel.conftest import officer


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
    assert row[3] == "道里测试医院发热门诊" and row[5] == "fever, cough"
    later = kind.validated({"day": "2999-01-01"})
    assert kind.count(session, daoli, later) == 0


def test_a_bad_filter_is_refused():
    with pytest.raises(ValidationError):
        ExportCreate(kind="fever_visits", params={"grade": "high"})
