"""The landing test (落地即检) is done when the person is sampled at or after the arrival: by
the ``PeopleSampled`` event the sampling service publishes (``TubesSampled`` for a bulk
sampling), and by the hourly sweep; a tube
sampled before the arrival closes nothing."""

from __future__ import annotations

from datetime import timedelta

from arrivals.screening.helpers import task_of
from arrivals.world import make_resident, make_trip
from fangkong.arrivals.screening import handlers, service
from fangkong.core import clock
from fangkong.jobs.registry import registered
from fangkong.people.protect import Protector
from fangkong.testing.events import PeopleSampled, TubesSampled
from fangkong.testing.sampling import service as sampling
from fangkong.testing.sampling.schemas import MemberAdd
from testing.world import ADMIN, make_tube


def test_sampling_closes_the_landing_test_by_event(session, settings, world):
    person = make_resident(session, settings)
    trip = make_trip(session, person)
    tube = make_tube(session, [], status="open", kind="single", capacity=1)
    number = Protector(settings.data_key_bytes).open_id(person.id_number_enc)
    sampling.add_member(session, settings, actor=ADMIN, tube_id=tube.id,
                        data=MemberAdd(id_number=number))  # fmt: skip
    landing = task_of(session, trip, "landing_test")
    session.refresh(landing)
    assert landing.status == "done"
    assert landing.done_ref == f"tube:{tube.id}"
    assert landing.done_at is not None and landing.done_at >= trip.arrived_at
    assert task_of(session, trip, "screening").status == "open"


def test_a_bulk_sampling_closes_each_landing_test_with_its_own_tube(session, settings, world):
    """``TubesSampled`` (the bulk single-tube path): each person's landing test is done by
    that person's tube; a trip arriving after its sampling stays open."""
    arrived, later = (make_resident(session, settings) for _ in range(2))
    trips = [make_trip(session, arrived),
             make_trip(session, later, arrived_at=clock.now() + timedelta(hours=1))]  # fmt: skip
    now = clock.now()
    handlers.on_tubes_sampled(session, TubesSampled((
        PeopleSampled((arrived.id,), 71, now), PeopleSampled((later.id,), 72, now))))  # fmt: skip
    done, still = (task_of(session, trip, "landing_test") for trip in trips)
    session.refresh(done)
    session.refresh(still)
    assert (done.status, done.done_ref, done.done_at) == ("done", "tube:71", now)
    assert still.status == "open"


def test_a_tube_before_the_arrival_closes_nothing(session, settings, world):
    person = make_resident(session, settings)
    trip = make_trip(session, person, arrived_at=clock.now() + timedelta(hours=1))
    tube = make_tube(session, [], status="open", kind="single", capacity=1)
    number = Protector(settings.data_key_bytes).open_id(person.id_number_enc)
    sampling.add_member(session, settings, actor=ADMIN, tube_id=tube.id,
                        data=MemberAdd(id_number=number))  # fmt: skip
    assert service.sweep_landing(session) == {"closed": 0}
    landing = task_of(session, trip, "landing_test")
    session.refresh(landing)
    assert landing.status == "open"


def test_the_sweep_closes_landing_tests_of_people_sampled_since(session, settings, world):
    early, late, never = (
        make_resident(session, settings, name=n) for n in ("甲一", "乙二", "丙三")
    )
    trips = {p.id: make_trip(session, p, arrived_at=clock.now() - timedelta(hours=5))
             for p in (early, late)}  # fmt: skip
    trips[never.id] = make_trip(session, never, arrived_at=clock.now() - timedelta(hours=1))
    before = make_tube(session, [early], sampled_at=clock.now() - timedelta(hours=6))
    after = make_tube(session, [late], sampled_at=clock.now() - timedelta(hours=3))
    later = make_tube(session, [late], sampled_at=clock.now() - timedelta(hours=2))
    # sampled before *their own* arrival, though after the others'
    make_tube(session, [never], sampled_at=clock.now() - timedelta(hours=2))
    assert before.id and after.id and later.id
    assert service.sweep_landing(session) == {"closed": 1}
    session.expire_all()
    assert task_of(session, trips[early.id], "landing_test").status == "open"
    done = task_of(session, trips[late.id], "landing_test")
    assert (done.status, done.done_ref) == ("done", f"tube:{after.id}")
    assert done.done_at == after.sampled_at
    assert task_of(session, trips[never.id], "landing_test").status == "open"
    assert service.sweep_landing(session) == {"closed": 0}


def test_the_jobs_are_registered_hourly_and_daily():
    import fangkong.arrivals.jobs  # noqa: F401

    jobs = registered()
    assert jobs["arrivals.landing_tests"].cron.split()[1] == "*"
    assert jobs["arrivals.escalate"].cron.split()[1] == "*"
    assert jobs["arrivals.accountability"].cron == "0 8 * * *"
