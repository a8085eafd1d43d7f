"""In-process domain events. Services publish after flush; handlers run in the same transaction.

Handlers are registered at import time by each domain's ``__init__`` (the same in every worker;
the ``fangkong`` command imports the package of each of its groups, ``cli.GROUPS``, so a domain
with handlers and no command group must be imported there too).
A handler that raises aborts the whole unit of work, so a rollback drops every reaction.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy.orm import Session

E = TypeVar("E")
Handler = Callable[[Session, Any], None]
_handlers: defaultdict[type, list[Handler]] = defaultdict(list)


def subscribe(
    event_type: type[E],
) -> Callable[[Callable[[Session, E], None]], Callable[[Session, E], None]]:
    def register(handler: Callable[[Session, E], None]) -> Callable[[Session, E], None]:
        _handlers[event_type].append(handler)
        return handler

    return register


def publish(session: Session, event: object) -> None:
    for handler in list(_handlers[type(event)]):
        handler(session, event)


def unsubscribe(event_type: type, handler: Handler) -> None:
    """Remove a handler (tests that subscribe one for a single case)."""
    _handlers[event_type].remove(handler)
