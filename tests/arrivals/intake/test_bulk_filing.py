"""Arrival reports filed together: a queue of residents' own reports and a checkpoint
device's upload. Each report is checked and audited as one filed alone; a bad one files none."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from arrivals.intake.helpers import NINTH, activate, journey, trips_of
from arrivals.world import make_resident
from fangkong.arrivals.intake import errors, service
from fangkong.arrivals.intake.schemas import CheckpointScan, SelfReport
from fangkong.citizens import personal_code
from fangkong.core import clock
from fangkong.core.principal import Principal
from fangkong.models import User
from fangkong.models.arrivals import ArrivalReport, Checkpoint, CheckpointStaff
from fangkong.models.audit import AuditLog


def _reports(session) -> int:
    return session.scalar(select(func.count()).select_from(ArrivalReport))


def _gate(session) -> tuple[Principal, int]:
    """The checkpoint's staff member (``staff['gate']``) and the checkpoint's id."""
    user, checkpoint_id = session.execute(
        select(User, CheckpointStaff.checkpoint_id).join(
            CheckpointStaff, CheckpointStaff.user_id == User.id)
    ).one()  # fmt: skip
    actor = Principal(id=user.id, username=user.username, role=user.role,
                      region_code=user.region_code)  # fmt: skip
    return actor, checkpoint_id


def test_residents_own_reports_filed_together(session, settings, staff):
    activate(session, NINTH)
    first, second = make_resident(session, settings), make_resident(session, settings)
    items = [(first.id, SelfReport(**journey(hours_ago=3))),
             (second.id, SelfReport(**journey(hours_ago=2))),
             (first.id, SelfReport(**journey(hours_ago=1)))]  # fmt: skip
    filed = service.self_reports(session, items)
    assert [r.person_id for r in filed] == [first.id, second.id, first.id]
    assert len(trips_of(session, first)) == 1  # two reports of one arrival, merged
    assert filed[0].trip_id == filed[2].trip_id != filed[1].trip_id
    actors = session.scalars(select(AuditLog.actor_name).where(
        AuditLog.action == "arrival.report_self").order_by(AuditLog.id)).all()  # fmt: skip
    assert actors == [f"citizen:{first.id}", f"citizen:{second.id}", f"citizen:{first.id}"]


def test_one_unknown_resident_files_none(session, settings, staff):
    person = make_resident(session, settings)
    session.commit()
    items = [(person.id, SelfReport(**journey())), (999_999, SelfReport(**journey()))]
    with pytest.raises(errors.PersonNotFound):
        service.self_reports(session, items)
    session.rollback()
    assert _reports(session) == 0


def test_an_upload_checks_each_code_at_its_scans_minute(session, settings, staff):
    """A code shown at the door two hours ago was valid then (five minutes): the upload
    takes it, where a live scan now would refuse it as expired; a code already expired at
    its scan's minute refuses the whole upload."""
    activate(session, NINTH)
    gate, checkpoint_id = _gate(session)
    people = [make_resident(session, settings) for _ in range(2)]
    at = clock.now() - timedelta(hours=2)

    def scan(person, issued) -> CheckpointScan:
        code = personal_code.issue(settings, person.id, issued, 5).payload
        return CheckpointScan(**journey(hours_ago=2) | {"arrived_at": at.isoformat()},
                              checkpoint_id=checkpoint_id, personal_code=code)  # fmt: skip

    session.commit()
    scans = [scan(people[0], at), scan(people[1], at - timedelta(minutes=1))]
    filed = service.checkpoint_scans(session, settings, actor=gate, scans=scans)
    assert [(r.person_id, r.channel, r.checkpoint_id) for r in filed] == [
        (people[0].id, "checkpoint", checkpoint_id), (people[1].id, "checkpoint", checkpoint_id)]  # fmt: skip
    session.commit()
    with pytest.raises(personal_code.PersonalCodeExpired):
        service.checkpoint_scan(session, settings, actor=gate, data=scans[0])
    session.rollback()
    stale = scan(people[1], at - timedelta(minutes=10))
    with pytest.raises(personal_code.PersonalCodeExpired):
        service.checkpoint_scans(session, settings, actor=gate, scans=[scans[0], stale])
    session.rollback()
    assert _reports(session) == 2
    assert session.scalar(select(func.count()).select_from(Checkpoint)) == 1
