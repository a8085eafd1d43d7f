"""The overdue escalation (``care.escalate``): open requests past their deadline are marked
escalated once, emergencies first, with an audit row; a done one never; each actor escalates
only their jurisdiction; the list's escalated filter and mark and the tab count; the command
that runs it once."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from care.conftest import NANGANG_GRID, make_resident, officer_of, seal
from care.test_views import login
from fangkong.care import jobs
from fangkong.care.kinds import RequestKind
from fangkong.care.requests import service
from fangkong.care.requests.schemas import RequestCreate
from fangkong.core import clock
from fangkong.models import AuditLog
from fangkong.models.care import CareRequest

pytestmark = pytest.mark.usefixtures("districts")
DAOLI = officer_of("230102")
NANGANG = officer_of("230103")


def ask(session, settings, person, kind="food", actor=DAOLI) -> CareRequest:
    data = RequestCreate(person_id=person.id, kind=RequestKind(kind), text="需要帮助")
    return service.ask(session, actor=actor, settings=settings, data=data)


def escalations(session) -> int:
    statement = select(func.count()).where(AuditLog.action == "care.request_escalate")
    return session.scalar(statement.select_from(AuditLog))


@pytest.fixture
def asked(session, settings):
    """In 道里: a food request, a medical emergency and a done food request, all asked now;
    in 南岗: a medical emergency."""
    person = make_resident(session, settings)
    seal(session)
    food, medical, done = (ask(session, settings, person, k) for k in ("food", "medical", "food"))
    service.complete(session, actor=DAOLI, request_id=done.id, outcome="已送达")
    other = ask(session, settings, make_resident(session, settings, NANGANG_GRID), "medical",
                NANGANG)  # fmt: skip
    return {"food": food, "medical": medical, "done": done, "nangang": other}


def test_a_request_past_due_is_escalated_once(session, asked):
    assert service.escalate_overdue(session, actor=DAOLI).escalated == 0  # none due yet
    later = clock.now() + timedelta(days=3)
    first = service.escalate_overdue(session, actor=DAOLI, at=later)
    assert first.ids == [asked["medical"].id, asked["food"].id]  # emergencies first
    assert (first.escalated, first.emergencies) == (2, 1)
    assert asked["food"].escalated_at == later and asked["done"].escalated_at is None
    assert escalations(session) == 2
    again = service.escalate_overdue(session, actor=DAOLI, at=later + timedelta(hours=1))
    assert again.escalated == 0 and asked["food"].escalated_at == later
    assert escalations(session) == 2
    assert service.escalated_count(session, actor=DAOLI) == 2
    service.complete(session, actor=DAOLI, request_id=asked["food"].id, outcome="已送达")
    assert service.escalated_count(session, actor=DAOLI) == 1  # the count is of open ones


def test_a_done_request_is_never_escalated(session, asked):
    later = clock.now() + timedelta(days=30)
    service.escalate_overdue(session, actor=DAOLI, at=later)
    assert asked["done"].escalated_at is None
    where = service.RequestFilter(escalated=True)
    rows = service.export_rows(session, actor=DAOLI, where=where, after=None, limit=10)[0]
    assert {r[0] for r in rows} == {asked["food"].id, asked["medical"].id}


def test_escalation_is_scoped_and_the_job_covers_the_city(session, settings, asked):
    later = clock.now() + timedelta(days=3)
    assert asked["nangang"].id not in service.escalate_overdue(session, actor=DAOLI, at=later).ids
    assert asked["nangang"].escalated_at is None
    assert service.escalated_count(session, actor=NANGANG) == 0
    with clock.frozen(later):
        outcome = jobs.escalate(session, settings, later.date())
    assert outcome == {"escalated": 1, "emergencies": 1}
    assert asked["nangang"].escalated_at is not None
    assert service.escalated_count(session, actor=DAOLI) == 2


def test_the_list_filters_and_marks_escalated_requests(app_client, session, asked):
    service.escalate_overdue(session, actor=DAOLI, at=clock.now() + timedelta(days=3))
    login(app_client, session)
    page = app_client.get("/care/requests?escalated=yes&lang=en")
    assert page.status_code == 200
    table = page.text.split('data-testid="care-requests"')[1]
    assert table.count('data-testid="escalated"') == 2 and "/care/requests/" in table
    assert f'href="/care/requests/{asked["done"].id}"' not in table
    assert 'data-testid="escalated-count"' in page.text
    count = page.text.split('data-testid="escalated-count"')[1].split("</a>")[0]
    assert count.rsplit(">", 1)[1].strip() == "2"
    assert 'data-testid="escalated-count"' in app_client.get("/care/teams").text
    everything = app_client.get("/care/requests").text.split('data-testid="care-requests"')[1]
    assert f'href="/care/requests/{asked["done"].id}"' in everything


def test_the_api_filters_escalated(app_client, session, settings, officers, asked):
    service.escalate_overdue(session, actor=DAOLI, at=clock.now() + timedelta(days=3))
    session.commit()
    found = app_client.get("/api/v1/care/requests", params={"escalated": "true"},
                           headers=officers["daoli"]).json()["items"]  # fmt: skip
    assert [r["id"] for r in found] == [asked["medical"].id, asked["food"].id]
    assert all(r["escalated_at"] for r in found)


def test_the_command_runs_it_once(cli_home):
    [ran, bad] = cli_home.run(("care", "escalate", "--json"), ("care", "escalate", "--region", "x"))
    assert ran.returncode == 0, ran.stderr
    assert json.loads(ran.stdout) == {"escalated": 0, "emergencies": 0, "ids": []}
    assert bad.returncode == 2 and len(bad.stderr.strip().splitlines()) == 1
    [listed] = cli_home.run(("jobs", "list"))
    assert "care.escalate" in listed.stdout
