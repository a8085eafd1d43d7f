"""``simulate outbreak --if-empty --until-yesterday`` as ``make demo`` runs it: the first call
runs the outbreak up to yesterday (nothing it writes lies in the future), a second call (any
seed) says why it does nothing in one line and changes nothing. Cases, or an earlier run's
places before any case, are each reason enough."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from cli_support import CliHome
from fangkong.config import decode_key
from fangkong.core import clock
from fangkong.db import Database, make_engine
from fangkong.models import AuditLog, Person
from fangkong.models.cases import Case
from fangkong.models.scan import Scan
from fangkong.models.testing import Tube, TubeMember
from fangkong.models.venue import Venue
from fangkong.people.protect import Protector
from fangkong.simulate import city
from fangkong.simulate.driver import DEFAULT_START, Driver, Options
from fangkong.simulate.driver.existing import existing_outbreak
from fangkong.simulate.driver.run import DRIVER
from outbreak_world import make_case

PEOPLE, DAYS = 120, 6
DEMO = ("simulate", "outbreak", "--days", str(DAYS), "--seed", "6", "--seed-cases", "40",
        "--until-yesterday", "--if-empty")  # fmt: skip
TABLES = (Venue, Tube, TubeMember, Scan, AuditLog)


def build(session, protector: Protector) -> None:
    city.build_city(session, people=PEOPLE, seed=2, today=DEFAULT_START,
                    now=datetime(2022, 10, 31, tzinfo=UTC), protector=protector)  # fmt: skip


@pytest.fixture(scope="module")
def home(tmp_path_factory, cli_template):
    home = CliHome(tmp_path_factory.mktemp("demo"))
    home.copy_database(cli_template)
    engine = make_engine(home.database_url)
    with Database(engine).transaction() as session:
        build(session, Protector(decode_key(home.data_key)))
    engine.dispose()
    return home


def counts(home: CliHome) -> list[int]:
    return [home.one(select(func.count()).select_from(table))[0] for table in TABLES]


def test_runs_once_up_to_yesterday_then_skips(home):
    [first] = home.run((*DEMO, "--json"))
    assert first.returncode == 0, first.stderr
    today = clock.local_today()
    days = [day["date"] for day in json.loads(first.stdout)["days"]]
    assert days == [(today - timedelta(days=DAYS - d)).isoformat() for d in range(DAYS)]
    now = datetime.now(UTC)
    for column in (Scan.scanned_at, Tube.opened_at, Tube.sealed_at, TubeMember.sampled_at,
                   AuditLog.at):  # fmt: skip
        latest = home.one(select(func.max(column)))[0]
        assert latest is not None and latest.replace(tzinfo=latest.tzinfo or UTC) < now
    mapping = home.home / "var" / "outbreak" / "seed-6" / "mapping.json"
    written, before = mapping.read_bytes(), counts(home)
    assert before[1] > 0  # tubes were sampled, so the bulk sampling path ran

    cases = home.one(select(func.count()).select_from(Case))[0]
    assert cases > 0
    [again, other_seed] = home.run(DEMO, (*DEMO[:5], "7", *DEMO[6:]))
    for result in (again, other_seed):
        assert result.returncode == 0, result.stderr
        assert result.stdout.splitlines() == [f"{cases} cases already exist: no outbreak simulated"]
    assert counts(home) == before and mapping.read_bytes() == written
    assert not (home.home / "var" / "outbreak" / "seed-7").exists()


def test_start_and_until_yesterday_together_exit_2(home):
    [result] = home.run(("simulate", "outbreak", "--days", "2", "--seed", "8", "--seed-cases",
                         "1", "--start", "2022-11-01", "--until-yesterday"))  # fmt: skip
    assert result.returncode == 2 and "--until-yesterday" in result.stderr


def test_bad_parameters_still_exit_2_with_if_empty(home):
    [result] = home.run((*DEMO[:2], "--days", "0", *DEMO[4:]))
    assert result.returncode == 2 and "--days" in result.stderr


def test_an_earlier_run_or_cases_mean_an_outbreak_exists(session, settings):
    build(session, Protector(settings.data_key_bytes))
    assert existing_outbreak(session, actor=DRIVER) is None
    Driver(settings, Options(days=1, seed=12, seed_cases=1)).setup(session)  # no case yet
    assert (
        existing_outbreak(session, actor=DRIVER) == "an earlier run's lab exists (S12 检测实验室)"
    )
    make_case(session, session.scalars(select(Person).limit(1)).one())
    assert existing_outbreak(session, actor=DRIVER) == "1 cases already exist"
