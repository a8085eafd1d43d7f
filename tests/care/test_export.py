"""The care lists as exports: ``care_requests`` (names and phones masked, coded columns by
their labels, emergencies flagged), ``volunteers`` (ID numbers and phones masked),
``care_pairings`` and ``care_teams`` (counts of visits and hazards); each the officer's
district only, a bad filter refused; the lists' export forms."""

from __future__ import annotations

import csv
import io

import pytest
from pydantic import ValidationError

from care.conftest import API, make_resident, make_team, make_volunteer, officer_of, seal
from care.test_views import csrf_of, login
from fangkong.care.teams import service as teams
from fangkong.care.teams.schemas import HazardCreate, HazardFix, VisitCreate
from fangkong.care.volunteers import service as volunteers
from fangkong.care.volunteers.schemas import PairingCreate
from fangkong.core import clock
from fangkong.core.masking import mask_person_name
from fangkong.exports import kinds
from fangkong.exports.schemas import ExportCreate
from fangkong.models import Person
from fangkong.models.care import Volunteer

EXPORTS = "/api/v1/exports"


def _rows(body: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_officer_exports_their_requests_masked(app_client, session, settings, officers):
    daoli = make_resident(session, settings)
    nangang = make_resident(session, settings, "230103001002003")
    seal(session)
    session.commit()
    headers = officers["daoli"]
    for kind in ("food", "medical"):
        made = app_client.post(f"{API}/requests", headers=headers,
                               json={"person_id": daoli.id, "kind": kind, "text": "需要"})  # fmt: skip
        assert made.status_code == 201, made.text
    app_client.post(f"{API}/requests", headers=officers["nangang"],
                    json={"person_id": nangang.id, "kind": "medical", "text": "南岗"})  # fmt: skip
    answer = app_client.post(EXPORTS, headers=headers, params={"lang": "en"},
                             json={"kind": "care_requests", "format": "csv", "params": {}})  # fmt: skip
    assert answer.status_code == 202 and answer.json()["status"] == "ready", answer.text
    content = app_client.get(f"{EXPORTS}/{answer.json()['id']}/file", headers=headers).content
    header, *rows = _rows(content)
    assert len(header) == 14 and len(rows) == 2
    assert {r[3] for r in rows} == {mask_person_name(daoli.name)}
    assert daoli.name not in content.decode("utf-8-sig") and "南岗" not in content.decode(
        "utf-8-sig"
    )
    assert all("*" in r[4] for r in rows)
    assert sorted(bool(r[2]) for r in rows) == [False, True]  # the medical one is flagged
    refused = app_client.post(EXPORTS, headers=headers, json={
        "kind": "care_requests", "format": "csv", "params": {"status": "asleep"}})  # fmt: skip
    assert refused.status_code == 422


# --- volunteers, pairings, teams ----------------------------------------------------------


def _export(client, headers, kind: str, params: dict | None = None):
    answer = client.post(EXPORTS, headers=headers, params={"lang": "en"},
                         json={"kind": kind, "format": "csv", "params": params or {}})  # fmt: skip
    assert answer.status_code == 202 and answer.json()["status"] == "ready", answer.text
    return _rows(client.get(f"{EXPORTS}/{answer.json()['id']}/file", headers=headers).content)


def test_volunteers_export_masks_numbers_and_is_scoped(app_client, session, settings, officers):
    daoli = make_volunteer(session, settings)
    make_volunteer(session, settings, "230103001002003")
    other = make_volunteer(session, settings)
    volunteers.set_volunteer_active(session, actor=officer_of("230102"), volunteer_id=other,
                                    active=False)  # fmt: skip
    person = session.get(Volunteer, daoli).person_id
    shown = session.get(Person, person)
    session.commit()
    header, *rows = _export(app_client, officers["daoli"], "volunteers")
    assert len(header) == 8
    assert sorted(int(r[0]) for r in rows) == [daoli, other]
    first = next(r for r in rows if int(r[0]) == daoli)
    assert first[1] == mask_person_name(shown.name) and first[2] == shown.id_number_masked
    assert first[3] == shown.phone_masked and "*" in first[2] and "*" in first[3]
    assert first[4] == "物资配送、核酸检测上门" and first[5] == "230102001002"  # skills' labels
    _, *active = _export(app_client, officers["daoli"], "volunteers", {"active": True})
    assert [int(r[0]) for r in active] == [daoli]
    refused = app_client.post(EXPORTS, headers=officers["daoli"], json={
        "kind": "volunteers", "format": "csv", "params": {"active": "maybe"}})  # fmt: skip
    assert refused.status_code == 422


def test_pairings_export_names_masked_and_scoped(app_client, session, settings, officers):
    officer = officer_of("230102")
    volunteer = make_volunteer(session, settings)
    elder = make_resident(session, settings, elderly_alone=True)
    pairing = volunteers.pair(session, actor=officer,
                              data=PairingCreate(person_id=elder.id, volunteer_id=volunteer))  # fmt: skip
    session.commit()
    header, *rows = _export(app_client, officers["daoli"], "care_pairings")
    assert len(header) == 8 and [int(r[0]) for r in rows] == [pairing.id]
    assert rows[0][1] == mask_person_name(elder.name) and "*" in rows[0][4]
    assert rows[0][5] != "" and rows[0][7] == ""  # active, not ended
    assert _export(app_client, officers["nangang"], "care_pairings")[1:] == []
    assert _export(app_client, officers["daoli"], "care_pairings", {"active": False})[1:] == []
    refused = app_client.post(EXPORTS, headers=officers["daoli"], json={
        "kind": "care_pairings", "format": "csv", "params": {"region": "2301"}})  # fmt: skip
    assert refused.status_code == 422


def test_teams_export_counts_and_scope(session, settings, districts):
    officer = officer_of("230102")
    team_id = make_team(session)
    make_team(session, "230103")
    today = clock.local_today()
    teams.record_visit(session, actor=officer, team_id=team_id, data=VisitCreate(
        community_code="230102001002", visited_on=today))  # fmt: skip
    for n in range(2):
        hazard = teams.record_hazard(session, actor=officer, team_id=team_id, data=HazardCreate(
            community_code="230102001002", description=f"隐患{n}", found_on=today))  # fmt: skip
    teams.fix_hazard(session, actor=officer, hazard_id=hazard.id, data=HazardFix(fixed_on=today))
    kind = kinds.kind_of("care_teams")
    assert kind.personal is False
    params = kind.validated({})
    assert kind.count(session, officer, params) == 1
    rows, key = kind.chunk(session, officer, params, None, 10)
    assert key is None
    assert rows == [(team_id, "230102包保工作组", "230102001", "230102001002", "组长甲",
                     "卡口值守、安全检查", 1, 2, 1)]  # fmt: skip
    assert kind.count(session, officer, kind.validated({"region": "230102009"})) == 0
    with pytest.raises(ValidationError):
        ExportCreate(kind="care_teams", params={"region": "abc"})


def test_the_lists_carry_the_export_form(app_client, session, settings):
    login(app_client, session)
    for url, kind in (("/care/requests?overdue=yes", "care_requests"),
                      ("/care/volunteers?active=yes", "volunteers"),
                      ("/care/pairings", "care_pairings"), ("/care/teams", "care_teams")):  # fmt: skip
        page = app_client.get(url)
        assert f'data-testid="{kind}-export"' in page.text, url
    volunteers_page = app_client.get("/care/volunteers?active=yes").text
    assert 'name="params.active" value="true"' in volunteers_page
    form = {"csrf_token": csrf_of(volunteers_page), "kind": "volunteers", "format": "csv",
            "params.active": "true"}  # fmt: skip
    assert app_client.post("/exports", data=form, follow_redirects=False).status_code == 303
