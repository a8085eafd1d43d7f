"""Rotating the personal-data key (``fangkong people rotate-key``).

Every ID number and phone is decrypted with the old key and sealed again with the new one; the
lookup hashes and likely-duplicate keys, which are keyed too, are recomputed; the masked forms
do not depend on the key and stay. Users' TOTP secrets are under the same key and are moved by
the auth domain's service. It all happens in the caller's transaction, in batches of ``batch``
people by id, and is verified (every row opened and re-hashed under the new key) before the
function returns, so that a commit can only ever store a complete rotation; any failure raises,
and the caller's rollback leaves everything under the old key.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, cast

from cryptography.exceptions import InvalidTag
from sqlalchemy import Table, bindparam, select, update
from sqlalchemy.orm import Session

from fangkong.audit import service as audit
from fangkong.auth import service as auth
from fangkong.core.principal import SYSTEM, Principal
from fangkong.models import Person
from fangkong.people.protect import Protector

PEOPLE = cast(Table, Person.__table__)
_SEALED = select(
    PEOPLE.c.id,
    PEOPLE.c.id_type,
    PEOPLE.c.name,
    PEOPLE.c.birth_date,
    PEOPLE.c.id_number_enc,
    PEOPLE.c.id_number_hash,
    PEOPLE.c.phone_enc,
    PEOPLE.c.phone_hash,
    PEOPLE.c.match_key,
).order_by(PEOPLE.c.id)
_RESEAL = (
    update(PEOPLE)
    .where(PEOPLE.c.id == bindparam("person_id"))
    .values(
        id_number_enc=bindparam("new_id_enc"),
        id_number_hash=bindparam("new_id_hash"),
        phone_enc=bindparam("new_phone_enc"),
        phone_hash=bindparam("new_phone_hash"),
        match_key=bindparam("new_match_key"),
    )
)


class KeyRotationFailed(RuntimeError):
    """A record did not open, or did not hash as stored, under the new key."""


def rotate_key(
    session: Session,
    *,
    old: Protector,
    new: Protector,
    batch: int = 2000,
    actor: Principal = SYSTEM,
) -> int:
    """Re-seal every person under ``new``; returns how many. Raises ``KeyRotationFailed``."""
    if old.key == new.key:
        raise ValueError("the new key is the old key")
    people = 0
    for rows in _batches(session, batch):
        session.execute(_RESEAL, [_resealed(row, old, new) for row in rows])
        people += len(rows)
    verified = sum(_verify(rows, new) for rows in _batches(session, batch))
    if verified != people:
        raise KeyRotationFailed(f"{people} people re-sealed but {verified} verified")
    secrets = auth.reencrypt_totp_secrets(session, old_key=old.key, new_key=new.key)
    audit.record(
        session,
        actor=actor,
        action="person.rotate_key",
        object_type="data_key",
        object_id="FANGKONG_DATA_KEY",
        region_code=actor.region_code,
        after={"people": people, "totp_secrets": secrets},
    )
    session.flush()
    return people


def _batches(session: Session, size: int) -> Iterator[Sequence[Any]]:
    """All people, ``size`` at a time, by id (keyset pagination: each batch one index range)."""
    last = 0
    while rows := session.execute(_SEALED.where(PEOPLE.c.id > last).limit(size)).all():
        yield rows
        last = rows[-1].id


def _resealed(row: Any, old: Protector, new: Protector) -> dict[str, Any]:
    try:
        number = old.open_id(row.id_number_enc)
        phone = old.open_phone(row.phone_enc) if row.phone_enc is not None else None
    except InvalidTag:
        raise KeyRotationFailed(f"person {row.id} does not open under the current key") from None
    sealed_id = new.seal_id(str(row.id_type), number)
    sealed_phone = new.seal_phone(phone) if phone is not None else None
    return {
        "person_id": row.id,
        "new_id_enc": sealed_id.ciphertext,
        "new_id_hash": sealed_id.lookup_hash,
        "new_phone_enc": sealed_phone.ciphertext if sealed_phone else None,
        "new_phone_hash": sealed_phone.lookup_hash if sealed_phone else None,
        "new_match_key": new.match_key(row.name, row.birth_date, phone),
    }


def _verify(rows: Sequence[Any], new: Protector) -> int:
    for row in rows:
        try:
            number = new.open_id(row.id_number_enc)
            phone = new.open_phone(row.phone_enc) if row.phone_enc is not None else None
        except InvalidTag:
            raise KeyRotationFailed(f"person {row.id} does not open under the new key") from None
        phone_hash = new.phone_hash(phone) if phone is not None else None
        if (new.id_hash(str(row.id_type), number), phone_hash) != (
            row.id_number_hash,
            row.phone_hash,
        ):
            raise KeyRotationFailed(f"person {row.id} does not hash as stored under the new key")
    return len(rows)
