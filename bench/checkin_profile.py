"""Where an entry check's time goes: the app in-process, no sockets, under cProfile.

    .venv/bin/python bench/checkin_profile.py [--database-url URL] [--requests 2000]
        [--top 30] [world options of scan_world.py]

Builds the app (``fangkong.main.create_app``) on the scan world, signs a bearer token for
the benchmark's city admin, and sends ``--requests`` entry checks (the bodies of
``bench/checkin.py``) through Starlette's ``TestClient`` (lifespan run, rate limits raised),
first untimed as a warm-up, then under ``cProfile``: prints the per-request wall time and the
functions with the most cumulative and own time. cProfile inflates pure-Python code, so use
it for the where, not the how much (see ``bench/README.md``).
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import time

import checkin
import checkin_tools as tools
import scan_world


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    scan_world.add_world_args(parser)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument(
        "--layer", choices=("http", "hotpath"), default="hotpath",
        help="hotpath: HotPath.run in this thread (the database part, fully profiled); "
        "http: the whole app through TestClient (cProfile then sees only the client thread)",
    )  # fmt: skip
    return parser.parse_args()


def profile_hotpath(requests: list[list[str]], count: int, top: int) -> None:
    """``HotPath.run`` as the route calls it, in this thread: venue, person, code, insert."""
    import json  # noqa: PLC0415

    from fangkong.auth.permissions import ROLE_PERMISSIONS, Role  # noqa: PLC0415
    from fangkong.config import Settings  # noqa: PLC0415
    from fangkong.core import clock  # noqa: PLC0415
    from fangkong.core.principal import Principal  # noqa: PLC0415
    from fangkong.db import Database, make_engine  # noqa: PLC0415
    from fangkong.healthcode.reader import CodeReader  # noqa: PLC0415
    from fangkong.scans import entry  # noqa: PLC0415
    from fangkong.scans.hotpath import HotPath  # noqa: PLC0415

    settings = Settings()
    db = Database(make_engine(settings.database_url))
    hot = HotPath(db, settings, CodeReader(db.bind, settings))
    perms = frozenset(p.value for p in ROLE_PERMISSIONS[Role.CITY_ADMIN])
    actor = Principal(1, "bench", "city_admin", "230100", perms)

    def one(n: int) -> None:
        device, raw = requests[n % len(requests)]
        body = json.loads(raw)
        base = entry.door_base(body["place_code"], clock.now(), actor,
                               temperature=body["temperature"], mask=body["mask"],
                               emergency=False, device=device)  # fmt: skip
        hot.run(entry.door_request(settings, base, personal=None, id_number=body["id_number"]))

    for n in range(200):
        one(n)
    started = time.perf_counter()
    for n in range(count):
        one(n)
    print(f"{(time.perf_counter() - started) / count * 1000:.2f} ms per HotPath.run")
    profiler = cProfile.Profile()
    profiler.enable()
    for n in range(count):
        one(n + count)
    profiler.disable()
    stats = pstats.Stats(profiler)
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)


def main() -> int:
    args = parse_args()
    scan_world.build(args)
    env = checkin.server_env(args.database_url)
    os.environ.update(env)
    engine = scan_world.engine_for(args.database_url)
    who = tools.staff(env)
    path = scan_world.WORK / "bodies-profile.ndjson"
    tools.write_bodies(engine, path, identity="id_number", people=5000, codes=0, seed=3)
    engine.dispose()
    requests = [line.split("\t", 1) for line in path.read_text().splitlines()]
    if args.layer == "hotpath":
        profile_hotpath(requests, args.requests, args.top)
        return 0

    from fastapi.testclient import TestClient  # noqa: PLC0415

    from fangkong.main import create_app  # noqa: PLC0415

    with TestClient(create_app()) as client:
        token = client.post("/api/v1/auth/token", data=_form(who)).json()["access_token"]

        def send(n: int) -> None:
            device, body = requests[n % len(requests)]
            answer = client.post(tools.PATH, content=body, headers={
                "Authorization": f"Bearer {token}", "X-Device-Id": device,
                "Content-Type": "application/json"})  # fmt: skip
            if answer.status_code != 200:
                raise RuntimeError(f"{answer.status_code}: {answer.text[:300]}")

        for n in range(200):
            send(n)
        started = time.perf_counter()
        for n in range(args.requests):
            send(n)
        plain = (time.perf_counter() - started) / args.requests * 1000
        profiler = cProfile.Profile()
        profiler.enable()
        for n in range(args.requests):
            send(n + args.requests)
        profiler.disable()
    print(f"{plain:.2f} ms per entry check in-process (TestClient, no profiler)")
    stats = pstats.Stats(profiler)
    stats.sort_stats("cumulative").print_stats(args.top)
    stats.sort_stats("tottime").print_stats(args.top)
    return 0


def _form(who: tools.Staff) -> dict[str, str]:
    import pyotp  # noqa: PLC0415

    form = {"username": who.username, "password": who.password}
    if who.otpauth_uri:
        totp = pyotp.parse_uri(who.otpauth_uri)
        assert isinstance(totp, pyotp.TOTP)
        form["otp"] = totp.now()
    return form


if __name__ == "__main__":
    sys.exit(main())
