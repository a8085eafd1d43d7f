"""Rate limits: login per address and per username, searches and exports per user; 429 with
Retry-After, problem+json on the API and the error page on pages; counts shared through Redis,
and kept in the worker's memory while Redis fails."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from limits.aio.storage import MemoryStorage
from limits.aio.strategies import MovingWindowRateLimiter
from limits.errors import StorageError
from pydantic import ValidationError

from factories import PASSWORD, auth_headers, make_tree, make_user, resident_id, web_login
from fangkong.config import Settings
from fangkong.core import ratelimit
from fangkong.core.ratelimit import Kind, RateLimiter
from fangkong.main import create_app
from loops import awaited
from shared_routes import with_shared_routes

GRID = "230102001002003"
REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture
def make_client(settings, db) -> Iterator:
    """A client of a fresh app with some settings changed; ``address`` is the caller's IP."""
    opened: list[TestClient] = []

    def make(address: str = "10.0.0.1", **changes: object) -> TestClient:
        app = with_shared_routes(create_app(settings.model_copy(update=changes), database=db))
        client = TestClient(app, raise_server_exceptions=False, client=(address, 40000))
        opened.append(client.__enter__())
        return client

    yield make
    for client in opened:
        client.__exit__(None, None, None)


def assert_rate_limited(response, *, window: int = 60) -> None:
    assert response.status_code == 429
    assert 1 <= int(response.headers["retry-after"]) <= window
    if response.headers["content-type"].startswith("application/problem+json"):
        assert response.json()["code"] == "request.rate_limited"
    else:
        assert 'data-code="request.rate_limited"' in response.text


def token_attempt(client, username: str, password: str = "wrong-password"):
    return client.post("/api/v1/auth/token", data={"username": username, "password": password})


# --- login -------------------------------------------------------------------------------------


def test_the_default_login_limit_per_username(make_client, session):
    user = make_user(session)
    session.commit()
    client = make_client()
    for _ in range(10):  # the real default: 10 a minute per username
        assert token_attempt(client, user.username, PASSWORD).status_code == 200
    refused = token_attempt(client, user.username, PASSWORD)
    assert_rate_limited(refused)
    assert refused.headers["content-type"] == "application/problem+json"
    en = client.post(
        "/api/v1/auth/token?lang=en", data={"username": user.username, "password": PASSWORD}
    )
    assert en.json()["title"] == "Too many requests; try again later."
    assert en.json()["title"] != refused.json()["title"]  # zh by default


def test_one_username_from_many_addresses_is_limited(make_client):
    settings = {"rate_limit_login": "3/minute", "login_max_failures": 100}
    first = make_client("10.0.0.1", **settings)
    for _ in range(3):
        assert token_attempt(first, "target").status_code == 401
    # the same app seen from another address: the username's budget is spent
    other = TestClient(first.app, raise_server_exceptions=False, client=("10.0.0.2", 40000))
    assert_rate_limited(token_attempt(other, "target"))
    assert token_attempt(other, "someone-else").status_code == 401
    assert_rate_limited(token_attempt(first, "TARGET "))  # usernames compare case-blind


def test_one_address_trying_many_usernames_is_limited(make_client):
    client = make_client(rate_limit_login_address="3/minute")
    for n in range(3):
        assert token_attempt(client, f"guess{n}").status_code == 401
    assert_rate_limited(token_attempt(client, "guess3"))
    other = TestClient(client.app, raise_server_exceptions=False, client=("10.0.0.9", 40000))
    assert token_attempt(other, "guess4").status_code == 401


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match
    return match.group(1)


def test_the_login_page_answers_with_a_readable_page(make_client):
    client = make_client(rate_limit_login="2/minute", login_max_failures=100)
    token = csrf_of(client.get("/login").text)
    form = {"username": "someone", "password": "wrong", "csrf_token": token}
    for _ in range(2):
        assert client.post("/login", data=form).status_code == 401
    refused = client.post("/login", data=form)
    assert refused.headers["content-type"].startswith("text/html")
    assert_rate_limited(refused)


def test_each_app_starts_with_fresh_counts(make_client):
    first = make_client(rate_limit_login="1/minute")
    assert token_attempt(first, "nobody").status_code == 401
    assert_rate_limited(token_attempt(first, "nobody"))
    second = make_client(rate_limit_login="1/minute")
    assert token_attempt(second, "nobody").status_code == 401


# --- searches and exports ----------------------------------------------------------------------


@pytest.fixture
def officers(session):
    make_tree(session)
    users = [make_user(session, role="district_officer") for _ in range(2)]
    session.commit()
    return users


