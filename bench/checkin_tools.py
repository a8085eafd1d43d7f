"""Tools of the entry-check benchmarks: a staff token on the scan world, varied request bodies,
and wrk driving ``POST /api/v1/entry-check`` through a Lua script that counts the answers.

Bodies: ``--identity id_number`` sends a person's ID number (read back from the encrypted
column with the world's data key: reusable, so any number of requests); ``personal_code``
sends a personal QR payload issued by ``fangkong.citizens.personal_code.issue`` — each is
single-use (the nonce is claimed), so the pool must outnumber the requests; the script walks
the pool once per wrk thread slice and a payload sent twice is answered 409, counted apart.
"""

from __future__ import annotations

import json
import random
import re
import secrets
import shutil
import subprocess
import urllib.parse
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pyotp
from sqlalchemy import Engine, text

import scan_world
import wrk

PATH = "/api/v1/entry-check"
USERNAME = "bench_e_checker"
ROLE = "city_admin"
CITY = "230100"
_OTPAUTH = re.compile(r"^otpauth://\S+$", re.MULTILINE)

# wrk: each thread walks its own slice of the bodies file (one JSON body a line), counts the
# answers by status and prints them with the latency percentiles in ``done``.
LUA = """
local threads, counter = {}, 0
function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end
function init(args)
  statuses = {}
  noretry = 0
  bodies = {}
  local n = 0
  for line in io.lines(args[1]) do
    n = n + 1
    if (n % tonumber(args[2])) == id then
      local tab = string.find(line, "\t", 1, true)
      table.insert(bodies, {string.sub(line, 1, tab - 1), string.sub(line, tab + 1)})
    end
  end
  i = math.floor(tonumber(args[4]) / tonumber(args[2]))
  headers = {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. args[3]}
end
function request()
  i = i + 1
  if i > #bodies then i = 1 end
  headers["X-Device-Id"] = bodies[i][1]
  return wrk.format("POST", nil, headers, bodies[i][2])
end
function response(status, hdrs, body)
  statuses[status] = (statuses[status] or 0) + 1
  if (status == 503 or status == 429) and not (hdrs["Retry-After"] or hdrs["retry-after"]) then
    noretry = noretry + 1
  end
end
function done(summary, latency, requests)
  local totals, missing = {}, 0
  for _, thread in ipairs(threads) do
    missing = missing + thread:get("noretry")
    for status, n in pairs(thread:get("statuses")) do totals[status] = (totals[status] or 0) + n end
  end
  for status, n in pairs(totals) do io.write(string.format("status %d %d\\n", status, n)) end
  for _, p in ipairs({50, 95, 99}) do
    io.write(string.format("latency %d %d\\n", p, latency:percentile(p)))
  end
  local e = summary.errors
  io.write(string.format("sockets %d\\n", e.connect + e.read + e.write + e.timeout))
  io.write(string.format("duration %d\\n", summary.duration))
  io.write(string.format("requests %d\\n", summary.requests))
end
"""
_STATUS = re.compile(r"^status (\d+) (\d+)$", re.MULTILINE)
_LATENCY = re.compile(r"^latency (\d+) (\d+)$", re.MULTILINE)
_FIELD = re.compile(r"^(sockets|duration|requests|noretry) (\d+)$", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class Staff:
    username: str
    password: str
    otpauth_uri: str | None


@dataclass(frozen=True, slots=True)
class Run:
    """One wrk run: answers by status, percentiles (ms), socket errors, seconds."""

    connections: int
    seconds: float
    statuses: dict[int, int]
    percentiles_ms: dict[int, float]
    socket_errors: int
    without_retry_after: int = 0  # 503/429 answers without a Retry-After header

    @property
    def answers(self) -> int:
        return sum(self.statuses.values())

    @property
    def rate(self) -> float:
        return self.answers / self.seconds if self.seconds else 0.0

    @property
    def ok_rate(self) -> float:
        return sum(n for s, n in self.statuses.items() if 200 <= s < 300) / self.seconds

    def share(self, status: int) -> float:
        return self.statuses.get(status, 0) / self.answers if self.answers else 0.0

    @property
    def clean(self) -> bool:
        return self.socket_errors == 0 and all(200 <= s < 300 for s in self.statuses)


def staff(env: dict[str, str]) -> Staff:
    """The benchmark's city admin on this world, created once (kept in ``bench/.work``)."""
    world = scan_world.manifest_path(env["FANGKONG_DATABASE_URL"]).stem
    saved = scan_world.WORK / f"staff-{world}.json"
    if saved.exists():
        return Staff(**json.loads(saved.read_text()))
    password = secrets.token_urlsafe(18)
    out = scan_world.fangkong(
        env, "users", "create", USERNAME, "--role", ROLE, "--region", CITY,
        "--password-stdin", stdin=password + "\n",
    )  # fmt: skip
    found = _OTPAUTH.search(out)
    made = Staff(USERNAME, password, found.group(0) if found else None)
    saved.write_text(json.dumps(_asdict(made)))
    return made


def _asdict(made: Staff) -> dict[str, str | None]:
    return {"username": made.username, "password": made.password, "otpauth_uri": made.otpauth_uri}


def log_in(who: Staff, base_url: str) -> str:
    form = {"username": who.username, "password": who.password}
    if who.otpauth_uri:
        totp = pyotp.parse_uri(who.otpauth_uri)
        assert isinstance(totp, pyotp.TOTP)
        form["otp"] = totp.now()
    request = urllib.request.Request(
        f"{base_url}/api/v1/auth/token", data=urllib.parse.urlencode(form).encode(), method="POST"
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        token: str = json.load(response)["access_token"]
    return token


def sample_people(engine: Engine, how_many: int, seed: int) -> list[tuple[int, bytes]]:
    """(id, encrypted ID number) of ``how_many`` people spread over the city."""
    rng = random.Random(seed)
    with engine.connect() as connection:
        low, high = connection.execute(text("SELECT min(id), max(id) FROM people")).one()
        ids = rng.sample(range(low, high + 1), min(how_many, high - low + 1))
        rows = connection.execute(
            text(f"SELECT id, id_number_enc FROM people WHERE id IN ({','.join(map(str, ids))})")
        ).all()
    return [(int(i), bytes(enc)) for i, enc in rows]


def write_bodies(
    engine: Engine, out: Path, *, identity: str, people: int, codes: int, seed: int
) -> int:
    """One request a line: a device id, a tab, the JSON body (a random venue's place code,
    a person, a temperature, a mask)."""
    from fangkong.citizens.personal_code import issue  # noqa: PLC0415
    from fangkong.config import Settings  # noqa: PLC0415
    from fangkong.people.protect import Protector  # noqa: PLC0415
    from fangkong.venues.placecode import token_for  # noqa: PLC0415

    settings = Settings()
    rng = random.Random(seed)
    with engine.connect() as connection:
        venues = [int(v) for (v,) in connection.execute(text("SELECT id FROM venues"))]
    places = {v: token_for(settings, v, 1) for v in rng.sample(venues, min(5000, len(venues)))}
    sampled = sample_people(engine, people, seed)
    protector, now = Protector(settings.data_key_bytes), datetime.now(UTC)
    lines = []
    venue_ids = list(places)
    for n in range(codes if identity == "personal_code" else people):
        person_id, enc = sampled[n % len(sampled)]
        venue = rng.choice(venue_ids)
        body: dict[str, object] = {
            "place_code": places[venue],
            "temperature": round(rng.uniform(36.0, 37.2), 1),
            "mask": rng.random() < 0.95,
        }
        if identity == "personal_code":
            body["personal_code"] = issue(settings, person_id, now, 120).payload
        else:
            body["id_number"] = protector.open_id(enc)
        # The door scanner of the venue (X-Device-Id), a tab, the JSON body.
        lines.append(f"door-{venue % 2000}\t" + json.dumps(body, separators=(",", ":")))
    out.write_text("\n".join(lines) + "\n")
    return len(lines)


def load(
    url: str,
    token: str,
    bodies: Path,
    *,
    connections: int,
    seconds: int,
    threads: int = 2,
    offset: int = 0,
) -> Run:
    """One bounded wrk run of POSTs on loopback with the body-walking, counting script;
    ``offset`` bodies are skipped (single-use personal codes already sent)."""
    if urllib.parse.urlsplit(url).hostname not in wrk.LOOPBACK_HOSTS:
        raise RuntimeError(f"refusing to load {url}: only 127.0.0.1 is a target")
    script = bodies.with_name("entry_check.lua")
    script.write_text(LUA)
    threads = min(threads, connections)
    command = [
        shutil.which("wrk") or "wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s",
        "--timeout", "10s", "-s", str(script), url,
        "--", str(bodies), str(threads), token, str(offset),
    ]  # fmt: skip
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=seconds + wrk.GRACE_SECONDS, check=False
    )
    fields = {k: int(v) for k, v in _FIELD.findall(done.stdout)}
    if done.returncode != 0 or "duration" not in fields:
        raise RuntimeError(f"wrk exited {done.returncode}: {done.stderr.strip()}\n{done.stdout}")
    return Run(
        connections=connections,
        seconds=fields["duration"] / 1e6,
        statuses={int(s): int(n) for s, n in _STATUS.findall(done.stdout)},
        percentiles_ms={int(p): int(us) / 1000 for p, us in _LATENCY.findall(done.stdout)},
        socket_errors=fields["sockets"],
        without_retry_after=fields.get("noretry", 0),
    )
