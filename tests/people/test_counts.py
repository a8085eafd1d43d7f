"""The seven counts: per grid from the tables, and every parent equals the sum of its children."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from sqlalchemy import delete

from factories import make_region
from fangkong.core import security
from fangkong.core.principal import SYSTEM
from fangkong.core.scoping import covers
from fangkong.models import GridCounts, Household, KeyGroupMembership, Person, Region
from fangkong.people import service
from fangkong.people.counts import METRICS, recount_grids

TODAY = date(2026, 11, 30)
GRIDS = [
    "230102001001001",
    "230102001001002",
    "230102001002001",
    "230102002001001",
    "230103001001001",
    "230103001001002",
]
PARENTS = sorted({g[:n] for g in GRIDS for n in (6, 9, 12)} - {"230102", "230103"})

person_strategy = st.fixed_dictionaries(
    {
        "grid": st.sampled_from(GRIDS),
        "elderly_alone": st.booleans(),
        "disabled": st.booleans(),
        "under_three": st.booleans(),
        "migrant": st.booleans(),
        "from_abroad": st.booleans(),
        "merged": st.booleans(),
        "key_group": st.sampled_from(["none", "open", "ended", "future"]),
        "household": st.booleans(),
    }
)


def _tree(session):
    for code in [*PARENTS, *GRIDS]:
        if session.get(Region, code) is None:
            make_region(session, code)


def _load(session, people):
    for n, spec in enumerate(people):
        household = None
        if spec["household"]:
            household = Household(grid_code=spec["grid"], address="x")
            session.add(household)
            session.flush()
        person = Person(
            name="测试",
            id_number_enc=b"x",
            id_number_hash=security.sha256_hex(f"count-{n}"),
            id_number_masked="x",
            sex="1",
            birth_date=date(1980, 1, 1),
            grid_code=spec["grid"],
            household_id=household.id if household else None,
            status="merged" if spec["merged"] else "active",
            **{k: spec[k] for k in ("elderly_alone", "disabled", "under_three", "migrant")},
            from_abroad=spec["from_abroad"],
        )
        session.add(person)
        session.flush()
        windows = {
            "open": (TODAY - timedelta(days=5), None),
            "ended": (TODAY - timedelta(days=9), TODAY - timedelta(days=1)),
            "future": (TODAY + timedelta(days=1), None),
        }
        if spec["key_group"] in windows:
            start, end = windows[spec["key_group"]]
            for group in ("cold_chain", "port"):  # two memberships still count one person
                session.add(
                    KeyGroupMembership(
                        person_id=person.id, group=group, start_date=start, end_date=end
                    )
                )
    session.flush()


def _expected(people, code):
    inside = [p for p in people if covers(code, p["grid"])]
    active = [p for p in inside if not p["merged"]]
    return {
        "households": sum(p["household"] for p in inside),
        "residents": len(active),
        "vulnerable": sum(p["elderly_alone"] or p["disabled"] or p["under_three"] for p in active),
        "migrants": sum(p["migrant"] for p in active),
        "arrivals_from_abroad": sum(p["from_abroad"] for p in active),
        "home_isolated_or_monitored": 0,
        "positives_and_centrally_isolated": 0,
        "key_groups": sum(p["key_group"] == "open" for p in active),
    }


def _clear(session):
    for table in (KeyGroupMembership, Person, Household, GridCounts):
        session.execute(delete(table))


@hypothesis_settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(people=st.lists(person_strategy, max_size=30))
def test_parent_counts_equal_the_sum_of_children_and_the_truth(session, people):
    _clear(session)
    _tree(session)
    _load(session, people)
    recount_grids(session, GRIDS, today=TODAY)
    for code in ["230100", "230102", "230103", *PARENTS, *GRIDS]:
        totals = service.region_counts(session, actor=SYSTEM, region_code=code)
        assert totals == _expected(people, code), code
        children = _children(code)
        if children:
            sums = [service.region_counts(session, actor=SYSTEM, region_code=c) for c in children]
            assert totals == {m: sum(s[m] for s in sums) for m in totals}, code
    assert set(METRICS) <= set(totals)


def _children(code):
    if code == "230100":
        return ["230102", "230103"]
    length = 9 if len(code) == 6 else len(code) + 3
    return [c for c in [*PARENTS, *GRIDS] if len(c) == length and c.startswith(code)]


def test_recount_keeps_what_other_domains_set(session):
    _clear(session)
    _tree(session)
    _load(
        session,
        [
            {
                "grid": GRIDS[0],
                "elderly_alone": False,
                "disabled": False,
                "under_three": False,
                "migrant": False,
                "from_abroad": False,
                "merged": False,
                "key_group": "none",
                "household": False,
            }
        ],
    )
    service.recount_grids(session, [GRIDS[0]])
    row = session.get(GridCounts, GRIDS[0])
    row.home_isolated_or_monitored = 4
    session.flush()
    service.recount_grids(session, [GRIDS[0]])
    session.refresh(row)
    assert (row.residents, row.home_isolated_or_monitored) == (1, 4)


def test_nightly_job_clears_aged_out_children_and_recounts(session):
    from fangkong.people import service as people_service

    _clear(session)
    _tree(session)
    spec = {
        "grid": GRIDS[0],
        "elderly_alone": False,
        "disabled": False,
        "under_three": True,
        "migrant": False,
        "from_abroad": False,
        "merged": False,
        "key_group": "none",
        "household": False,
    }
    _load(session, [spec])  # born 1980-01-01, flagged under three by mistake of time
    result = people_service.nightly_recount(session, today=TODAY)
    assert result["aged_out"] == 1 and result["grids"] >= 1
    assert service.region_counts(session, actor=SYSTEM, region_code=GRIDS[0])["vulnerable"] == 0
