"""Exports of the cases line list, contacts, placements and trips: each through the API with
its list's filters, masked numbers and names only, the list's permission, the requester's
jurisdiction, bad filters refused, XLSX read back with openpyxl, and the keyset walk of the
worker chunk by chunk."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from exports.helpers import csv_rows, xlsx_rows, xlsx_text
from exports.lists import BAD_FILTERS, NARROW, NEW_KINDS, REGION_FILTER, make_lists
from fangkong.auth.permissions import Perm
from fangkong.core.masking import mask_person_name
from fangkong.core.principal import Principal
from fangkong.exports import errors, runner, service
from fangkong.exports.schemas import ExportCreate
from fangkong.models import AuditLog
from fangkong.models.exports import Export
from testing.world import DAOLI

API = "/api/v1/exports"
# The columns every new kind shares: 1 name, 2 ID number, 3 phone.
NAME, ID_NUMBER, PHONE = 1, 2, 3


@pytest.fixture
def lists(session, world) -> dict[str, list[Any]]:
    made = make_lists(session, world["daoli"] + world["nangang"])
    session.commit()
    return made


def _full_numbers(settings, people) -> list[str]:
    from fangkong.people.protect import Protector

    protector = Protector(settings.data_key_bytes)
    found = [protector.open_id(p.id_number_enc) for p in people]
    return found + [protector.open_phone(p.phone_enc) for p in people if p.phone_enc]


def _export(client, headers, kind: str, fmt: str = "csv", params: dict | None = None) -> Any:
    body = {"kind": kind, "format": fmt, "params": params or {}}
    return client.post(API, json=body, headers=headers)


def _file(client, headers, answer) -> bytes:
    assert answer.status_code == 202, answer.text
    assert answer.json()["status"] == "ready", answer.json()
    got = client.get(f"{API}/{answer.json()['id']}/file", headers=headers)
    assert got.status_code == 200
    return got.content


@pytest.mark.parametrize("kind", NEW_KINDS)
def test_an_officer_exports_their_district_masked(
    app_client, headers, world, lists, settings, kind
):
    content = _file(app_client, headers["officer"], _export(app_client, headers["officer"], kind))
    rows = csv_rows(content)[1:]
    daoli = world["daoli"]
    assert sorted(r[NAME] for r in rows) == sorted(mask_person_name(p.name) for p in daoli)
    assert {r[ID_NUMBER] for r in rows} == {p.id_number_masked for p in daoli}
    assert all("*" in r[PHONE] for r in rows)
    for number in _full_numbers(settings, daoli + world["nangang"]):
        assert number not in content.decode("utf-8-sig")
    for person in daoli:
        assert person.name not in content.decode("utf-8-sig")


@pytest.mark.parametrize("kind", NEW_KINDS)
def test_the_other_district_gets_only_its_rows(app_client, headers, world, lists, kind):
    content = _file(app_client, headers["nangang"], _export(app_client, headers["nangang"], kind))
    expected = sorted(mask_person_name(p.name) for p in world["nangang"])
    assert sorted(r[NAME] for r in csv_rows(content)[1:]) == expected


@pytest.mark.parametrize("kind", NEW_KINDS)
def test_the_lists_filters_narrow_the_export(app_client, headers, world, lists, session, kind):
    answer = _export(app_client, headers["admin"], kind, params=NARROW[kind])
    rows = csv_rows(_file(app_client, headers["admin"], answer))[1:]
    assert [r[NAME] for r in rows] == [mask_person_name(world["daoli"][0].name)]
    export = session.get(Export, answer.json()["id"])
    assert export is not None and export.params == NARROW[kind] and export.rows_total == 1
    audited = select(AuditLog.action).where(AuditLog.object_id == str(export.id))
    assert "export.request" in session.scalars(audited).all()


def test_cases_xlsx_shows_labels_dates_and_booleans(app_client, headers, world, lists):
    content = _file(app_client, headers["officer"],
                    _export(app_client, headers["officer"], "cases", "xlsx", {"kind": "confirmed"}))  # fmt: skip
    header, row = xlsx_rows(content)
    assert header[:5] == ["病例编号", "姓名", "证件号码", "手机号码", "类型"]
    case = lists["cases"][0]
    assert row[0] == case.case_no and row[4] == "确诊病例" and row[6] == "治疗或隔离中"
    assert row[7] == "社区筛查" and row[8] == "是"  # local
    assert row[10] == "2022-11-02" and row[12] == case.reported_on.isoformat()
    assert row[9] == "2022-11-03T08:00:00+08:00"  # sampled, in Asia/Shanghai
    assert world["daoli"][0].id_number_masked in xlsx_text(content)


def test_trips_and_placements_xlsx_read_back(app_client, headers, world, lists):
    admin = headers["admin"]
    trips = xlsx_rows(_file(app_client, admin, _export(app_client, admin, "trips", "xlsx")))
    assert trips[0][10] == "风险等级" and len(trips) == 6
    high = [r for r in trips[1:] if r[10] == "高风险"]
    assert len(high) == 1 and high[0][11] == "是"  # affected county
    assert {r[11] for r in trips[1:] if r[10] != "高风险"} == {""}
    placements = xlsx_rows(
        _file(app_client, admin, _export(app_client, admin, "placements", "xlsx", {"grid": DAOLI}))
    )
    assert len(placements) == 4 and {r[4] for r in placements[1:]} == {"居家隔离", "集中隔离"}
    assert placements[1][7].endswith("+08:00")


@pytest.mark.parametrize("kind", ["cases", "contacts"])
def test_a_role_without_the_lists_permission_is_refused(app_client, headers, lists, kind):
    answer = _export(app_client, headers["worker"], kind)  # a grid worker: no cases.read etc.
    assert answer.status_code == 403 and answer.json()["code"] == "export.list_not_allowed"


@pytest.mark.parametrize("kind", NEW_KINDS)
def test_a_role_without_exports_is_refused(app_client, headers, session, kind):
    answer = _export(app_client, headers["sampler"], kind)
    assert answer.status_code == 403 and answer.json()["code"] == "auth.forbidden"
    assert session.scalars(select(Export)).all() == []


@pytest.mark.parametrize(
    ("kind", "permission"), [("placements", Perm.QUARANTINE_READ), ("trips", Perm.ARRIVALS_READ)]
)
def test_the_kinds_permission_is_checked(session, settings, kind, permission):
    """No shipped role holds exports.request without these, so a principal is made without."""
    grants = frozenset({str(Perm.EXPORTS_REQUEST), str(Perm.PEOPLE_READ)})
    actor = Principal(id=None, username="x", role="grid_worker", region_code=DAOLI,
                      permissions=grants)  # fmt: skip
    assert not actor.can(permission)
    with pytest.raises(errors.ListNotAllowed):
        service.request_export(session, settings, actor=actor, data=ExportCreate(kind=kind))


@pytest.mark.parametrize("kind", NEW_KINDS)
def test_bad_filters_are_refused(app_client, headers, session, kind):
    bad = _export(app_client, headers["officer"], kind, params=BAD_FILTERS[kind])
    foreign = _export(
        app_client, headers["officer"], kind, params={"q": "赵"}
    )  # the people list's filter
    outside = _export(app_client, headers["officer"], kind, params={REGION_FILTER[kind]: "230103"})
    for answer in (bad, foreign):
        assert answer.status_code == 422, answer.text
        assert answer.headers["content-type"].startswith("application/problem+json")
        assert answer.json()["code"] == "request.invalid"
    assert outside.status_code == 403
    assert outside.json()["code"] == "export.region_out_of_jurisdiction"
    assert session.scalars(select(Export)).all() == []


@pytest.mark.parametrize("kind", NEW_KINDS)
def test_the_worker_walks_the_list_chunk_by_chunk(
    client_with, headers, world, lists, db, settings, monkeypatch, kind
):
    monkeypatch.setattr(runner, "CHUNK_ROWS", 2)
    with client_with(export_inline_rows=0) as client:
        answer = _export(client, headers["admin"], kind, "xlsx")
        assert answer.json()["status"] == "queued"
        assert runner.run_queued(db, settings) == [(answer.json()["id"], "ready")]
        got = client.get(f"{API}/{answer.json()['id']}/file", headers=headers["admin"])
    rows = xlsx_rows(got.content)[1:]
    everyone = world["daoli"] + world["nangang"]
    assert sorted(r[ID_NUMBER] for r in rows) == sorted(p.id_number_masked for p in everyone)


def test_every_kind_has_its_filter_model():
    """A kind missing from ``FILTERS`` would validate its params as the people list's."""
    from fangkong.exports.filters import FILTERS
    from fangkong.exports.kinds import KINDS

    assert set(FILTERS) == set(KINDS)
