"""The purge: move the clock past each window; nothing personal is left past it, nothing inside
it is touched, each table that changed gets one audit row, and a second run changes nothing."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fangkong.core import clock
from fangkong.core.principal import SYSTEM
from fangkong.jobs import runner
from fangkong.jobs.catalog import all_jobs
from fangkong.models import (
    AuditLog,
    DuplicateCandidate,
    Household,
    KeyGroupMembership,
    LoginAttempt,
    Person,
    PersonAccess,
    WebSession,
)
from fangkong.models.audit import KEPT_AUDIT_KEYS
from fangkong.people import service as people
from fangkong.retention import service
from retention.support import DAY0, GRID, Registry, grid_counts, later, people_rows


def purge_audit(session: Session) -> dict[str, dict[str, object]]:
    rows = session.scalars(select(AuditLog).where(AuditLog.object_type == "retention"))
    return {row.object_id: {"action": row.action, **(row.after or {})} for row in rows}


def count(session: Session, model: type) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def run_purge(session: Session, settings, at) -> dict[str, int]:
    with clock.frozen(at):
        outcome = service.purge(session, settings=settings, run_for=clock.local_today())
    session.expire_all()
    return outcome["tables"]


def overdue(session: Session, settings, at) -> dict[str, int]:
    with clock.frozen(at):
        return service.overdue(session, settings=settings, run_for=clock.local_today())


def end_emergency(session: Session, settings, days_after_t0: int) -> None:
    with clock.frozen(later(days_after_t0)):
        service.end(session, actor=SYSTEM, settings=settings, ended_on=clock.local_today())


# --- windows counted from a timestamp ----------------------------------------------------


def test_nothing_is_due_inside_every_window(session, settings, registry):
    at = later(0) + timedelta(minutes=settings.session_idle_minutes - 1)
    assert set(overdue(session, settings, at).values()) == {0}
    done = run_purge(session, settings, at)
    assert set(done.values()) == {0}
    assert purge_audit(session) == {}
    assert count(session, PersonAccess) == count(session, LoginAttempt) == 1


def test_login_attempts_and_idle_sessions_go_after_their_settings_windows(
    session, settings, registry
):
    at = later(settings.retention_login_attempts_days) + timedelta(seconds=1)
    assert overdue(session, settings, at)["login_attempts"] == 1
    done = run_purge(session, settings, at)
    assert done["login_attempts"] == 1 and done["web_sessions"] == 1
    assert count(session, LoginAttempt) == count(session, WebSession) == 0
    assert count(session, PersonAccess) == 1  # its window is longer
    audit = purge_audit(session)
    assert audit["login_attempts"]["action"] == "retention.delete"
    assert audit["login_attempts"]["rows"] == 1
    assert audit["login_attempts"]["window"] == "FANGKONG_RETENTION_LOGIN_ATTEMPTS_DAYS"


def test_access_log_deleted_and_audit_masked_after_their_windows(session, settings, registry):
    days = settings.retention_access_log_days
    with clock.frozen(later(days - 1)):  # a newer access, inside its window at the purge
        people.get_person(session, actor=SYSTEM, person_id=registry.people[1])
    at = later(days) + timedelta(minutes=1)
    assert overdue(session, settings, at)["person_access_log"] == 1
    done = run_purge(session, settings, at)
    assert done["person_access_log"] == 1
    [kept] = session.scalars(select(PersonAccess)).all()
    assert kept.person_id == registry.people[1]
    assert done["audit_log"] >= 4  # household, two people, a key group
    assert overdue(session, settings, at) == dict.fromkeys(done, 0)


def test_masked_audit_rows_keep_who_did_what_but_no_personal_values(session, settings, registry):
    with clock.frozen(later(1)):
        region_rename = AuditLog(
            at=clock.now(),
            actor_name="admin",
            action="region.rename",
            object_type="region",
            object_id="230102",
            after={"name": "道里区"},
        )
        session.add(region_rename)
        session.flush()
    run_purge(session, settings, later(settings.retention_audit_mask_days + 2))
    rows = session.scalars(select(AuditLog).where(AuditLog.object_type != "retention")).all()
    created = [r for r in rows if r.action == "person.create"]
    assert len(created) == 2
    for row in created:
        assert row.masked_at is not None and row.actor_name and row.object_id
        assert set(row.after or {}) <= KEPT_AUDIT_KEYS
        assert "name" not in (row.after or {}) and "address" not in (row.after or {})
        assert row.after is not None and row.after["grid_code"] == GRID  # kept keys stay
    [key_group] = [r for r in rows if r.action == "person.key_group_add"]
    assert key_group.after == {"group": "delivery"}  # the employer is gone
    session.refresh(region_rename)
    assert region_rename.after == {"name": "道里区"}  # exempt type, kept whole
    assert region_rename.masked_at is not None


def test_audit_rows_inside_the_window_stay_whole(session, settings, registry):
    days = settings.retention_audit_mask_days
    with clock.frozen(later(days - 1)):
        recent = AuditLog(
            at=clock.now(),
            actor_name="officer",
            action="person.update",
            object_type="person",
            object_id=str(registry.people[0]),
            after={"name": "李测试", "flag": True},
        )
        session.add(recent)
        session.flush()
    run_purge(session, settings, later(days + 1))
    session.refresh(recent)
    assert recent.after == {"name": "李测试", "flag": True} and recent.masked_at is None


def test_second_run_changes_nothing_and_writes_no_audit_row(session, settings, registry):
    at = later(settings.retention_audit_mask_days + 1)
    first = run_purge(session, settings, at)
    assert any(first.values())
    audit_rows = count(session, AuditLog)
    again = run_purge(session, settings, at)
    assert set(again.values()) == {0}
    assert count(session, AuditLog) == audit_rows


def test_a_date_in_the_future_purges_nothing_early(session, settings, registry):
    with clock.frozen(later(0) + timedelta(minutes=1)):
        outcome = service.purge(session, settings=settings, run_for=DAY0 + timedelta(days=3650))
    assert outcome["day"] == DAY0.isoformat()
    assert set(outcome["tables"].values()) == {0}


# --- the person registry after the end of the emergency -----------------------------------


def test_registry_untouched_while_the_countdown_runs(session, settings, registry):
    end_emergency(session, settings, 10)
    window = service.current(session, settings=settings).countdown_days
    at = later(10 + window - 1)
    assert "people" not in overdue(session, settings, at)
    run_purge(session, settings, at)
    rows = people_rows(session, registry.people)
    assert [p.name for p in rows] == ["张测试", "张测试"]
    assert count(session, DuplicateCandidate) == 1


def test_registry_deidentified_when_the_countdown_runs_out(session, settings, registry):
    end_emergency(session, settings, 10)
    window = service.current(session, settings=settings).countdown_days
    at = later(10 + window)
    assert overdue(session, settings, at)["people"] == 2
    done = run_purge(session, settings, at)
    assert (done["people"], done["households"], done["key_group_memberships"]) == (2, 1, 1)
    assert done["duplicate_candidates"] == 1
    _assert_deidentified(session, registry)
    assert overdue(session, settings, at) == dict.fromkeys(done, 0)
    audit = purge_audit(session)
    assert audit["people"]["action"] == "retention.deidentify" and audit["people"]["rows"] == 2
    assert audit["people"]["window"] == "policy retention.registry_days_after_end"
    assert audit["duplicate_candidates"]["action"] == "retention.delete"


def _assert_deidentified(session: Session, registry: Registry) -> None:
    rows = people_rows(session, registry.people)
    assert len(rows) == 2  # rows stay, so the counts built on them stay
    for person in rows:
        assert (person.name, person.id_number_masked, person.id_number_enc) == ("***", "***", b"")
        assert person.id_number_hash == f"purged:{person.id}"
        assert person.phone_enc is person.phone_hash is person.phone_masked is None
        assert person.address is person.match_key is person.registration_code is None
        assert person.grid_code == GRID and person.household_id == registry.household
    assert rows[0].migrant is True  # the flags the counts read are kept
    household = session.get(Household, registry.household)
    assert household is not None and (household.address, household.ref) == ("***", None)
    [membership] = session.scalars(select(KeyGroupMembership)).all()
    assert membership.employer is None and membership.person_id == registry.people[0]
    assert count(session, DuplicateCandidate) == 0


def test_counts_stay_consistent_after_deidentification(session, settings, registry):
    end_emergency(session, settings, 0)
    window = service.current(session, settings=settings).countdown_days
    run_purge(session, settings, later(window))
    assert grid_counts(session, GRID) == registry.counts
    with clock.frozen(later(window)):
        people.recount_all(session)
    assert grid_counts(session, GRID) == registry.counts  # a recount finds the same numbers


def test_undone_end_stops_the_countdown(session, settings, registry):
    end_emergency(session, settings, 0)
    with clock.frozen(later(1)):
        service.undo(session, actor=SYSTEM, settings=settings)
    window = service.current(session, settings=settings).countdown_days
    run_purge(session, settings, later(window + 1))
    assert [p.name for p in people_rows(session, registry.people)] == ["张测试", "张测试"]


def test_every_declared_table_has_nothing_personal_past_its_window(session, settings, registry):
    """The issue's check: advance the clock beyond every window, purge, count what is left."""
    end_emergency(session, settings, 0)
    at = later(settings.retention_audit_mask_days + 365)
    assert sum(overdue(session, settings, at).values()) > 0
    run_purge(session, settings, at)
    left = overdue(session, settings, at)
    assert set(left) >= {"people", "households", "audit_log", "person_access_log"}
    assert left == dict.fromkeys(left, 0)
    assert session.scalar(select(func.count()).where(Person.name != "***")) == 0


def test_the_job_runs_through_the_runner(db, settings, session, registry):
    session.commit()
    with clock.frozen(later(2)):
        outcome = runner.run(db, settings, all_jobs()["purge"], DAY0 + timedelta(days=2))
    assert outcome["tables"]["login_attempts"] == 1
    assert outcome["emergency_ended_on"] is None
