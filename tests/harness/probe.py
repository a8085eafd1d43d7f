"""The mechanics of the cross-jurisdiction probe and the bad-input catalogue: the operations of
the OpenAPI document, ids placed in paths, queries and bodies, what an answer shows, and a
checksum of every table."""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from fangkong.models.base import Base
from harness.registry import District, Domain, Ids

OWN = District("230102", "探针甲")
OTHER = District("230103", "探针乙")
# Rows that record the probe's own calls (who logged in, read or was refused): they may grow.
LOG_TABLES = frozenset(
    {"audit_log", "person_access_log", "login_attempts", "web_sessions", "job_runs", "job_locks"}
)
MUTATING = ("post", "put", "patch", "delete")
_PARAMETER = re.compile(r"{([^}]+)}")


class Unplaceable(Exception):
    """A parameter the registry names no id kind for: the route's domain must register it."""


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    spec: Mapping[str, Any]

    @property
    def key(self) -> str:
        return f"{self.method.upper()} {self.path}"

    def parameters(self, where: str) -> list[str]:
        return [p["name"] for p in self.spec.get("parameters", []) if p["in"] == where]


def operations(document: Mapping[str, Any]) -> Iterator[Operation]:
    for path, methods in document["paths"].items():
        for method, spec in methods.items():
            yield Operation(method, path, spec)


def filled_path(operation: Operation, ids: Ids, id_names: Mapping[str, str]) -> str:
    """The path with each parameter replaced by the id of its kind."""

    def replace(match: re.Match[str]) -> str:
        return ids[_kind(match.group(1), ids, id_names, operation)]

    return _PARAMETER.sub(replace, operation.path)


def _kind(name: str, ids: Ids, id_names: Mapping[str, str], operation: Operation) -> str:
    kind = id_names.get(name)
    if kind is None or kind not in ids:
        raise Unplaceable(f"{operation.key}: no id kind registered for parameter {name!r}")
    return kind


def id_query(operation: Operation, ids: Ids, id_names: Mapping[str, str]) -> dict[str, str]:
    """The query parameters that name an id kind, set to ``ids``."""
    names = operation.parameters("query")
    return {n: ids[id_names[n]] for n in names if id_names.get(n) in ids}


def json_body(
    document: Mapping[str, Any], operation: Operation, ids: Ids, id_names: Mapping[str, str]
) -> Any:
    """A JSON body for the operation: every property that names an id kind carries ``ids``,
    the other required ones a plain value of their type. None without a JSON body."""
    content = operation.spec.get("requestBody", {}).get("content", {})
    schema = content.get("application/json", {}).get("schema")
    if schema is None:
        return None
    return _value(document, schema, ids, id_names, depth=0)


def _value(document: Mapping[str, Any], schema: Mapping[str, Any], ids: Ids, id_names, depth):
    schema = _resolved(document, schema)
    if "anyOf" in schema or "oneOf" in schema:
        options = [
            o for o in schema.get("anyOf", schema.get("oneOf", [])) if o.get("type") != "null"
        ]
        return _value(document, options[0], ids, id_names, depth) if options else None
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        return _object(document, schema, ids, id_names, depth)
    if kind == "array":
        item = _value(document, schema.get("items", {}), ids, id_names, depth + 1)
        return [item] if depth < 3 else []
    return _scalar(schema)


def _object(document, schema, ids, id_names, depth) -> dict[str, Any]:
    body = {}
    required = set(schema.get("required", []))
    for name, prop in schema.get("properties", {}).items():
        kind = id_names.get(name)
        if kind in ids:
            body[name] = _as_type(ids[kind], _resolved(document, prop))
        elif name in required and depth < 3:
            body[name] = _value(document, prop, ids, id_names, depth + 1)
    return body


def _as_type(value: str, schema: Mapping[str, Any]) -> Any:
    types = {schema.get("type")} | {o.get("type") for o in schema.get("anyOf", [])}
    return int(value) if "integer" in types and value.isdigit() else value


def _scalar(schema: Mapping[str, Any]) -> Any:
    if "enum" in schema:
        return schema["enum"][0]
    if "default" in schema:
        return schema["default"]
    formats = {"date": "2024-05-01", "date-time": "2024-05-01T08:00:00+08:00"}
    if schema.get("format") in formats:
        return formats[schema["format"]]
    kinds = {"integer": 1, "number": 1, "boolean": False}
    if schema.get("type") in kinds:
        return kinds[schema["type"]]
    return "探针" + "x" * max(0, int(schema.get("minLength", 0)) - 2)


def _resolved(document: Mapping[str, Any], schema: Mapping[str, Any]) -> Mapping[str, Any]:
    while "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = document["components"]["schemas"][name]
    if "allOf" in schema and len(schema["allOf"]) == 1:
        return _resolved(document, schema["allOf"][0])
    return schema


def shown_text(response: Any) -> str:
    """Everything an answer shows a reader: its text, or the cells of a workbook."""
    kind = response.headers.get("content-type", "")
    if "spreadsheetml" in kind:
        book = load_workbook(io.BytesIO(response.content), read_only=True)
        cells = (c for sheet in book for r in sheet.iter_rows(values_only=True) for c in r)
        return "\n".join(str(c) for c in cells if c is not None)
    return response.text


def leaked(response: Any, markers: tuple[str, ...]) -> list[str]:
    shown = shown_text(response)
    return [marker for marker in markers if marker in shown]


def checksums(session: Session, *, skip: frozenset[str] = LOG_TABLES) -> dict[str, str]:
    """Row count and a digest of every row, per table (log tables left out)."""
    session.flush()
    sums = {}
    for table in Base.metadata.sorted_tables:
        if table.name in skip:
            continue
        order = list(table.primary_key.columns) or list(table.columns)
        rows = session.execute(select(table).order_by(*order)).all()
        digest = hashlib.sha256(repr([tuple(r) for r in rows]).encode()).hexdigest()[:16]
        sums[table.name] = f"{len(rows)}:{digest}"
    return sums


def changed_tables(before: Mapping[str, str], after: Mapping[str, str]) -> list[str]:
    return sorted(name for name in before if before[name] != after.get(name))


def seed(
    session: Session, settings: Any, domains: list[Domain], district: District
) -> tuple[dict[str, str], tuple[str, ...]]:
    """Run every domain's factory in ``district``; their ids merged, and their markers."""
    ids: dict[str, str] = {}
    markers: list[str] = []
    for domain in domains:
        made = domain.seed(session, settings, district)
        ids.update(made.ids)
        markers.extend(made.markers)
    session.commit()
    return ids, tuple(markers)
