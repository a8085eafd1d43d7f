"""The entry check as a deployment runs it: committed data in a database of its own, the
raw-driver reads of ``hotdb`` (no test connection), Redis for the counters and nonces, and
the scans written behind the answer by ``scans.writer``.

The other scan tests run on the suite's rolled-back connection, where every scan is written
before its answer; these are the only ones that see the write-behind queue and the async
read pools at work, on SQLite and on PostgreSQL alike.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

import pytest
import redis
from fastapi.testclient import TestClient
from sqlalchemy import Engine, event, func, select, text
from sqlalchemy.exc import OperationalError

from conftest import TEST_KEYS
from databases import database_name, recreate_postgres, with_database
from factories import resident_id
from fangkong.citizens import nonces, personal_code
from fangkong.config import Settings
from fangkong.core import clock
from fangkong.core.principal import Principal
from fangkong.db import Database, make_engine
from fangkong.main import create_app
from fangkong.migrate import upgrade
from fangkong.models.healthcode import HealthFact
from fangkong.models.scan import Scan
from fangkong.scans import hotpath as hotpath_module
from fangkong.scans.dependencies import hotpath_for
from fangkong.scans.limits import COUNTER_PREFIX
from fangkong.scans.writer import Pending, ScanWriter
from fangkong.venues import service as venues
from scans.world import World, make_world, personal_qr

ENTRY = "/api/v1/entry-check"
REDIS_URL = "redis://127.0.0.1:6379/0"


@dataclass
class Deployment:
    engine: Engine
    settings: Settings
    world: World


@pytest.fixture(scope="module")
def committed_url(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A migrated database beside the suite's, whose rows are committed for real."""
    if not database_url.startswith("postgresql"):
        yield f"sqlite:///{tmp_path_factory.mktemp('fast') / 'fast.db'}"
        return
    url = with_database(database_url, f"{database_name(database_url)}_fast")
    recreate_postgres(url, create=True)
    yield url
    recreate_postgres(url, create=False)


@pytest.fixture(scope="module")
def migrated(committed_url: str) -> str:
    upgrade(committed_url)
    return committed_url


@pytest.fixture(scope="module")
def built(migrated: str) -> Iterator[Deployment]:
    """The scan tests' small world, committed once for the module."""
    settings = Settings(
        env="test", database_url=migrated, log_json=False, redis_url=REDIS_URL,
        scan_write_batch_ms=20, **TEST_KEYS,  # type: ignore[arg-type]
    )  # fmt: skip
    engine = make_engine(migrated)
    with Database(engine).sessions() as session:
        world = make_world(session, settings)  # commits
    yield Deployment(engine, settings, world)
    engine.dispose()


@pytest.fixture
def deployment(built: Deployment) -> Iterator[Deployment]:
    yield built
    with built.engine.begin() as connection:  # each test starts from no scans
        connection.execute(text("DELETE FROM scans"))


@contextmanager
def serving(deployment: Deployment, **changes: object) -> Iterator[TestClient]:
    """The app on the deployment's own engine; leaving it runs the shutdown (queue written)."""
    settings = deployment.settings.model_copy(update=changes)
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        yield client


def scans_of(engine: Engine, person_id: int) -> list[Scan]:
    with Database(engine).sessions() as session:
        return list(session.scalars(select(Scan).where(Scan.person_id == person_id)))


def check(client: TestClient, world: World, person_id: int, **body: object) -> dict[str, object]:
    answer = client.post(ENTRY, headers=world.officer, json={
        "place_code": world.tokens["红旗超市"],
        "personal_code": personal_qr(client.app.state.settings, person_id), **body})  # fmt: skip
    assert answer.status_code == 200, answer.text
    result: dict[str, object] = answer.json()
    return result


def test_the_answer_comes_before_the_write_and_the_scan_follows(deployment):
    world = deployment.world
    with serving(deployment) as client:
        green = check(client, world, world.green.id, temperature=36.6, mask=True)
        red = check(client, world, world.red.id)
        hotpath = hotpath_for(client.app.state)
        assert hotpath.writer.batched
    assert (green["decision"], green["colour"], green["stale"]) == ("allow", "green", False)
    assert (green["recorded"], green["scan_id"]) == (True, None)  # queued: no id yet
    assert (red["decision"], red["colour"]) == ("deny", "red")
    [scan] = scans_of(deployment.engine, world.green.id)
    assert (scan.decision, scan.colour, scan.temperature, scan.source) == ("allow", "green", 36.6,
                                                                          "door")  # fmt: skip
    assert [s.decision for s in scans_of(deployment.engine, world.red.id)] == ["deny"]


