"""The records and the app the API fuzz runs against, and how generated ids find those records.

The fuzz runs against an app on a connection of its own, with every registered domain's records
(``tests/*/harness.py``) in 道里区 and 南岗区, seeded once per role and test worker; each test
runs in a savepoint rolled back after it, so every test starts from the same records. Random ids would almost never
name one of them (and on PostgreSQL, whose sequences do not roll back, their ids differ from
run to run), so ``aim_at_records`` points most ids and codes of valid cases at them.
"""

from __future__ import annotations

import os
import zlib
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI
from schemathesis import Case, GenerationMode
from sqlalchemy.orm import Session

from factories import auth_headers, make_user
from fangkong.config import Settings
from fangkong.core import security
from fangkong.db import Database
from fangkong.main import create_app
from fangkong.models import User
from harness import probe
from harness.probe import OTHER, OWN
from harness.registry import load, merged
from shared_routes import with_shared_routes

# The two callers: a city admin sees everything, a district officer only 道里区.
ROLES = {"city_admin": "230100", "district_officer": OWN.code}
CITY_CODES = ("230100", OWN.code, OTHER.code)  # region codes beside the seeded grids
QUICK_EXAMPLES = 5
QUICK_PHASES = "examples,coverage,fuzzing"
# Generous limits: the fuzz should spend its examples on the routes, not on 429s.
GENEROUS_LIMITS = {
    "rate_limit_login": "100000/minute",
    "rate_limit_login_address": "100000/minute",
    "rate_limit_search": "100000/minute",
    "rate_limit_export": "100000/minute",
}


def max_examples() -> int:
    """Random examples per operation: a few in ``make test``, many with ``make fuzz``."""
    return int(os.environ.get("FANGKONG_FUZZ_EXAMPLES", QUICK_EXAMPLES))


def deterministic() -> bool:
    """``make test`` draws the same examples every run; ``make fuzz`` explores anew each time."""
    return "FANGKONG_FUZZ_EXAMPLES" not in os.environ


def phases() -> list[str]:
    return os.environ.get("FANGKONG_FUZZ_PHASES", QUICK_PHASES).split(",")


@dataclass(frozen=True)
class FuzzWorld:
    app: FastAPI
    user_id: int  # the caller; each test gets a fresh token (they expire in minutes)
    ids: dict[str, list[str]]  # id kind -> the seeded ids of that kind, both districts'
    id_names: dict[str, str]  # parameter name -> id kind


def schema_app() -> FastAPI:
    """An app to read ``/openapi.json`` from at import time; it never touches a database."""
    keys = {"secret_key": security.new_key(), "data_key": security.new_key()}
    app = create_app(Settings(env="test", database_url="sqlite://", log_json=False, **keys))  # type: ignore[arg-type]
    return with_shared_routes(app)


def build_world(settings: Settings, db: Database, session: Session, role: str) -> FuzzWorld:
    """Every domain's records in both districts, and a ``role`` user to call as."""
    domains = load()
    own, _ = probe.seed(session, settings, domains, OWN)
    other, _ = probe.seed(session, settings, domains, OTHER)
    user = make_user(session, role=role, region_code=ROLES[role])
    session.commit()
    ids = {kind: [own[kind], other[kind]] for kind in own.keys() & other.keys()}
    ids["region"] = [*ids.get("region", []), *CITY_CODES]
    return FuzzWorld(
        app=with_shared_routes(
            create_app(settings.model_copy(update=GENEROUS_LIMITS), database=db)
        ),
        user_id=user.id,
        ids=ids,
        id_names=merged(domains, "id_names"),
    )


def headers(settings: Settings, db: Database, world: FuzzWorld) -> dict[str, str]:
    """A fresh bearer header of the world's caller."""
    with db.sessions() as session:
        return auth_headers(settings, session.get_one(User, world.user_id))


def aim_at_records(case: Case, world: FuzzWorld) -> None:
    """Point three in four path ids and codes of a valid case at seeded records.

    Which one depends on the generated value only, so a failing example replays the same;
    invalid cases keep their values, which are the point of them.
    """
    if case.meta is not None and case.meta.generation.mode == GenerationMode.NEGATIVE:
        return
    parameters = case.path_parameters or {}
    for name, generated in parameters.items():
        known = world.ids.get(world.id_names.get(name, ""), [])
        spread = _spread(generated)
        if known and spread is not None and spread % 4:
            chosen = known[spread % len(known)]
            parameters[name] = int(chosen) if isinstance(generated, int) else chosen


def _spread(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    return zlib.crc32(value.encode()) if isinstance(value, str) else None
