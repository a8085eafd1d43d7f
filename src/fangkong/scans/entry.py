"""Building an entry request from what a door scanner sends (the API and the scanner page).

The personal code is opened here, before any database work (forged and expired codes cost
nothing); the nonce is claimed later, inside the hot path's transaction.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime

from fangkong.citizens import personal_code
from fangkong.config import Settings
from fangkong.core.principal import Principal
from fangkong.scans import ingest
from fangkong.scans.checks import EntryRequest
from fangkong.scans.errors import PersonRequired
from fangkong.venues import placecode
from fangkong.venues.errors import PlaceCodeInvalid

# What a typed ID number looks like (a scanned personal code never does).
ID_NUMBER = re.compile(r"^[0-9]{17}[0-9Xx]$|^[0-9]{15}$")


def venue_id_of(settings: Settings, token: str) -> int:
    """The venue id of a genuine place code (no database: forged codes cost nothing)."""
    parsed = placecode.parse(settings, token)
    if parsed is None:
        raise PlaceCodeInvalid()
    return parsed[0]


def looks_like_id_number(text: str) -> bool:
    return bool(ID_NUMBER.match(text.strip()))


def door_request(
    settings: Settings,
    base: EntryRequest,
    *,
    personal: str | None,
    id_number: str | None,
) -> EntryRequest:
    """``base`` with the person: an opened personal code, or an ID number's keyed hash."""
    if personal is not None and id_number is None:
        opened = personal_code.open_payload(settings, personal, base.now)
        return replace(base, person_id=opened.person_id, nonce=(opened.nonce, opened.expires_at))
    if id_number is not None and personal is None:
        return replace(base, id_hash=ingest.id_number_hash(settings, id_number))
    raise PersonRequired()


def door_base(
    token: str,
    now: datetime,
    actor: Principal,
    *,
    temperature: float | None,
    mask: bool | None,
    emergency: bool,
    device: str | None,
) -> EntryRequest:
    return EntryRequest(
        token=token, now=now, source="door", actor=actor, temperature=temperature, mask=mask,
        emergency=emergency, device=device,
    )  # fmt: skip
