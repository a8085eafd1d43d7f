"""A positive single tube, uploaded through the real testing service, makes exactly one pending
case with the right channel; a second positive tube only adds a history step."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from cases.helpers import API, open_reasons
from factories import auth_headers, make_user
from fangkong.models.cases import Case, CaseEvent
from fangkong.models.testing import LabMember
from fangkong.policy.types import Reason
from outbreak_world import make_case, make_contact, make_placement
from testing.results.helpers import line
from testing.world import make_lab, make_resident, make_tube

RESULTS = "/api/v1/testing/results"


@pytest.fixture
def lab(session, settings, world):
    lab = make_lab(session)
    user = make_user(session, role="lab", region_code="230102")
    session.add(LabMember(lab_id=lab.id, user_id=user.id))
    session.commit()
    return auth_headers(settings, user)


def _positive(app_client, session, lab, person, purpose="screening"):
    tube = make_tube(session, [person], kind="single", capacity=1, purpose=purpose)
    session.commit()
    body = {"results": [line(tube, "阳性", ct_orf1ab=31.5, ct_n=28.0)]}
    response = app_client.post(RESULTS, json=body, headers=lab)
    assert response.status_code == 200, response.text
    assert response.json()["rejected"] == 0
    return tube


def _cases(session, person):
    session.expire_all()
    return session.scalars(select(Case).where(Case.person_id == person.id)).all()


def test_a_positive_single_tube_makes_one_pending_case(app_client, session, settings, lab):
    person = make_resident(session, settings, name="钱阳性")
    tube = _positive(app_client, session, lab, person)
    [case] = _cases(session, person)
    assert (case.status, case.kind, case.source) == ("pending", None, "nat")
    assert (case.tube_id, case.ct_value, case.channel) == (tube.id, 28.0, "community_screening")
    assert case.region_code == person.grid_code
    _positive(app_client, session, lab, person)
    assert len(_cases(session, person)) == 1
    kinds = session.scalars(select(CaseEvent.kind).where(CaseEvent.case_id == case.id)).all()
    assert kinds == ["created", "candidate"]


def test_under_control_when_placed(app_client, session, settings, lab):
    person = make_resident(session, settings, name="孙隔离")
    make_placement(session, person)
    _positive(app_client, session, lab, person)
    assert [c.channel for c in _cases(session, person)] == ["under_control"]


def test_under_control_when_an_open_confirmed_contact(app_client, session, settings, lab):
    source = make_resident(session, settings, name="李源头")
    person = make_resident(session, settings, name="周密接")
    make_contact(session, person, make_case(session, source))
    _positive(app_client, session, lab, person)
    assert [c.channel for c in _cases(session, person)] == ["under_control"]


def test_key_group_tube(app_client, session, settings, lab):
    person = make_resident(session, settings, name="吴重点")
    _positive(app_client, session, lab, person, purpose="key_group")
    assert [c.channel for c in _cases(session, person)] == ["key_group"]


def test_classifying_swaps_the_pending_fact_for_case_positive(app_client, session, settings, lab,
                                                              staff):  # fmt: skip
    person = make_resident(session, settings, name="郑复核")
    _positive(app_client, session, lab, person)
    [case] = _cases(session, person)
    assert Reason.CASE_PENDING.value in open_reasons(session, person.id)
    response = app_client.post(f"{API}/{case.id}/classify", json={"kind": "asymptomatic"},
                               headers=staff["epi"])  # fmt: skip
    assert response.status_code == 200, response.text
    reasons = open_reasons(session, person.id)
    assert Reason.CASE_POSITIVE.value in reasons and Reason.CASE_PENDING.value not in reasons
