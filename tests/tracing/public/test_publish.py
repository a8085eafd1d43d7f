"""Publishing a case's trajectory: all stops but the home (dropped and counted), a picked home
stop refused, the label 病例N of the day by default, nothing that names the person; listing,
withdrawing (once), and the public answer that shows no case, name, ID or phone."""

from __future__ import annotations

from sqlalchemy import func, select

from fangkong.models import AuditLog, Person
from fangkong.models.tracing import Publication, PublishedStop
from fangkong.people.protect import Protector
from fangkong.tracing.trajectories import service as trajectories
from outbreak_world import ADMIN
from tracing.public.helpers import CASE_NAME, HOME, case_with_places

PUBLICATIONS, PUBLIC = "/api/v1/publications", "/api/v1/public/trajectories"


def test_publishing_all_drops_the_home_and_labels_the_day(app_client, session, settings, staff):
    case = case_with_places(session, settings)
    session.commit()
    response = app_client.post(PUBLICATIONS, json={"case_id": case.id}, headers=staff["officer"])
    assert response.status_code == 201, response.text
    body = response.json()
    assert [s["place"] for s in body["stops"]] == ["老街饺子馆", "光影影院"]
    assert (body["label"], body["dropped_home"]) == ("病例1", 1)
    second = app_client.post(PUBLICATIONS, json={"case_id": case.id}, headers=staff["officer"])
    assert second.json()["label"] == "病例2"
    assert session.scalar(select(func.count(AuditLog.id)).where(
        AuditLog.action == "publication.published")) == 2  # fmt: skip


def test_a_picked_home_stop_or_unknown_stop_is_refused(app_client, session, settings, staff):
    case = case_with_places(session, settings)
    session.commit()
    stops = trajectories.trajectory_of(session, actor=ADMIN, case_id=case.id)
    home = next(s.ref for s in stops if s.place == HOME)
    for refs, code in (
        ([home], "publication.home_stop"),
        (["scan:99999999"], "publication.unknown_stop"),
    ):
        response = app_client.post(PUBLICATIONS, json={"case_id": case.id, "refs": refs},
                                   headers=staff["officer"])  # fmt: skip
        assert (response.status_code, response.json()["code"]) == (422, code)
    picked = app_client.post(
        PUBLICATIONS,
        json={"case_id": case.id, "refs": [stops[0].ref], "label": "本土病例3"},
        headers=staff["officer"],
    )
    assert [s["place"] for s in picked.json()["stops"]] == ["老街饺子馆"]
    assert picked.json()["label"] == "本土病例3"


def test_a_label_naming_the_person_or_a_number_is_refused(app_client, session, settings, staff):
    case = case_with_places(session, settings)
    session.commit()
    for label in (f"{CASE_NAME}的轨迹", "病例13700001234"):
        response = app_client.post(PUBLICATIONS, json={"case_id": case.id, "label": label},
                                   headers=staff["officer"])  # fmt: skip
        assert response.json()["code"] == "publication.personal_data"
    assert session.scalar(select(func.count(Publication.id))) == 0
    assert session.scalar(select(func.count(PublishedStop.id))) == 0


def test_withdraw_once_and_the_public_answer_shows_no_one(app_client, session, settings, staff):
    case = case_with_places(session, settings)
    session.commit()
    published = app_client.post(PUBLICATIONS, json={"case_id": case.id}, headers=staff["officer"])
    public = app_client.get(PUBLIC)
    assert public.status_code == 200
    [item] = public.json()
    assert item["label"] == "病例1" and item["district_code"] == "230102"
    assert "case_id" not in item and set(item) == {
        "label",
        "district_code",
        "district",
        "published_at",
        "stops",
    }
    person = session.get(Person, case.person_id)
    number = Protector(settings.data_key_bytes).open_id(person.id_number_enc)
    for secret in (CASE_NAME, number, "13700001234", HOME):
        assert secret not in public.text
    url = f"{PUBLICATIONS}/{published.json()['id']}/withdraw"
    assert app_client.post(url, headers=staff["officer"]).json()["withdrawn_at"] is not None
    again = app_client.post(url, headers=staff["officer"])
    assert (again.status_code, again.json()["code"]) == (409, "publication.already_withdrawn")
    assert app_client.get(PUBLIC).json() == []
    listed = app_client.get(PUBLICATIONS, params={"active": "false"}, headers=staff["epi"])
    assert [p["label"] for p in listed.json()["items"]] == ["病例1"]
