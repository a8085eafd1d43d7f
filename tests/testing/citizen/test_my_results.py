"""A citizen's own tubes and open tasks: newest first, results only once resulted, the lab's
name, and never another person's."""

from __future__ import annotations

from datetime import timedelta

from fangkong.core import clock
from fangkong.models.testing import TestTask as Task
from testing.citizen.helpers import RESULTS, citizen_headers
from testing.world import make_lab, make_resident, make_tube


def test_results_newest_first_with_lab_and_tasks(app_client, session, settings, world):
    me = make_resident(session, settings, name="孙一")
    neighbour = make_resident(session, settings, name="孙二")
    lab = make_lab(session)
    now = clock.now()
    old = make_tube(session, [me, neighbour], sampled_at=now - timedelta(days=2))
    old.status, old.result, old.lab_id = "resulted", "positive", lab.id
    old.tested_at = now - timedelta(days=1, hours=20)
    waiting = make_tube(session, [me], kind="single", capacity=1, purpose="retest")
    waiting.result = "negative"  # not yet "resulted": a citizen is not shown a half-stored result
    make_tube(session, [neighbour], kind="single", capacity=1)
    session.add(Task(person_id=me.id, kind="pool_retest", source_ref=f"tube:{old.id}"))
    session.add(Task(person_id=neighbour.id, kind="pool_retest", source_ref=f"tube:{old.id}"))
    session.add(
        Task(person_id=me.id, kind="antigen_confirm", source_ref="antigen:1", status="done")
    )
    headers = citizen_headers(session, me)
    session.commit()

    body = app_client.get(RESULTS, headers=headers).json()
    assert [r["tube_id"] for r in body["results"]] == [waiting.id, old.id]
    newest, oldest = body["results"]
    assert (newest["kind"], newest["purpose"], newest["result"], newest["lab"]) == (
        "single",
        "retest",
        None,
        None,
    )
    assert (oldest["kind"], oldest["result"], oldest["lab"]) == ("pooled", "positive", lab.name)
    assert oldest["tested_at"] is not None
    assert [t["kind"] for t in body["open_tasks"]] == ["pool_retest"]


def test_nothing_on_record(app_client, session, settings, world):
    me = make_resident(session, settings)
    headers = citizen_headers(session, me)
    session.commit()
    assert app_client.get(RESULTS, headers=headers).json() == {"results": [], "open_tasks": []}
