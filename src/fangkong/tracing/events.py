"""Events of the tracing domain, published with ``fangkong.core.events.publish``.

- ``ContactConfirmed``: the epidemiologist confirmed a close or secondary contact, or a new
  confirmed link moved its last exposure later. Quarantine places the person (or moves the
  day 0 of the open placement) by the edition's measure for the degree, counted from
  ``last_exposure_at``; it is idempotent per ``contact_id``.
- ``ContactsConfirmed``: a decision batch of ``ContactConfirmed``, published once for the
  batch so that quarantine places the contacts together (one insert, one recount).
- ``ContactClosed``: a confirmed contact no longer needs control: ``rejected`` on review,
  ``upgraded`` (a secondary contact became a close one: a new ``ContactConfirmed`` follows),
  or ``released``. Quarantine cancels a placement that has not started.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class ContactConfirmed:
    contact_id: int
    person_id: int
    degree: str  # close | secondary
    last_exposure_at: datetime
    region_code: str


@dataclass(frozen=True)
class ContactsConfirmed:
    contacts: tuple[ContactConfirmed, ...]


@dataclass(frozen=True)
class ContactClosed:
    contact_id: int
    person_id: int
    degree: str
    status: str  # rejected | upgraded | released
