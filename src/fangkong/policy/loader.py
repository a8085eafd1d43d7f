"""Read policy editions from YAML, resolve overlays onto their base, validate the result.

An overlay (a file with ``base:``) holds only the keys a local notice changes; it is
deep-merged onto its resolved base (mappings merge key by key, lists and scalars replace)
and the merged edition is validated as a whole, so an overlay can never produce an edition
that a complete file could not. A base is looked up next to the overlay first, then among
the shipped editions, so a deployment can keep its own overlay on a national edition.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from fangkong.core.errors import N_, DomainError
from fangkong.policy.schema import Edition

RawEdition = dict[str, Any]
FetchBase = Callable[[str], RawEdition]

# Keys an overlay must state itself instead of inheriting them from its base.
_OWN_KEYS = ("id", "title", "title_en", "effective_on", "source")
_EDITION_ID = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


class EditionInvalid(DomainError):
    code = "policy.invalid_edition"
    status = 422
    title = N_("The policy edition file is invalid.")


class EditionNotFound(DomainError):
    code = "policy.edition_not_found"
    status = 404
    title = N_("The policy edition does not exist.")


def shipped_directory() -> Traversable:
    """The directory of the editions shipped with the package."""
    return resources.files("fangkong") / "policies"


def deep_merge(base: Mapping[str, Any], overlay: Mapping[str, Any]) -> dict[str, Any]:
    """``overlay`` on top of ``base``: mappings merge recursively, anything else replaces."""
    merged = dict(base)
    for key, value in overlay.items():
        current = merged.get(key)
        if isinstance(current, Mapping) and isinstance(value, Mapping):
            merged[key] = deep_merge(current, value)
        else:
            merged[key] = value
    return merged


def parse_edition(data: Mapping[str, Any], *, source_name: str) -> Edition:
    """Validate a complete (already resolved) edition; every failing field is named."""
    try:
        return Edition.model_validate(data)
    except ValidationError as error:
        raise EditionInvalid(f"{source_name}: {_describe(error)}") from error


def load_edition_file(path: Path | str) -> Edition:
    """Load one edition file, resolving its base if it is an overlay."""
    path = Path(path)
    raw = _resolve(_read_yaml(path), _fetch_from(path.parent, shipped_directory()))
    return parse_edition(raw, source_name=path.name)


def available_editions(directory: Path | None = None) -> dict[str, Edition]:
    """Every ``*.yaml`` edition in ``directory`` (default: the shipped ones) by id."""
    if directory is None:
        return dict(_shipped_editions())
    return _editions_in(directory)


def get_edition(edition_id: str) -> Edition:
    """A shipped edition by id."""
    editions = available_editions()
    if edition_id not in editions:
        known = ", ".join(sorted(editions))
        raise EditionNotFound(f"No policy edition {edition_id!r}; available: {known}.")
    return editions[edition_id]


@functools.lru_cache(maxsize=1)
def _shipped_editions() -> Mapping[str, Edition]:
    # The shipped files are identical in every worker, so a per-process cache is safe.
    return _editions_in(shipped_directory())


def _editions_in(directory: Traversable) -> dict[str, Edition]:
    fetch = _fetch_from(directory, shipped_directory())
    entries = sorted(
        (entry for entry in directory.iterdir() if entry.name.endswith(".yaml")),
        key=lambda entry: entry.name,
    )
    return dict(_load_entry(entry, fetch) for entry in entries)


def _load_entry(entry: Traversable, fetch: FetchBase) -> tuple[str, Edition]:
    edition = parse_edition(_resolve(_read_yaml(entry), fetch), source_name=entry.name)
    expected = entry.name.removesuffix(".yaml")
    if edition.id != expected:
        raise EditionInvalid(f"{entry.name}: id: {edition.id!r} must equal the file name")
    return edition.id, edition


def _read_yaml(entry: Traversable) -> RawEdition:
    try:
        data = yaml.safe_load(entry.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise EditionInvalid(f"{entry.name}: not valid YAML: {error}") from error
    if not isinstance(data, dict):
        raise EditionInvalid(f"{entry.name}: the file must hold a mapping of keys")
    return data


def _fetch_from(*directories: Traversable) -> FetchBase:
    def fetch(edition_id: str) -> RawEdition:
        for directory in directories:
            entry = directory / f"{edition_id}.yaml"
            if entry.is_file():
                return _read_yaml(entry)
        raise EditionNotFound(f"The base edition {edition_id!r} does not exist.")

    return fetch


def _resolve(raw: RawEdition, fetch: FetchBase, chain: tuple[str, ...] = ()) -> RawEdition:
    base_id = raw.get("base")
    if base_id is None:
        return raw
    chain = (*chain, str(raw.get("id")))
    _check_overlay(raw, base_id, chain)
    return deep_merge(_resolve(fetch(base_id), fetch, chain), raw)


def _check_overlay(raw: RawEdition, base_id: object, chain: tuple[str, ...]) -> None:
    # Checked before any file is opened, so a base can never name a path elsewhere.
    if not isinstance(base_id, str) or not _EDITION_ID.fullmatch(base_id):
        raise EditionInvalid(f"{chain[-1]}: base: must be an edition id")
    if base_id in chain:
        raise EditionInvalid(f"base: overlays form a cycle: {' -> '.join((*chain, base_id))}")
    missing = [key for key in _OWN_KEYS if key not in raw]
    if missing:
        raise EditionInvalid(f"{chain[-1]}: an overlay must state its own {', '.join(missing)}")


def _describe(error: ValidationError) -> str:
    problems = error.errors()
    return "; ".join(
        f"{_dotted(problem['loc'])}: {problem['msg'].removeprefix('Value error, ')}"
        for problem in problems
    )


def _dotted(loc: tuple[int | str, ...]) -> str:
    # An empty location is a rule across sections; its message names the fields.
    return ".".join(str(part) for part in loc) or "edition"
