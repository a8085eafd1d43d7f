"""One database per test session, migrated once; each test runs in a rolled-back transaction.

SQLite (a temporary file) by default; PostgreSQL when FANGKONG_TEST_DATABASE_URL is set, with a
database of its own per xdist worker (``tests/databases.py``).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from cli_support import CliHome
from databases import database_name, recreate_postgres, with_database, worker_suffix
from factories import auth_headers, make_tree, make_user
from fangkong.config import Settings
from fangkong.core import security
from fangkong.db import Database, make_engine
from fangkong.main import create_app
from fangkong.migrate import upgrade
from shared_routes import with_shared_routes

TEST_KEYS = {"secret_key": security.new_key(), "data_key": security.new_key()}


def _reset_postgres(engine: Engine) -> None:
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))


def _postgres_url(url: str) -> Iterator[str]:
    """The named database itself, or under xdist a database of this worker's own."""
    suffix = worker_suffix()
    if suffix:
        url = with_database(url, database_name(url) + suffix)
        recreate_postgres(url, create=True)
    else:
        engine = make_engine(url)
        _reset_postgres(engine)
        engine.dispose()
    upgrade(url)
    yield url
    if suffix:
        recreate_postgres(url, create=False)


@pytest.fixture(scope="session")
def database_url() -> Iterator[str]:
    postgres = os.environ.get("FANGKONG_TEST_DATABASE_URL")
    if postgres:
        yield from _postgres_url(postgres)
        return
    with tempfile.TemporaryDirectory(prefix="fangkong-test-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'test.db'}"
        upgrade(url)
        yield url


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def base_settings(database_url: str) -> Settings:
    """The test settings, for fixtures wider than one test (``settings`` is the same)."""
    return Settings(env="test", database_url=database_url, log_json=False, **TEST_KEYS)  # type: ignore[arg-type]


@pytest.fixture
def settings(base_settings: Settings) -> Settings:
    return base_settings.model_copy()


@pytest.fixture
def db(engine: Engine) -> Iterator[Database]:
    """A Database bound to one connection whose outer transaction is rolled back."""
    connection = engine.connect()
    transaction = connection.begin()
    try:
        yield Database(connection, join_savepoint=True)
    finally:
        transaction.rollback()
        connection.close()


@pytest.fixture
def session(db: Database) -> Iterator[Session]:
    with db.sessions() as session:
        yield session


@pytest.fixture
def app_client(settings: Settings, db: Database) -> Iterator[TestClient]:
    app = with_shared_routes(create_app(settings, database=db))
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client
    app.dependency_overrides.clear()  # shared with every test app (shared_routes.py)


@pytest.fixture(scope="session")
def cli_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated once by the real ``fangkong db upgrade``."""
    home = CliHome(tmp_path_factory.mktemp("cli-template"))
    [upgrade] = home.run(("db", "upgrade"))
    assert upgrade.returncode == 0, upgrade.stderr
    return home.home / "cli.db"


@pytest.fixture(scope="module")
def cli_home(tmp_path_factory: pytest.TempPathFactory, cli_template: Path) -> CliHome:
    """A fresh home for ``fangkong`` commands, its database copied from the template."""
    home = CliHome(tmp_path_factory.mktemp("cli"))
    home.copy_database(cli_template)
    return home


@pytest.fixture
def admin(session: Session, settings: Settings) -> dict[str, str]:
    """A city admin's bearer header; a street, community and grid exist under 230102."""
    make_tree(session, "230102")
    user = make_user(session, role="city_admin", region_code="230100")
    session.commit()
    return auth_headers(settings, user)
