"""Grid workers: users with the grid-worker role, assigned to the new grids."""

from __future__ import annotations

import random
from datetime import datetime
from typing import Any

from fangkong.auth.permissions import Role
from fangkong.simulate.generate.constants import NO_WORKER, TWO_WORKERS
from fangkong.simulate.generate.messages import CitySpec, Workers
from fangkong.simulate.generate.people import Residents, draw_sex
from fangkong.simulate.generate.plan import CityPlan


def draw_workers(
    rng: random.Random, plan: CityPlan, residents: Residents, spec: CitySpec
) -> Workers:
    """Most grids get one worker, some two, a few none. The password hash ``!`` never
    verifies: an officer sets a password before a worker can log in."""
    workers = Workers([], [])
    user_id = spec.first_user
    for grid in plan.grids():
        draw = rng.random()
        count = 0 if draw < NO_WORKER else 2 if draw < NO_WORKER + TWO_WORKERS else 1
        for number in range(1, count + 1):
            username = f"gw{grid.code}" if number == 1 else f"gw{grid.code}-{number}"
            display_name = residents.name(draw_sex(rng), None)
            workers.users.append(_worker(user_id, username, display_name, grid.code, spec.now))
            workers.assignments.append(
                {"grid_code": grid.code, "user_id": user_id, "created_at": spec.now}
            )
            user_id += 1
    return workers


def _worker(
    user_id: int, username: str, display_name: str, grid_code: str, now: datetime
) -> dict[str, Any]:
    return {
        "id": user_id,
        "username": username,
        "display_name": display_name,
        "password_hash": "!",
        "role": Role.GRID_WORKER.value,
        "region_code": grid_code,
        "locale": None,
        "totp_secret": None,
        "totp_last_step": 0,
        "is_active": True,
        "is_demo": False,
        "token_epoch": 0,
        "created_at": now,
        "updated_at": now,
        "last_login_at": None,
    }
