"""The daily review under ``auto`` and ``propose`` editions, with and without a final screening;
decisions (approve, reject, lift, downgrade) with the residents' facts swapped; the job."""

from __future__ import annotations

from datetime import timedelta

import pytest

from arrivals.world import DAOLI, GRID, make_resident
from arrivals.zones.helpers import D0, actions, activate, colour, local, open_reasons
from fangkong.arrivals.zones import errors, service
from fangkong.arrivals.zones.schemas import CaseIn, DecisionIn, ZoneCreate
from fangkong.core import clock
from fangkong.core.principal import Principal
from fangkong.jobs.registry import registered
from outbreak_world import make_case, make_placement
from testing.world import make_tube

pytestmark = pytest.mark.usefixtures("world")
OFFICER = Principal(id=7, username="officer", role="district_officer", region_code=DAOLI)
DECIDER = Principal(id=8, username="chief", role="city_admin", region_code="230100")


def declared(session, settings, kind="sealed", people=2):
    made = [make_resident(session, settings, name=f"居民{i}") for i in range(people)]
    with clock.frozen(local(D0)):
        data = ZoneCreate(name="道里某小区", kind=kind, region_code=GRID)
        zone = service.declare(session, actor=OFFICER, data=data)
    return zone, made


def review(session, day):
    with clock.frozen(local(day, 6, 1)):
        return service.review(session, run_for=day)


def test_auto_lifts_after_n_clean_days_and_is_idempotent(session, settings):
    activate(session, settings, "cn-new10-2022-12")  # auto; sealed: 5 days, then lifted
    zone, people = declared(session, settings)
    assert colour(session, people[0].id) == "red"
    early = review(session, D0 + timedelta(days=5))  # 4 whole days since the 10th
    assert early["lifted"] == 0 and zone.status == "active"
    done = review(session, D0 + timedelta(days=6))
    assert done["lifted"] == 1 and zone.status == "lifted"
    assert zone.lifted_at == service.day_start(D0 + timedelta(days=6))
    assert all(open_reasons(session, p.id) == set() for p in people)
    assert colour(session, people[0].id) == "green"
    again = review(session, D0 + timedelta(days=6))
    assert again["lifted"] == 0 and again["reviewed"] == 0
    assert actions(session, zone.id) == ["declared", "lifted"]


def test_auto_downgrades_by_then_and_counts_again_from_the_downgrade(session, settings):
    activate(session, settings, "cn-20-2022-11")  # propose, no screening
    current = service.current_edition(session)
    rules = current.zones.model_copy(update={"decision": service.ZoneDecision.AUTO})
    edition = current.model_copy(update={"zones": rules})
    zone, people = declared(session, settings)
    with clock.frozen(local(D0 + timedelta(days=6), 6, 1)):
        result = service.review(session, run_for=D0 + timedelta(days=6), edition=edition)
    assert result["downgraded"] == 1 and zone.kind == "controlled"
    assert open_reasons(session, people[0].id) == {"zone.controlled"}
    assert colour(session, people[0].id) == "yellow"
    with clock.frozen(local(D0 + timedelta(days=7), 6, 1)):
        later = service.review(session, run_for=D0 + timedelta(days=7), edition=edition)
    assert later["downgraded"] == 0 and zone.kind == "controlled"


def test_propose_without_final_screening_marks_pending_once(session, settings):
    activate(session, settings, "cn-20-2022-11")  # propose; sealed: 5 days, no screening
    zone, _ = declared(session, settings)
    first = review(session, D0 + timedelta(days=6))
    assert first["proposed"] == 1 and zone.pending == "proposed_downgrade"
    again = review(session, D0 + timedelta(days=6))
    assert again["proposed"] == 0 and again["pending"] == 1
    assert actions(session, zone.id) == ["declared", "proposed"]


def test_final_screening_must_cover_everyone_after_the_nth_days_start(session, settings):
    activate(session, settings, "cn-9th-2022-06")  # propose; sealed: 7 days + final screening
    zone, people = declared(session, settings)
    day = D0 + timedelta(days=8)  # the 7th clean day is the 17th, from 6:00
    assert review(session, day)["proposed"] == 0  # nobody sampled
    too_early = make_tube(session, people, sampled_at=local(D0 + timedelta(days=7), 5))
    too_early.result = "negative"
    assert review(session, day)["proposed"] == 0  # sampled before the 7th day began
    tube = make_tube(session, people[:1], sampled_at=local(D0 + timedelta(days=7), 9))
    tube.result = "negative"
    assert review(session, day)["proposed"] == 0  # one resident still unsampled
    pending = make_tube(session, people[1:], sampled_at=local(D0 + timedelta(days=7), 10))
    assert review(session, day)["proposed"] == 0  # a result still pending
    pending.result = "negative"
    assert review(session, day)["proposed"] == 1 and zone.pending == "proposed_downgrade"


