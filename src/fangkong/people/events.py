"""Events the people domain publishes; later domains subscribe to keep their links right.

``PersonMerged`` is published inside the merge's transaction, after the people domain has moved
its own links (household, key groups, duplicate pairs). A domain that stores a ``person_id``
(tests, codes, trips, cases) subscribes with ``core.events.subscribe(PersonMerged)`` and
re-points ``merged_id`` → ``kept_id``; a handler that raises rolls the whole merge back.
"""

from __future__ import annotations

from dataclasses import dataclass

from fangkong.core.principal import Principal


@dataclass(frozen=True)
class PersonMerged:
    merged_id: int
    kept_id: int
    actor: Principal
