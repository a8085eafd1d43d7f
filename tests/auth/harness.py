"""Users in the generic harness: a grid worker per district, assigned to its grid."""

from __future__ import annotations

from factories import make_user
from fangkong.core.principal import SYSTEM
from fangkong.regions import service as regions
from harness.registry import BadInput, District, Domain, Ids, Seeded, register


def seed(session, settings, district: District) -> Seeded:
    username = f"probe{district.code}"
    display = f"{district.tag}网格员"
    user = make_user(session, role="grid_worker", region_code=district.grid, username=username)
    user.display_name = display
    regions.assign_worker(session, actor=SYSTEM, grid_code=district.grid, user_id=user.id)
    return Seeded(ids={"user": str(user.id)}, markers=(username, display))


def _new_user_in(ids: Ids) -> dict[str, object]:
    body = {
        "username": "probe_new_user",
        "display_name": "探针新用户",
        "role": "grid_worker",
        "region_code": ids["region"],
        "password": "a-good-password-1",
    }
    return {"json": body}


HUGE = 10**20  # beyond any id column
BAD_INPUTS = (
    BadInput("a huge user id", "get", f"/api/v1/users/{HUGE}", 422, "request.invalid",
             role="city_admin"),
    BadInput("a huge user id to change", "patch", f"/api/v1/users/{HUGE}", 422,
             "request.invalid", json={"display_name": "x"}, role="city_admin"),
    BadInput("a huge user id to enrol", "post", f"/api/v1/users/{HUGE}/totp", 422,
             "request.invalid", role="city_admin"),
    BadInput("full-width digits in a user's region", "post", "/api/v1/users", 422,
             "request.invalid", role="city_admin",
             json={"username": "fullwidth", "display_name": "x", "role": "sampler",
                   "region_code": "230102００９", "password": "a-good-password-1"}),
)  # fmt: skip


register(
    Domain(
        name="auth",
        prefixes=("/api/v1/auth", "/api/v1/users"),
        seed=seed,
        order=10,
        id_names={"user_id": "user", "actor_id": "user"},
        requests={"POST /api/v1/users": _new_user_in},
        bad_inputs=BAD_INPUTS,
        unscoped={
            "POST /api/v1/auth/token": "the login itself: it reads no district's records",
            "GET /api/v1/auth/me": "the caller's own account",
        },
    )
)