def test_final_screening_of_a_named_round_only(session, settings):
    from testing.world import make_campaign

    activate(session, settings, "cn-9th-2022-06")
    zone, people = declared(session, settings)
    campaign = make_campaign(session, starts_on=D0)
    zone.final_screening_campaign_id = campaign.id + 1000
    tube = make_tube(
        session, people, sampled_at=local(D0 + timedelta(days=7), 9), campaign=campaign
    )
    tube.result = "negative"
    day = D0 + timedelta(days=8)
    assert review(session, day)["proposed"] == 0
    zone.final_screening_campaign_id = campaign.id
    assert review(session, day)["proposed"] == 1


def test_approve_swaps_facts_and_reject_keeps_the_zone(session, settings):
    activate(session, settings, "cn-20-2022-11")
    zone, people = declared(session, settings)
    review(session, D0 + timedelta(days=6))
    with clock.frozen(local(D0 + timedelta(days=7), 9)):
        service.decide(session, actor=DECIDER, zone_id=zone.id, data=DecisionIn(action="approve"))
    assert zone.kind == "controlled" and zone.pending is None
    assert open_reasons(session, people[0].id) == {"zone.controlled"}
    # controlled: 5 more clean days from the approval, then proposed for precaution.
    assert review(session, D0 + timedelta(days=12))["proposed"] == 0
    review(session, D0 + timedelta(days=13))
    assert zone.pending == "proposed_downgrade"
    with clock.frozen(local(D0 + timedelta(days=13), 9)):
        service.decide(session, actor=DECIDER, zone_id=zone.id,
                       data=DecisionIn(action="reject", note="疫情未稳"))  # fmt: skip
    assert zone.pending is None and zone.kind == "controlled"
    assert actions(session, zone.id)[-1] == "rejected"
    with pytest.raises(errors.NotPending):
        service.decide(session, actor=DECIDER, zone_id=zone.id, data=DecisionIn(action="approve"))


def test_approving_a_proposed_lift_ends_the_facts(session, settings):
    activate(session, settings, "cn-20-2022-11")
    zone, people = declared(session, settings, kind="precaution")
    review(session, D0 + timedelta(days=4))  # precaution: 3 days, then lifted
    assert zone.pending == "proposed_lift"
    service.decide(session, actor=DECIDER, zone_id=zone.id, data=DecisionIn(action="approve"))
    assert zone.status == "lifted" and zone.lifted_by == DECIDER.id
    assert open_reasons(session, people[0].id) == set()
    assert actions(session, zone.id) == ["declared", "proposed", "lifted"]


def test_lift_and_downgrade_by_hand_need_a_note_and_a_lower_kind(session, settings):
    zone, people = declared(session, settings)
    with pytest.raises(errors.NoteRequired):
        service.decide(session, actor=DECIDER, zone_id=zone.id, data=DecisionIn(action="lift"))
    with pytest.raises(errors.CannotDowngrade):
        service.decide(session, actor=DECIDER, zone_id=zone.id,
                       data=DecisionIn(action="downgrade", to_kind="sealed", note="x"))  # fmt: skip
    service.decide(session, actor=DECIDER, zone_id=zone.id,
                   data=DecisionIn(action="downgrade", to_kind="precaution", note="社区清零"))  # fmt: skip
    assert zone.kind == "precaution" and open_reasons(session, people[0].id) == set()
    with pytest.raises(errors.CannotDowngrade):
        service.decide(session, actor=DECIDER, zone_id=zone.id,
                       data=DecisionIn(action="downgrade", note="x"))  # fmt: skip
    service.decide(
        session, actor=DECIDER, zone_id=zone.id, data=DecisionIn(action="lift", note="解封")
    )
    assert zone.status == "lifted"
    with pytest.raises(errors.NotActive):
        service.decide(
            session, actor=DECIDER, zone_id=zone.id, data=DecisionIn(action="lift", note="x")
        )


def test_a_controlled_zone_lifted_by_hand_clears_yellow(session, settings):
    zone, people = declared(session, settings, kind="controlled")
    assert colour(session, people[0].id) == "yellow"
    service.decide(
        session, actor=DECIDER, zone_id=zone.id, data=DecisionIn(action="lift", note="解除")
    )
    assert colour(session, people[0].id) == "green"