def test_a_fever_written_behind_still_raises_its_sentinel(deployment):
    world = deployment.world  # the red resident: a fever would turn the green one yellow
    with serving(deployment) as client:
        answer = check(client, world, world.red.id, temperature=38.2)
    assert answer["decision"] == "deny"
    [scan] = scans_of(deployment.engine, world.red.id)
    with Database(deployment.engine).sessions() as session:
        refs = session.scalars(
            select(HealthFact.ref).where(HealthFact.person_id == world.red.id)
        ).all()
    assert f"scan:{scan.id}" in refs


def test_the_queue_is_written_while_the_app_runs(deployment):
    world = deployment.world
    with serving(deployment) as client:
        check(client, world, world.green.id)
        writer = hotpath_for(client.app.state).writer
        for _ in range(200):  # the writer's thread, 20 ms apart: no shutdown needed
            if scans_of(deployment.engine, world.green.id):
                break
            writer._wake.wait(0.02)
        assert len(scans_of(deployment.engine, world.green.id)) == 1
        assert writer.pending == 0


def test_a_replayed_code_is_refused_in_the_same_round_trip(deployment):
    world = deployment.world
    code = personal_qr(deployment.settings, world.green.id)
    body = {"place_code": world.tokens["红旗超市"], "personal_code": code}
    with serving(deployment) as client:
        first = client.post(ENTRY, headers=world.officer, json=body)
        again = client.post(ENTRY, headers=world.officer, json=body)
    assert first.status_code == 200, first.text
    assert again.status_code == 409
    assert again.json()["code"] == "health_code.qr_replayed"
    assert len(scans_of(deployment.engine, world.green.id)) == 1


def test_over_the_device_limit_answers_429_and_leaves_the_code_unclaimed(deployment):
    world = deployment.world
    device = {"X-Device-Id": f"door-{uuid.uuid4().hex[:12]}"}
    headers = world.officer | device
    store = redis.Redis.from_url(REDIS_URL)
    with serving(deployment, rate_limit_scan_device="2/minute") as client:
        for _ in range(2):
            body = {"place_code": world.tokens["红旗超市"],
                    "personal_code": personal_qr(deployment.settings, world.green.id)}  # fmt: skip
            assert client.post(ENTRY, headers=headers, json=body).status_code == 200
        code = personal_qr(deployment.settings, world.green.id)
        body = {"place_code": world.tokens["红旗超市"], "personal_code": code}
        refused = client.post(ENTRY, headers=headers, json=body)
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    nonce = personal_code.open_payload(deployment.settings, code, clock.now()).nonce
    assert store.exists(f"fangkong:qr-nonce:{nonce}") == 0  # the citizen's code still works
    assert store.keys(f"{COUNTER_PREFIX}device:2/60:device:{device['X-Device-Id']}:*")
    assert len(scans_of(deployment.engine, world.green.id)) == 2


def test_without_redis_the_entry_check_counts_and_claims_the_slow_way(deployment):
    world = deployment.world
    code = personal_qr(deployment.settings, world.green.id)
    body = {"place_code": world.tokens["红旗超市"], "personal_code": code}
    with serving(deployment, redis_url="redis://127.0.0.1:1/0") as client:
        first = client.post(ENTRY, headers=world.officer, json=body)
        again = client.post(ENTRY, headers=world.officer, json=body)
    assert first.status_code == 200, first.text
    assert again.status_code == 409  # claimed in code_nonces instead
    assert len(scans_of(deployment.engine, world.green.id)) == 1


def test_once_the_awaited_redis_claim_failed_the_database_claim_skips_redis(
    deployment, monkeypatch
):
    """The fallback claims in the database at once: asking the same dead Redis again from the
    thread would only add its timeout to the answer."""
    tried: list[str] = []
    real = nonces._claim_in_redis
    monkeypatch.setattr(
        nonces, "_claim_in_redis", lambda client, *a: tried.append("sync") or real(client, *a)
    )
    world = deployment.world
    body = {
        "place_code": world.tokens["红旗超市"],
        "personal_code": personal_qr(deployment.settings, world.green.id),
    }
    with serving(deployment, redis_url="redis://127.0.0.1:1/0") as client:
        assert client.post(ENTRY, headers=world.officer, json=body).status_code == 200
    assert tried == []
    assert len(scans_of(deployment.engine, world.green.id)) == 1


