"""What each domain contributes to the generic checks under ``tests/harness/``.

Every domain keeps one ``tests/<domain>/harness.py`` that calls ``register(Domain(...))`` with

- the API path prefixes it owns (every operation of ``/openapi.json`` must fall under one, so
  that a new route without a registered domain fails the cross-jurisdiction probe);
- ``seed``: its factory, which makes its records in one district through the domain's own
  service code and returns their ids (by kind) and the text only they put in an answer;
- the names by which its ids appear in paths, queries and bodies (``id_names``);
- requests the probe cannot build from the schema alone (``requests``), operations the probe
  does not apply to, each with its reason (``unscoped``), and lists that change with the
  probe's own calls (``volatile``: compared by markers only);
- its bad inputs (``bad_inputs``) and its bulk paths (``bulk_paths``).

``load()`` imports every ``tests/*/harness.py`` once.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from fangkong.config import Settings

TESTS = Path(__file__).resolve().parent.parent
Ids = Mapping[str, str]  # id kind -> one id of that kind, as it appears in a path or a body


@dataclass(frozen=True)
class District:
    """One of the two districts the harness seeds; ``tag`` marks every record made there."""

    code: str
    tag: str

    @property
    def street(self) -> str:
        return f"{self.code}001"

    @property
    def community(self) -> str:
        return f"{self.code}001002"

    @property
    def grid(self) -> str:
        return f"{self.code}001002003"

    @property
    def grid_2(self) -> str:
        return f"{self.code}001002004"


@dataclass(frozen=True)
class Seeded:
    """What a factory made in one district: ids by kind, and text only those records show."""

    ids: Ids = field(default_factory=dict)
    markers: tuple[str, ...] = ()


Seed = Callable[[Session, Settings, District], Seeded]
RequestBuilder = Callable[[Ids], dict[str, Any]]  # the other district's ids -> client kwargs


@dataclass(frozen=True)
class BadInput:
    """A request a domain's issue names as bad: a 4xx problem+json with ``code``, and nothing
    written. ``path``, and the strings of ``json``/``data``/``params``, may hold ``{kind}``
    placeholders, filled with the ids of the caller's own district (``{kind:int}`` as a number).
    ``line``: a bulk route that refuses line by line answers ``status`` (200) with a report whose
    refused lines (``rejected_lines``, or ``refused`` of receiving) are exactly one, with ``code``.
    """

    name: str
    method: str
    path: str
    status: int
    code: str
    json: Any = None
    data: Mapping[str, str] | None = None
    params: Mapping[str, str] | None = None
    files: Callable[[Ids], Mapping[str, tuple[str, bytes, str]]] | None = None
    role: str = "district_officer"
    line: bool = False


@dataclass(frozen=True)
class BulkPath:
    """A bulk import that must survive being killed: ``prepare`` commands run once, then
    ``command(file)`` is killed at a random point and run again; ``snapshot`` reads what it
    wrote as natural keys (never ids, which a killed run may have used up)."""

    name: str
    write_file: Callable[[Path, int], None]  # (path, rows)
    prepare: Callable[[Path], list[tuple[str, ...]]]  # work folder -> commands before the import
    command: Callable[[Path], tuple[str, ...]]
    snapshot: Callable[[Connection], list[tuple[Any, ...]]]
    rows: int = 20_000


@dataclass(frozen=True)
class Domain:
    name: str
    prefixes: tuple[str, ...]
    seed: Seed
    order: int = 50  # seeds run in this order (regions first: the others place records in them)
    id_names: Mapping[str, str] = field(default_factory=dict)  # parameter name -> id kind
    requests: Mapping[str, RequestBuilder] = field(default_factory=dict)  # "POST /path"
    unscoped: Mapping[str, str] = field(default_factory=dict)  # "GET /path" -> why
    volatile: Mapping[str, str] = field(default_factory=dict)  # "GET /path" -> why
    reads: frozenset[str] = frozenset()  # POST operations that only read ("POST /path")
    bad_inputs: tuple[BadInput, ...] = ()
    bulk_paths: tuple[BulkPath, ...] = ()


_domains: dict[str, Domain] = {}


def register(domain: Domain) -> Domain:
    _domains[domain.name] = domain
    return domain


def load() -> list[Domain]:
    """Every registered domain, in seeding order (imports each ``tests/*/harness.py`` once)."""
    for path in sorted(TESTS.glob("*/harness.py")):
        importlib.import_module(f"{path.parent.name}.harness")
    return sorted(_domains.values(), key=lambda d: (d.order, d.name))


def owner(domains: list[Domain], path: str) -> Domain | None:
    """The domain with the longest prefix of ``path``."""
    matches = [(len(p), d) for d in domains for p in d.prefixes if path.startswith(p)]
    return max(matches, key=lambda m: m[0])[1] if matches else None


def merged(domains: list[Domain], attribute: str) -> dict[str, Any]:
    """One mapping from the same mapping attribute of every domain."""
    found: dict[str, Any] = {}
    for domain in domains:
        found.update(getattr(domain, attribute))
    return found
