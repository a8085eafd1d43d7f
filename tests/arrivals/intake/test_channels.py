"""The three channels and the officer's entry over the API: self-report, checkpoint scans (only
at one's own checkpoints), officer reports, and their bad inputs (nothing written)."""

from __future__ import annotations

from sqlalchemy import func, select

from arrivals.intake.helpers import NINTH, activate, journey, trips_of
from arrivals.world import NANGANG, make_checkpoint, make_resident, make_risk_area
from fangkong.citizens import personal_code
from fangkong.core import clock
from fangkong.models.arrivals import ArrivalReport, Checkpoint
from fangkong.models.audit import AuditLog
from testing.citizen.helpers import citizen_headers

ME, ARRIVALS = "/api/v1/me/arrivals", "/api/v1/arrivals"


def _count(session) -> int:
    return session.scalar(select(func.count()).select_from(ArrivalReport))


def test_self_report_and_own_list(app_client, session, settings, world):
    activate(session, NINTH)
    make_risk_area(session, grade="high")
    person = make_resident(session, settings)
    headers = citizen_headers(session, person)
    session.commit()
    response = app_client.post(ME, json=journey(area="望京街道"), headers=headers)
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["channel"] == "self" and body["origin_code"] == "110105"
    assert body["name"] != person.name  # masked
    mine = app_client.get(ME, headers=headers).json()
    assert [r["id"] for r in mine] == [body["id"]]
    [trip] = trips_of(session, person)
    assert trip.grade == "high"


def test_self_report_needs_a_citizen(app_client, staff):
    assert app_client.post(ME, json=journey(), headers=staff["officer"]).status_code == 401


def test_self_report_bad_inputs_write_nothing(app_client, session, settings, world):
    person = make_resident(session, settings)
    headers = citizen_headers(session, person)
    session.commit()
    cases = {
        "arrival.unknown_origin": journey(origin=("火星省", "火星市", "某区")),
        "arrival.dates_order": journey(departed_days_ago=-3),
        "arrival.arrived_in_future": journey(hours_ago=-5),
    }
    for code, body in cases.items():
        response = app_client.post(ME, json=body, headers=headers | {"Accept-Language": "en"})
        assert response.status_code == 422, (code, response.text)
        assert response.json()["code"] == code
    bad_transport = journey(transport="rocket")
    assert app_client.post(ME, json=bad_transport, headers=headers).status_code == 422
    assert _count(session) == 0


def test_officer_report_by_id_number_and_outside_jurisdiction(app_client, session, settings, staff):
    activate(session, NINTH)
    mine = make_resident(session, settings)
    theirs = make_resident(session, settings, grid=NANGANG + "001002003")
    session.commit()
    from fangkong.people.protect import Protector

    number = Protector(settings.data_key_bytes).open_id(mine.id_number_enc)
    body = journey(id_number=number)
    response = app_client.post(ARRIVALS, json=body, headers=staff["officer"])
    assert response.status_code == 201, response.text
    assert response.json()["person_id"] == mine.id
    assert response.json()["id_number_masked"].count("*") >= 8
    outside = app_client.post(ARRIVALS, json=journey(person_id=theirs.id),
                              headers=staff["officer"])  # fmt: skip
    assert outside.status_code == 404
    assert outside.json()["code"] == "arrival.person_not_found"
    neither = app_client.post(ARRIVALS, json=journey(), headers=staff["officer"])
    assert neither.json()["code"] == "arrival.person_required"
    bad = app_client.post(ARRIVALS, json=journey(id_number="123"), headers=staff["officer"])
    assert bad.json()["code"] == "arrival.bad_id_number"
    assert _count(session) == 1
    audit = session.scalars(select(AuditLog).where(AuditLog.action == "arrival.report_officer"))
    assert len(list(audit)) == 1


