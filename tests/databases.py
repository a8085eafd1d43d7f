"""Test databases: one PostgreSQL database per pytest-xdist worker, so workers never share one.

Under ``pytest -n N`` each worker (``gw0``, ``gw1`` …) gets ``<name>_<worker>``; a run without
xdist uses the database named in FANGKONG_TEST_DATABASE_URL as it is.
"""

from __future__ import annotations

import os

import psycopg
from psycopg import sql
from sqlalchemy.engine import make_url


def worker_suffix() -> str:
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    return f"_{worker}" if worker else ""


def with_database(url: str, name: str) -> str:
    return make_url(url).set(database=name).render_as_string(hide_password=False)


def database_name(url: str) -> str:
    return make_url(url).database or "fangkong"


def recreate_postgres(url: str, *, create: bool) -> None:
    """Drop (and create) the database of ``url`` through the ``postgres`` maintenance database."""
    parsed = make_url(url)
    maintenance = parsed.set(drivername="postgresql", database="postgres")
    conninfo = maintenance.render_as_string(hide_password=False)
    with psycopg.connect(conninfo, autocommit=True) as connection:
        name = sql.Identifier(parsed.database or "")
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        if create:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(name))