def test_by_id_number_the_person_is_found_by_the_async_read(deployment):
    world = deployment.world
    with serving(deployment) as client:
        answer = client.post(ENTRY, headers=world.officer, json={
            "place_code": world.tokens["红旗超市"], "id_number": world.green_id})  # fmt: skip
        unknown = client.post(ENTRY, headers=world.officer, json={
            "place_code": world.tokens["红旗超市"], "id_number": resident_id(4242, region="230102")})  # fmt: skip
    assert answer.status_code == 200, answer.text
    assert (answer.json()["decision"], answer.json()["person_name"]) == ("allow", "王*明")
    assert unknown.status_code == 404
    with Database(deployment.engine).sessions() as session:
        assert session.scalar(select(func.count()).select_from(Scan)) == 1


def _pending(world: World, person_id: int, minute: int, **changes: object) -> Pending:
    values: dict[str, object] = {
        "venue_id": world.shop.id, "person_id": person_id, "region_code": world.shop.region_code,
        "scanned_at": clock.now() - timedelta(minutes=minute), "temperature": None, "mask": None,
        "decision": "allow", "colour": "green", "reasons": [], "override": False,
        "source": "door", "device": None, "batch": None, "created_at": clock.now(),
    }  # fmt: skip
    return Pending(values | changes, fever=False)


def _failing(engine: Engine) -> Callable[..., None]:
    def fail(*_args: object, **_kwargs: object) -> None:
        raise OperationalError("INSERT", {}, ConnectionError("server closed the connection"))

    return fail


def test_while_the_database_is_down_scans_wait_in_the_queue(deployment):
    world, engine = deployment.world, deployment.engine
    writer = ScanWriter(Database(engine), interval_ms=60_000, capacity=2)  # no timely thread
    fail = _failing(engine)
    event.listen(engine, "before_cursor_execute", fail)
    try:
        assert writer.submit(_pending(world, world.green.id, 1))
        assert writer.submit(_pending(world, world.green.id, 2))
        assert not writer.submit(_pending(world, world.green.id, 3))  # full: recorded false
        with pytest.raises(OperationalError):
            writer.flush()
        assert writer.pending == 2  # kept, in order, for the next try
    finally:
        event.remove(engine, "before_cursor_execute", fail)
    assert writer.flush() == 2
    writer.close()
    assert len(scans_of(engine, world.green.id)) == 2


def test_a_row_the_database_refuses_is_dropped_and_the_others_are_written(deployment):
    world, engine = deployment.world, deployment.engine
    writer = ScanWriter(Database(engine), interval_ms=60_000, capacity=10)
    writer.submit(_pending(world, world.green.id, 1))
    writer.submit(_pending(world, world.green.id, 2, region_code=None))  # NOT NULL
    writer.submit(_pending(world, world.green.id, 3))
    writer.close()  # writes what is queued
    assert len(scans_of(engine, world.green.id)) == 2
    assert writer.pending == 0
    assert not writer.submit(_pending(world, world.green.id, 4))  # closed


def test_a_rotated_place_code_is_refused_once_the_venues_change_mark_moves(deployment, monkeypatch):
    """Venues stay cached for minutes; the change mark, read every VENUE_WATCH seconds (no
    wait here), drops them as soon as any venue changed."""
    world = deployment.world
    monkeypatch.setattr(hotpath_module, "VENUE_WATCH", 0.0)
    old = world.tokens["第一医院"]
    body = {"place_code": old, "id_number": world.green_id}
    with serving(deployment) as client:
        assert client.post(ENTRY, headers=world.officer, json=body).status_code == 200
        with Database(deployment.engine).transaction() as session:
            admin = Principal(id=None, username="t", role="city_admin", region_code="230100")
            venues.rotate_place_code(session, actor=admin, venue_id=world.hospital.id)
        refused = client.post(ENTRY, headers=world.officer, json=body)
    assert refused.status_code == 404, refused.text
    assert refused.json()["code"] == "venue.place_code_invalid"
