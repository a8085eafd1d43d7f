"""A positive antigen stays red until its confirming single-tube NAT is uploaded negative; a
positive confirming NAT keeps it red (the case-candidate path)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from fangkong.models.testing import TestTask as Task
from fangkong.policy.types import Reason
from testing.citizen.helpers import citizen_headers, report
from testing.results.helpers import API, colour, line, open_reasons, staffed_lab
from testing.world import make_resident, make_tube


@pytest.fixture
def reported(app_client, session, settings, staff):
    person = make_resident(session, settings, name="赵抗原")
    headers = citizen_headers(session, person)
    session.commit()
    assert report(app_client, headers, result="positive").status_code == 201
    staffed_lab(session)
    tube = make_tube(session, [person], kind="single", capacity=1, purpose="confirm")
    session.commit()
    assert colour(session, person.id) == "red"
    return person, tube


def _upload(app_client, staff, tube, result, **ct):
    body = {"results": [line(tube, result, **ct)]}
    response = app_client.post(f"{API}/results", json=body, headers=staff["lab"])
    assert response.status_code == 200, response.text
    assert response.json()["rejected"] == 0


def test_a_negative_confirming_nat_ends_the_antigens_red(app_client, session, staff, reported):
    person, tube = reported
    _upload(app_client, staff, tube, "阴性")
    assert colour(session, person.id) == "green"
    assert Reason.CASE_PENDING.value not in open_reasons(session, person.id)
    [task] = session.scalars(select(Task).where(Task.person_id == person.id)).all()
    assert (task.status, task.result) == ("done", "negative")


def test_a_positive_confirming_nat_keeps_it_red(app_client, session, staff, reported):
    person, tube = reported
    _upload(app_client, staff, tube, "阳性", ct_orf1ab=25.0, ct_n=26.0)
    assert colour(session, person.id) == "red"
    assert Reason.CASE_PENDING.value in open_reasons(session, person.id)
