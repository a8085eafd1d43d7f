"""The person's timeline across domains: each later domain contributes what it knows of a
person (codes, tests, trips, cases) without the people domain importing it.

A domain registers a ``Source`` with ``@source`` in a module its package imports (as event
handlers are registered). A source gets the session, the principal reading the page and the
person's id, and returns ``Entry`` rows — nothing when the principal may not read that domain.
The person page and ``GET /api/v1/people/{id}/timeline`` merge them, newest first, with the
record's own events.

An entry's ``text`` is a msgid with ``%(name)s`` placeholders; ``params`` fill them. A value
that is itself a msgid (a colour, a reason, a result) is a ``Msg``; a tuple of them is a list
that is translated item by item and joined.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session

from fangkong.core import i18n
from fangkong.core.principal import Principal


class Msg(str):
    """A parameter value that is a msgid, translated when the entry is shown."""

    __slots__ = ()


Param = str | Msg | tuple[Msg, ...]


@dataclass(frozen=True)
class Entry:
    at: datetime
    domain: str  # health_code | testing | arrivals | ...
    text: str
    params: Mapping[str, Param] = field(default_factory=dict)
    link: str | None = None
    tone: str = ""  # ok | warn | alert (the tag styles), or empty


@dataclass(frozen=True)
class Shown:
    """An entry in one language."""

    at: datetime
    domain: str
    text: str
    link: str | None
    tone: str
    kind: str = "domain"  # beside the record's own events on the person page


Source = Callable[[Session, Principal, int], Iterable[Entry]]
_sources: list[Source] = []


def source(func: Source) -> Source:
    """Register a domain's contribution to every person's timeline."""
    _sources.append(func)
    return func


def entries(session: Session, actor: Principal, person_id: int, limit: int = 100) -> list[Entry]:
    """Every registered domain's entries for the person, newest first, at most ``limit``."""
    found = [entry for func in _sources for entry in func(session, actor, person_id)]
    found.sort(key=lambda entry: entry.at, reverse=True)
    return found[:limit]


def _value(locale: str, value: Param) -> str:
    if isinstance(value, tuple):
        joiner = "、" if locale == "zh_CN" else ", "
        return joiner.join(i18n.gettext(locale, item) for item in value)
    return i18n.gettext(locale, value) if isinstance(value, Msg) else value


def show(entry: Entry, locale: str) -> Shown:
    params = {name: _value(locale, value) for name, value in entry.params.items()}
    text = i18n.gettext(locale, entry.text) % params if params else i18n.gettext(locale, entry.text)
    return Shown(entry.at, entry.domain, text, entry.link, entry.tone)
