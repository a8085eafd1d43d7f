"""The ``inspection_problems`` export kind: the problem list's scoping and filters, by id,
chunked; no passes, no personal data."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from fangkong.core import i18n
from fangkong.exports import kinds
from fangkong.exports.schemas import ExportCreate
from fangkong.supervision.labels import Aspect
from supervision.conftest import (
    NANGANG_COMMUNITY,
    inspect,
    make_community,
    make_company,
    officer_of,
)


def test_problems_export_is_scoped_filtered_and_chunked(session, settings, districts):
    company = make_company(session, settings)
    inspect(session, make_community(session, "甲小区", company_id=company.id),
            {Aspect.GATE: 1, Aspect.MASKS: 2})  # fmt: skip
    inspect(session, make_community(session, "南岗小区", region_code=NANGANG_COMMUNITY),
            {Aspect.SCAN: 1})  # fmt: skip
    daoli = officer_of("230102")
    kind = kinds.kind_of("inspection_problems")
    assert kind.personal is False
    params = kind.validated({"status": "open"})
    assert kind.count(session, daoli, params) == 2
    assert kind.count(session, officer_of("230103"), params) == 1
    rows, key = kind.chunk(session, daoli, params, None, 1)
    assert key is not None and rows[0][1:5] == ("甲小区", "230102001002", "安居物业", "gate_duty")
    rest, key = kind.chunk(session, daoli, params, key, 1)
    assert rest[0][4] == "masks" and rest[0][0] > rows[0][0]
    assert kind.chunk(session, daoli, params, key, 1) == ([], None)
    assert kind.count(session, daoli, kind.validated({"overdue": True})) == 0
    assert kind.count(session, daoli, kind.validated({"status": "rectified"})) == 0


def test_unknown_filters_are_refused():
    with pytest.raises(ValidationError):
        ExportCreate(kind="inspection_problems", params={"status": "ok"})


def test_problems_export_file_over_http(app_client, session, settings, users):
    inspect(session, make_community(session, "乙小区"), {Aspect.PUBLICITY: 1})
    session.commit()
    body = {"kind": "inspection_problems", "format": "csv", "params": {"status": "open"}}
    answer = app_client.post("/api/v1/exports", json=body, headers=users["daoli"])
    assert answer.status_code == 202, answer.text
    assert answer.json()["status"] == "ready", answer.json()
    got = app_client.get(f"/api/v1/exports/{answer.json()['id']}/file", headers=users["daoli"])
    lines = got.content.decode("utf-8-sig").splitlines()
    assert len(lines) == 2
    # Coded columns by their label in the requester's language (zh_CN by default).
    aspect = i18n.gettext(i18n.DEFAULT_LOCALE, "prevention publicity")
    state = i18n.gettext(i18n.DEFAULT_LOCALE, "awaiting rectification")
    cells = lines[1].split(",")
    assert (cells[1], cells[4], cells[5], cells[8]) == ("乙小区", aspect, "未落实", state)
