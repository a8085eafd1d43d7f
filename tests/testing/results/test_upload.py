"""Result uploads through the API: negatives, positive pools and their retests, positive
single tubes, re-sent files, conflicts and their settling."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from fangkong.cases.events import CasesReported
from fangkong.core import clock, events
from fangkong.healthcode import service as healthcode
from fangkong.healthcode.events import FactRaised
from fangkong.models.cases import Case
from fangkong.models.healthcode import NatNegative
from fangkong.models.testing import TestTask as Task
from fangkong.models.testing import Tube, TubeResult
from fangkong.policy.types import Reason
from fangkong.testing.events import CaseCandidate, CaseCandidates
from testing.results.helpers import API, colour, line, open_reasons, staffed_lab
from testing.world import make_resident, make_tube


def _pool(session, settings, size=10, **tube):
    people = [make_resident(session, settings, name=f"居民{i}") for i in range(size)]
    made = make_tube(session, people, **tube)
    session.commit()
    return people, made


def _post(app_client, staff, *lines, lab_id=None):
    body = {"results": list(lines)} | ({"lab_id": lab_id} if lab_id else {})
    response = app_client.post(f"{API}/results", json=body, headers=staff["lab"])
    assert response.status_code == 200, response.text
    return response.json()


def _count(session, model):
    return session.scalar(select(func.count()).select_from(model))


def test_negative_pool_records_every_member_and_a_resent_file_changes_nothing(
    app_client, session, settings, staff
):
    lab = staffed_lab(session)
    people, tube = _pool(session, settings)
    report = _post(app_client, staff, line(tube, "阴性"))
    assert (report["accepted"], report["negative_tubes"], report["rejected"]) == (1, 1, 0)
    session.expire_all()
    stored = session.get(Tube, tube.id)
    assert (stored.status, stored.result, stored.lab_id) == ("resulted", "negative", lab.id)
    for person in people:
        negative = session.get(NatNegative, person.id)
        assert negative is not None and negative.sampled_at == tube.sampled_at
    rows = _count(session, TubeResult)
    again = _post(app_client, staff, line(tube, "阴性", at=stored.tested_at))
    assert (again["accepted"], again["unchanged"], again["conflicts"]) == (0, 1, 0)
    assert _count(session, TubeResult) == rows


def test_positive_pool_turns_members_yellow_and_each_retest_resolves_its_own(
    app_client, session, settings, staff
):
    staffed_lab(session)
    people, pool = _pool(session, settings, size=3)
    report = _post(app_client, staff, line(pool, "阳性", ct_orf1ab=28.5, ct_n=30))
    assert (report["positive_tubes"], report["retest_tasks"]) == (1, 3)
    for person in people:
        assert colour(session, person.id) == "yellow"
        assert "testing.pool_positive" in open_reasons(session, person.id)
    tasks = session.scalars(select(Task).where(Task.source_ref == f"tube:{pool.id}")).all()
    assert sorted(t.person_id for t in tasks) == sorted(p.id for p in people)

    retest = make_tube(session, [people[0]], kind="single", capacity=1, purpose="retest",
                       sampled_at=clock.now())  # fmt: skip
    session.commit()
    _post(app_client, staff, line(retest, "阴性"))
    assert colour(session, people[0].id) == "green"
    assert colour(session, people[1].id) == "yellow"
    session.expire_all()
    done = session.scalars(select(Task).where(Task.person_id == people[0].id)).one()
    assert (done.status, done.result, done.done_tube_id) == ("done", "negative", retest.id)


def test_a_pooled_negative_does_not_lift_a_positive_pool(app_client, session, settings, staff):
    staffed_lab(session)
    people, pool = _pool(session, settings, size=2)
    _post(app_client, staff, line(pool, "阳性", ct_n=25))
    later = make_tube(session, people, sampled_at=clock.now())
    session.commit()
    _post(app_client, staff, line(later, "阴性"))
    assert colour(session, people[0].id) == "yellow"
    assert "testing.pool_positive" in open_reasons(session, people[0].id)


def test_positive_single_tube_is_a_case_candidate(app_client, session, settings, staff):
    staffed_lab(session)
    [person], tube = _pool(session, settings, size=1, kind="single", capacity=1)
    seen: list[CaseCandidate] = []

    def handler(_session, event):
        seen.extend(event.candidates)

    events.subscribe(CaseCandidates)(handler)
    try:
        report = _post(app_client, staff, line(tube, None, ct_orf1ab=22.0, ct_n=23.5))
    finally:
        events.unsubscribe(CaseCandidates, handler)
    assert report["positive_tubes"] == 1
    assert [(c.person_id, c.tube_id, c.ct_n) for c in seen] == [(person.id, tube.id, 23.5)]
    assert "case.pending_confirmation" in open_reasons(session, person.id)
    assert colour(session, person.id) == "red"


def test_an_uploads_positive_single_tubes_are_reported_as_one_batch(
    app_client, session, settings, staff
):
    """Two positive single tubes in one file: one ``CaseCandidates`` with both people, then
    two pending cases reported in one ``CasesReported``."""
    staffed_lab(session)
    tubes = [_pool(session, settings, size=1, kind="single", capacity=1) for _ in range(2)]
    seen: list[object] = []

    def handler(_session, event):
        seen.append(event)

    for kind in (CaseCandidates, CasesReported):
        events.subscribe(kind)(handler)
    try:
        lines = [line(tube, None, ct_orf1ab=22.0, ct_n=23.5) for _, tube in tubes]
        report = _post(app_client, staff, *lines)
    finally:
        for kind in (CaseCandidates, CasesReported):
            events.unsubscribe(kind, handler)
    people = sorted(person.id for [person], _ in tubes)
    assert report["positive_tubes"] == 2
    # The registry's handler runs first (subscribed at import): the cases come out inside
    # the candidates' publication.
    reported, candidates = seen
    assert isinstance(reported, CasesReported) and isinstance(candidates, CaseCandidates)
    assert sorted(c.person_id for c in candidates.candidates) == people
    assert sorted(c.person_id for c in reported.cases) == people
    assert {c.kind for c in reported.cases} == {None}  # pending: the experts classify them
    assert _count(session, Case) == 2


def test_result_follows_the_editions_ct_threshold(app_client, session, settings, staff):
    staffed_lab(session)
    threshold = healthcode.current_edition(session).testing.positive_ct_threshold
    _, below = _pool(session, settings, size=1)
    _, at = _pool(session, settings, size=1)
    report = _post(app_client, staff, line(below, None, ct_n=threshold - 0.1),
                   line(at, None, ct_n=threshold, ct_orf1ab=threshold))  # fmt: skip
    assert (report["positive_tubes"], report["negative_tubes"]) == (1, 1)


def test_conflicting_result_is_flagged_not_overwritten_then_settled(
    app_client, session, settings, staff
):
    staffed_lab(session)
    people, tube = _pool(session, settings, size=2)
    first = line(tube, "阴性")
    _post(app_client, staff, first)
    second = line(tube, "阳性", ct_n=20)
    report = _post(app_client, staff, second)
    assert (report["conflicts"], report["accepted"]) == (1, 0)
    session.expire_all()
    stored = session.get(Tube, tube.id)
    assert (stored.result, stored.conflict) == ("negative", True)
    assert colour(session, people[0].id) != "yellow"
    assert _post(app_client, staff, second)["unchanged"] == 1  # the same conflict again

    listed = app_client.get(f"{API}/results/conflicts", headers=staff["officer"]).json()
    assert [(c["tube_id"], c["result"], c["stored_result"]) for c in listed] == [
        (tube.id, "positive", "negative")
    ]
    url = f"{API}/results/conflicts/{listed[0]['id']}/resolve"
    settled = app_client.post(url, json={"action": "replace"}, headers=staff["officer"])
    assert settled.status_code == 200, settled.text
    session.expire_all()
    stored = session.get(Tube, tube.id)
    assert (stored.result, stored.conflict) == ("positive", False)
    assert colour(session, people[0].id) == "yellow"
    again = app_client.post(url, json={"action": "keep"}, headers=staff["officer"])
    assert again.status_code == 404
    assert again.json()["code"] == "testing.conflict_not_found"


def test_keep_settles_a_conflict_without_changing_the_tube(app_client, session, settings, staff):
    staffed_lab(session)
    _, tube = _pool(session, settings, size=1)
    _post(app_client, staff, line(tube, "阴性"))
    _post(app_client, staff, line(tube, "阴性", ct_n=41.0, ct_orf1ab=42.0))
    [listed] = app_client.get(f"{API}/results/conflicts", headers=staff["officer"]).json()
    url = f"{API}/results/conflicts/{listed['id']}/resolve"
    kept = app_client.post(url, json={"action": "keep"}, headers=staff["officer"])
    assert kept.status_code == 200
    session.expire_all()
    stored = session.get(Tube, tube.id)
    assert (stored.ct_n, stored.conflict) == (None, False)
    assert app_client.get(f"{API}/results/conflicts", headers=staff["officer"]).json() == []


def test_a_pooled_negative_ends_other_lifted_facts_and_keeps_the_newest_negative(
    app_client, session, settings, staff
):
    staffed_lab(session)
    people, pool = _pool(session, settings, size=2, sampled_at=clock.now() - timedelta(hours=5))
    overdue = FactRaised(people[0].id, Reason.KEY_GROUP_OVERDUE, "test", "overdue")
    events.publish(session, overdue)
    newer = clock.now() - timedelta(hours=1)
    session.add(NatNegative(person_id=people[1].id, sampled_at=newer, source="officer"))
    session.commit()
    assert colour(session, people[0].id) == "yellow"
    _post(app_client, staff, line(pool, "阴性"))
    assert "key_group.test_overdue" in open_reasons(session, people[0].id)  # raised after
    session.expire_all()
    assert session.get(NatNegative, people[1].id).sampled_at == newer
    later = make_tube(session, people, sampled_at=clock.now())
    session.commit()
    _post(app_client, staff, line(later, "阴性"))
    assert colour(session, people[0].id) == "green"
    assert open_reasons(session, people[0].id) == set()
    session.expire_all()
    assert session.get(NatNegative, people[1].id).sampled_at == later.sampled_at


def test_replacing_a_positive_pool_by_a_negative_cancels_its_retest_tasks(
    app_client, session, settings, staff
):
    staffed_lab(session)
    people, tube = _pool(session, settings, size=2)
    _post(app_client, staff, line(tube, "阳性", ct_n=20))
    _post(app_client, staff, line(tube, "阴性"))
    tasks = f"{API}/tasks"
    opened = app_client.get(tasks, params={"status": "open"}, headers=staff["officer"]).json()
    assert len(opened["items"]) == 2
    [listed] = app_client.get(f"{API}/results/conflicts", headers=staff["officer"]).json()
    url = f"{API}/results/conflicts/{listed['id']}/resolve"
    assert app_client.post(url, json={"action": "replace"}, headers=staff["officer"]).is_success
    still = app_client.get(tasks, params={"status": "open"}, headers=staff["officer"]).json()
    cancelled = app_client.get(tasks, params={"status": "cancelled"}, headers=staff["officer"])
    assert still["items"] == []
    assert sorted(t["person_id"] for t in cancelled.json()["items"]) == sorted(p.id for p in people)
    assert colour(session, people[0].id) == "green"


def test_one_upload_lifts_each_members_own_facts_and_recomputes_each_once(
    app_client, session, settings, staff
):
    """A pooled tube's negative ends, for each member, the facts that began before the
    sampling and a pooled negative ends (a missed round, a key-group test overdue), not a
    positive pool's, nor a fact raised after the sampling; each code recomputed."""
    staffed_lab(session)
    people = [make_resident(session, settings, name=f"居民{i}") for i in range(4)]
    earlier = clock.now() - timedelta(hours=3)
    with clock.frozen(earlier):
        for person, reason in zip(people, (Reason.SCREENING_MISSED, Reason.KEY_GROUP_OVERDUE,
                                           Reason.POOL_POSITIVE), strict=False):  # fmt: skip
            events.publish(session, FactRaised(person.id, reason, "test", "before"))
    tube = make_tube(session, people, sampled_at=earlier + timedelta(hours=1))
    events.publish(session, FactRaised(people[3].id, Reason.SCREENING_MISSED, "test", "after"))
    session.commit()
    assert [colour(session, p.id) for p in people] == ["yellow"] * 4
    _post(app_client, staff, line(tube, "阴性"))
    session.expire_all()
    assert [colour(session, p.id) for p in people] == ["green", "green", "yellow", "yellow"]
    assert [open_reasons(session, p.id) for p in people] == [
        set(), set(), {"testing.pool_positive"}, {"testing.missed_screening"}]  # fmt: skip