def test_the_review_job_is_registered_at_six(session, settings):
    import fangkong.arrivals.jobs  # noqa: F401

    job = registered()["zones.review"]
    assert job.cron == "0 6 * * *"
    activate(session, settings, "cn-new10-2022-12")
    zone, _ = declared(session, settings)
    with clock.frozen(local(D0 + timedelta(days=6), 6, 0)):
        result = job.func(session, settings, D0 + timedelta(days=6))
    assert result["lifted"] == 1 and zone.status == "lifted"


def test_the_final_screening_leaves_out_residents_taken_out_of_the_zone(session, settings):
    """A case not yet discharged and a person in central quarantine are not in the zone: the
    screening's roll leaves them out and so does the rule; a discharged case and a person
    isolated at home are screened."""
    activate(session, settings, "cn-9th-2022-06")
    zone, people = declared(session, settings, people=6)
    make_case(session, people[1])
    make_placement(session, people[2], measure="centralized")
    make_case(session, people[3], status="discharged")
    make_placement(session, people[4], measure="home_isolation")
    make_placement(session, people[5], measure="centralized", status="pending")  # still home
    edition = service.current_edition(session)
    assert service.screening_day(zone, edition) == D0 + timedelta(days=7)
    roll = service.screening_roll(session, actor=OFFICER, zone_id=zone.id)
    assert [person_id for person_id, _ in roll] == [people[i].id for i in (0, 3, 4, 5)]
    present = [people[i] for i in (0, 3, 4, 5)]
    tube = make_tube(session, present, sampled_at=local(D0 + timedelta(days=7), 9))
    tube.result = "negative"
    assert review(session, D0 + timedelta(days=8))["proposed"] == 1


def test_a_positive_in_the_final_screening_fails_it_even_once_its_person_is_a_case(
    session, settings
):
    activate(session, settings, "cn-9th-2022-06")
    zone, people = declared(session, settings, people=3)
    clean = make_tube(session, people[:2], sampled_at=local(D0 + timedelta(days=7), 9))
    clean.result = "negative"
    found = make_tube(session, people[2:], sampled_at=local(D0 + timedelta(days=7), 9))
    found.result = "positive"
    make_case(session, people[2])  # taken out of the zone, not linked to it by an officer
    assert review(session, D0 + timedelta(days=8))["proposed"] == 0
    assert zone.pending is None


def test_a_positive_household_tube_is_settled_by_its_members_negative_retests(session, settings):
    """An initial positive household tube fails the screening until every member's single
    retest after it is negative; a pooled retest or one taken before the tube settles
    nothing, and a positive retest keeps the screening failed."""
    activate(session, settings, "cn-9th-2022-06")
    _zone, people = declared(session, settings, people=3)
    screened = local(D0 + timedelta(days=7), 9)
    household = make_tube(session, people, kind="household", sampled_at=screened)
    household.result = "positive"
    assert review(session, D0 + timedelta(days=8))["proposed"] == 0
    before = make_tube(session, people[:1], kind="single", sampled_at=screened - timedelta(hours=1))
    before.result = "negative"
    pooled = make_tube(session, people[:1], sampled_at=screened + timedelta(hours=2))
    pooled.result = "negative"
    assert review(session, D0 + timedelta(days=8))["proposed"] == 0
    retests = [make_tube(session, [person], kind="single", purpose="retest",
                         sampled_at=local(D0 + timedelta(days=8), 9, 30)) for person in people]  # fmt: skip
    for tube, result in zip(retests, ("negative", "negative", "positive"), strict=True):
        tube.result = result
    assert review(session, D0 + timedelta(days=9))["proposed"] == 0  # one member positive
    retests[2].result = None
    assert review(session, D0 + timedelta(days=9))["proposed"] == 0  # a retest pending
    retests[2].result = "negative"
    assert review(session, D0 + timedelta(days=8))["proposed"] == 0  # the retests not yet taken
    assert review(session, D0 + timedelta(days=9))["proposed"] == 1


def test_the_screening_day_moves_with_a_new_infection_and_is_none_without_a_screening(
    session, settings
):
    activate(session, settings, "cn-9th-2022-06")
    zone, people = declared(session, settings)
    edition = service.current_edition(session)
    with clock.frozen(local(D0 + timedelta(days=3), 12)):
        service.link_case(session, actor=OFFICER, zone_id=zone.id, data=CaseIn(
            person_id=people[0].id, infected_at=local(D0 + timedelta(days=3), 8)))  # fmt: skip
    assert service.screening_day(zone, edition) == D0 + timedelta(days=10)
    zone.kind = "precaution"  # three clean days, no screening
    assert service.screening_day(zone, edition) is None