def test_checkpoint_scan_by_personal_code(app_client, session, settings, staff):
    activate(session, NINTH)
    person = make_resident(session, settings, grid=NANGANG + "001002003")
    checkpoint = session.scalars(select(Checkpoint)).one()
    code = personal_code.issue(settings, person.id, clock.now(), 5).payload
    session.commit()
    body = journey(personal_code=code, checkpoint_id=checkpoint.id)
    del body["arrived_at"]
    response = app_client.post(f"{ARRIVALS}/checkpoint", json=body, headers=staff["gate"])
    assert response.status_code == 201, response.text
    report = response.json()
    assert report["channel"] == "checkpoint" and report["person_id"] == person.id
    assert report["checkpoint_id"] == checkpoint.id
    [trip] = trips_of(session, person)
    assert trip.grid_code == person.grid_code  # the person's grid, in another district


def test_checkpoint_scan_unknown_id_is_kept_unmatched(app_client, session, settings, staff):
    from factories import resident_id

    checkpoint = session.scalars(select(Checkpoint)).one()
    body = journey(id_number=resident_id(991, region="110105"), checkpoint_id=checkpoint.id)
    response = app_client.post(f"{ARRIVALS}/checkpoint", json=body, headers=staff["gate"])
    assert response.status_code == 201, response.text
    assert response.json()["person_id"] is None
    assert response.json()["region_code"] == checkpoint.region_code


def test_checkpoint_staff_only_at_their_own_checkpoint(app_client, session, settings, staff):
    person = make_resident(session, settings)
    other = make_checkpoint(session, name="哈尔滨太平国际机场", kind="airport")
    code = personal_code.issue(settings, person.id, clock.now(), 5).payload
    session.commit()
    body = journey(personal_code=code, checkpoint_id=other.id)
    response = app_client.post(f"{ARRIVALS}/checkpoint", json=body, headers=staff["gate"])
    assert response.status_code == 403
    assert response.json()["code"] == "arrival.not_checkpoint_staff"
    mine = session.scalars(select(Checkpoint).where(Checkpoint.id != other.id)).one()
    body["checkpoint_id"] = mine.id
    assert app_client.post(f"{ARRIVALS}/checkpoint", json=body,
                           headers=staff["operator"]).status_code == 403  # fmt: skip
    assert _count(session) == 0


def test_checkpoints_crud_and_staff(app_client, session, settings, staff):
    from factories import make_user

    operator = make_user(session, role="venue_operator", region_code="230102")
    session.commit()
    base = "/api/v1/checkpoints"
    created = app_client.post(base, json={"name": "哈尔滨东站", "kind": "railway_station",
                                          "region_code": "230102"}, headers=staff["officer"])  # fmt: skip
    assert created.status_code == 201, created.text
    cid = created.json()["id"]
    again = app_client.post(base, json={"name": "哈尔滨东站", "kind": "railway_station",
                                        "region_code": "230102"}, headers=staff["officer"])  # fmt: skip
    assert again.json()["code"] == "arrival.checkpoint_name_taken"
    outside = app_client.post(base, json={"name": "南岗卡口", "kind": "highway_exit",
                                          "region_code": NANGANG}, headers=staff["officer"])  # fmt: skip
    assert outside.json()["code"] == "arrival.checkpoint_region_invalid"
    added = app_client.post(f"{base}/{cid}/staff", json={"user_id": operator.id},
                            headers=staff["officer"])  # fmt: skip
    assert added.status_code == 201
    listed = app_client.get(f"{base}/{cid}", headers=staff["officer"]).json()
    assert [s["user_id"] for s in listed["staff"]] == [operator.id]
    assert app_client.get(f"{base}/{cid}", headers=staff["nangang"]).status_code == 404
    patched = app_client.patch(f"{base}/{cid}", json={"active": False}, headers=staff["officer"])
    assert patched.json()["active"] is False
    removed = app_client.delete(f"{base}/{cid}/staff/{operator.id}", headers=staff["officer"])
    assert removed.status_code == 204
    not_operator = app_client.post(f"{base}/{cid}/staff", json={"user_id": 1},
                                   headers=staff["officer"])  # fmt: skip
    assert not_operator.json()["code"] == "arrival.not_an_operator"
