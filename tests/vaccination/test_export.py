"""The ``vaccination_outreach`` export kind: the outreach list's scoping and filters, masked
numbers, keyset chunks."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from fangkong.exports import kinds
from fangkong.exports.schemas import ExportCreate
from vaccination.conftest import DAOLI_GRID, give, make_resident, officer_of

pytestmark = pytest.mark.usefixtures("vaccines")


def test_outreach_export_is_scoped_filtered_and_masked(session, settings):
    people = [make_resident(session, settings, born=date(1990, 1, 1 + n)) for n in range(3)]
    give(session, people[0], 1, date(2021, 4, 1))
    daoli = officer_of("230102")
    kind = kinds.kind_of("vaccination_outreach")
    params = kind.validated({"grid": DAOLI_GRID, "on": "2022-12-01"})
    assert kind.count(session, daoli, params) == 3
    assert kind.count(session, officer_of("230103"), params) == 0
    rows, key = kind.chunk(session, daoli, params, None, 2)
    assert key is not None and len(rows) == 2
    rest, end = kind.chunk(session, daoli, params, key, 2)
    assert len(rest) == 1 and end is None
    first = rows[0]
    assert first[0] == people[0].id and first[6] == "incomplete" and first[7] == 1
    assert first[2] == people[0].id_number_masked and "****" in first[2]
    only = kind.validated({"grid": DAOLI_GRID, "reason": "unvaccinated", "on": "2022-12-01"})
    assert kind.count(session, daoli, only) == 2


def test_a_bad_filter_is_refused():
    with pytest.raises(ValidationError):
        ExportCreate(kind="vaccination_outreach", params={"grid": "abc"})
    with pytest.raises(ValidationError):
        ExportCreate(kind="vaccination_outreach", params={"grid": "2301", "reason": "late"})
