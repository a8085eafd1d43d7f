"""The supervision export kinds (``inspection_problems``, ``property_companies``,
``video_points``): each list's scoping and filters, by id, chunked; no personal data."""

from __future__ import annotations

import pytest
from pydantic import ValidationError
from sqlalchemy import select

from fangkong.core import i18n
from fangkong.exports import kinds
from fangkong.exports.schemas import ExportCreate
from fangkong.models.exports import Export
from fangkong.supervision.labels import Aspect
from fangkong.supervision.video import service as video
from fangkong.supervision.video.schemas import VideoPointCreate
from supervision.conftest import (
    NANGANG_COMMUNITY,
    inspect,
    make_community,
    make_company,
    officer_of,
)
from supervision.pages import login, post_form


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


def test_companies_export_is_scoped_filtered_and_chunked(session, settings, districts):
    good = make_company(session, settings, "优秀物业", body="91230102MA1B2C3D4")
    poor = make_company(session, settings, "失信物业", body="91230102MA1B2C3D5")
    make_company(session, settings, "南岗物业", district="230103", body="91230103MA1B2C3D6")
    inspect(session, make_community(session, "甲小区", company_id=good.id))
    make_community(session, "乙小区", company_id=good.id)
    poor.credit_score = 60  # below the black-list line
    session.flush()
    daoli = officer_of("230102")
    kind = kinds.kind_of("property_companies")
    assert kind.personal is False and kind.permission == "supervision.read"
    params = kind.validated({})
    assert kind.count(session, daoli, params) == 2
    assert kind.count(session, officer_of("230103"), params) == 1
    rows, key = kind.chunk(session, daoli, params, None, 1)
    assert key is not None
    assert tuple(rows[0][1:]) == ("优秀物业", good.credit_code, "230102", 100, 2, "red")
    rest, key = kind.chunk(session, daoli, params, key, 1)
    assert tuple(rest[0][1:]) == ("失信物业", poor.credit_code, "230102", 60, 0, "black")
    assert kind.chunk(session, daoli, params, key, 1) == ([], None)
    assert kind.count(session, daoli, kind.validated({"q": "失信"})) == 1
    assert kind.count(session, daoli, kind.validated({"q": "91230102MA1B2C3D4"})) == 1
    assert kind.count(session, daoli, kind.validated({"region": "230103"})) == 0


def test_video_points_export_is_scoped_and_filtered(session, settings, districts):
    daoli = officer_of("230102")
    first = make_community(session, "甲小区")
    other = make_community(session, "南岗小区", region_code=NANGANG_COMMUNITY)
    video.create_point(session, actor=daoli, data=VideoPointCreate(
        name="东门", community_id=first.id, status="broken"))  # fmt: skip
    video.create_point(
        session, actor=daoli, data=VideoPointCreate(name="西门", community_id=first.id)
    )
    video.create_point(session, actor=officer_of("230103"), data=VideoPointCreate(
        name="南门", community_id=other.id))  # fmt: skip
    kind = kinds.kind_of("video_points")
    assert kind.personal is False
    params = kind.validated({})
    assert kind.count(session, daoli, params) == 2
    rows, key = kind.chunk(session, daoli, params, None, 10)
    assert key is None
    assert [tuple(r[1:5]) for r in rows] == [("东门", "甲小区", None, "broken"),
                                             ("西门", "甲小区", None, "online")]  # fmt: skip
    assert rows[0][5] is not None  # checked when added
    assert kind.count(session, daoli, kind.validated({"status": "broken"})) == 1
    assert kind.count(session, daoli, kind.validated({"community_id": other.id})) == 0


@pytest.mark.parametrize(
    ("kind", "params"),
    [
        ("property_companies", {"region": "23x"}),
        ("property_companies", {"name": "物业"}),
        ("video_points", {"status": "smoking"}),
        ("video_points", {"community_id": 0}),
    ],
)
def test_bad_filters_of_the_new_kinds_are_refused(kind, params):
    with pytest.raises(ValidationError):
        ExportCreate(kind=kind, params=params)


def test_companies_export_from_the_page_form(app_client, session, settings, districts):
    make_company(session, settings, "乐家物业")
    make_company(session, settings, "南岗物业", district="230103", body="91230103MA1B2C3D6")
    login(app_client, session)
    form = {"kind": "property_companies", "format": "csv", "params.q": "物业"}
    answer = post_form(app_client, "/supervision/companies", "/exports", form)
    assert answer.status_code == 303, answer.text[:500]
    export = session.scalars(select(Export)).one()
    assert export.status == "ready" and export.rows_total == 1
    got = app_client.get(f"/exports/{export.id}/file")
    lines = got.content.decode("utf-8-sig").splitlines()
    assert len(lines) == 2 and "乐家物业" in lines[1] and "南岗物业" not in got.text