def test_searches_count_per_user(make_client, settings, officers):
    client = make_client(rate_limit_search="3/minute")
    first, second = (auth_headers(settings, user) for user in officers)
    search = {"id_number": resident_id(1)}
    assert client.post("/api/v1/people/search", json=search, headers=first).status_code == 200
    assert client.get("/api/v1/people", params={"q": "王"}, headers=first).status_code == 200
    for _ in range(3):  # a list without a name query is not a search
        assert client.get("/api/v1/people", headers=first).status_code == 200
    assert client.get("/api/v1/people", params={"q": "李"}, headers=first).status_code == 200
    assert_rate_limited(client.post("/api/v1/people/search", json=search, headers=first))
    assert_rate_limited(client.get("/api/v1/people", params={"q": "王"}, headers=first))
    assert client.get("/api/v1/people", headers=first).status_code == 200
    # another user behind the same address has a budget of their own
    assert client.post("/api/v1/people/search", json=search, headers=second).status_code == 200


def test_anonymous_searches_are_refused_before_they_count(make_client, settings, officers):
    client = make_client(rate_limit_search="1/minute")
    for _ in range(3):
        assert (
            client.post("/api/v1/people/search", json={"phone": "13900000000"}).status_code == 401
        )
    headers = auth_headers(settings, officers[0])
    assert (
        client.post(
            "/api/v1/people/search", json={"phone": "13900000000"}, headers=headers
        ).status_code
        == 200
    )


def test_search_pages_share_the_budget(make_client, officers):
    client = make_client(rate_limit_search="2/minute")
    web_login(client, officers[0].username)
    assert client.get("/people", params={"q": "王"}).status_code == 200
    assert client.get("/people").status_code == 200  # no name query: not counted
    token = csrf_of(client.get("/people").text)
    form = {"csrf_token": token, "phone": "13900000000"}
    assert client.post("/people/search", data=form).status_code == 200
    assert_rate_limited(client.post("/people/search", data=form))
    assert_rate_limited(client.get("/people", params={"q": "王"}))


def test_exports_count_per_user(make_client, settings, officers):
    client = make_client(rate_limit_export="2/minute")
    headers = auth_headers(settings, officers[0])
    url = f"/api/v1/regions/{GRID}/ledger.xlsx"
    for _ in range(2):
        assert client.get(url, headers=headers).status_code == 200
    assert_rate_limited(client.get(url, headers=headers))
    assert client.get(f"/api/v1/regions/{GRID}/ledger", headers=headers).status_code == 200
    # the page download counts for the same user
    web_login(client, officers[0].username)
    assert_rate_limited(client.get(f"/ledger/{GRID}.xlsx"))
    other = make_client(rate_limit_export="2/minute")
    web_login(other, officers[1].username)
    assert other.get(f"/ledger/{GRID}.xlsx").status_code == 200


# --- settings and storage ----------------------------------------------------------------------


def test_limits_are_checked_when_settings_load(settings):
    with pytest.raises(ValidationError, match="rate_limit_search"):
        Settings(**settings.model_dump(exclude={"rate_limit_search"}), rate_limit_search="often")


def test_counts_are_shared_through_redis(settings):
    """Two workers (two apps) count together: nothing assumes a single process."""
    shared = settings.model_copy(update={"redis_url": REDIS_URL, "rate_limit_export": "2/minute"})
    workers = [RateLimiter.from_settings(shared) for _ in range(2)]
    key = f"user:{uuid.uuid4()}"

    async def hit(worker: RateLimiter) -> int:
        try:
            await worker.hit(Kind.EXPORT, key)
        except Exception as exc:
            return getattr(exc, "status_code", 0)
        return 200

    async def run() -> list[int]:
        return [await hit(workers[0]), await hit(workers[1]), await hit(workers[0])]

    assert awaited(run()) == [200, 200, 429]


def test_an_unreachable_redis_still_limits_in_the_workers_memory(make_client):
    client = make_client(redis_url="redis://127.0.0.1:1/0", rate_limit_login="1/minute")
    assert token_attempt(client, "nobody").status_code == 401  # not 500
    assert_rate_limited(token_attempt(client, "nobody"))


class FlakyStorage:
    """A shared storage that fails while ``down``, counting every call it gets."""

    def __init__(self) -> None:
        self.down, self.calls = True, 0

    async def hit(self, item, *identifiers):
        self.calls += 1
        if self.down:
            raise StorageError(ConnectionError("redis down"))
        return True

    async def get_window_stats(self, item, *identifiers):  # never over the limit here
        raise AssertionError


def test_redis_is_tried_again_a_few_seconds_after_it_failed(settings, monkeypatch):
    """A failed call moves the worker to its memory for REDIS_RETRY_S seconds (no call to
    Redis meanwhile), then Redis is asked again and counts again once it answers."""
    now = [1000.0]
    monkeypatch.setattr(ratelimit.time, "monotonic", lambda: now[0])
    shared = FlakyStorage()
    limiter = RateLimiter(shared, ratelimit._rules(settings), MovingWindowRateLimiter(
        MemoryStorage()))  # type: ignore[arg-type]  # fmt: skip

    async def hits(count: int) -> None:
        for _ in range(count):
            await limiter.hit(Kind.EXPORT, "user:1")

    awaited(hits(3))
    assert shared.calls == 1  # failed once, then the worker's memory
    now[0] += ratelimit.REDIS_RETRY_S
    shared.down = False
    awaited(hits(2))
    assert shared.calls == 3  # asked again, and it answers
