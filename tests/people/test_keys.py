"""Rotating the personal-data key: everything opens and is found under the new key, nothing
under the old one, second factors keep working, and a failed rotation changes nothing."""

from __future__ import annotations

import random
import secrets
from datetime import date, timedelta

import pyotp
import pytest
from cryptography.exceptions import InvalidTag
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from factories import PASSWORD, make_tree, make_user
from fangkong.auth import service as auth
from fangkong.config import Settings
from fangkong.core import security
from fangkong.core.principal import SYSTEM
from fangkong.models import AuditLog, IdType, Person, User
from fangkong.people import idcard, importer, keys
from fangkong.people.protect import Protector

TODAY = date(2024, 5, 1)
GRID = "230102001002003"


def resident_id(seed: int) -> str:
    born = date(1970, 1, 1) + timedelta(days=seed)
    return idcard.synthesize(random.Random(seed), region_code="230102", birth_date=born, sex="2")


def people_rows() -> list[dict[str, str]]:
    rows = [
        {"name": f"测试{seed}", "id_number": resident_id(seed), "grid_code": GRID}
        | ({"phone": f"139{seed:08d}"} if seed % 2 else {"phone": ""})
        for seed in range(1, 8)
    ]
    rows.append(
        {
            "name": "外籍测试",
            "id_type": "passport",
            "id_number": "P1234567",
            "sex": "1",
            "birth_date": "1988-08-08",
            "phone": "13900000099",
            "grid_code": GRID,
        }
    )
    return rows


def stored(session: Session) -> list[Person]:
    session.expire_all()
    return list(session.scalars(select(Person).order_by(Person.id)))


@pytest.fixture
def imported(session: Session, settings: Settings) -> list[dict[str, str]]:
    make_tree(session, "230102")
    rows = people_rows()
    old = Protector(settings.data_key_bytes)
    report = importer.import_rows(session, actor=SYSTEM, protector=old, rows=rows, today=TODAY)
    assert report.inserted == len(rows)
    return rows


def test_rotation_reseals_every_person_and_second_factor(session, settings, imported):
    secret = pyotp.random_base32()
    make_user(session, username="officer-totp", totp_secret=secret, settings=settings)
    make_user(session, username="officer-plain")
    old = Protector(settings.data_key_bytes)
    before = {p.id: (p.id_number_masked, p.phone_masked, p.match_key) for p in stored(session)}
    new_settings = Settings(
        env="test",
        database_url=settings.database_url,
        secret_key=settings.secret_key,
        data_key=security.new_key(),
    )
    new_key = new_settings.data_key_bytes
    new = Protector(new_key)

    assert keys.rotate_key(session, old=old, new=new, batch=3) == len(imported)

    people = stored(session)
    for person, row in zip(people, imported, strict=True):
        number = row["id_number"]
        assert new.open_id(person.id_number_enc) == number
        assert person.id_number_hash == new.id_hash(person.id_type, number)
        phone = row["phone"] or None
        assert (new.open_phone(person.phone_enc) if person.phone_enc else None) == phone
        assert person.phone_hash == (new.phone_hash(phone) if phone else None)
        with pytest.raises(InvalidTag):
            old.open_id(person.id_number_enc)
        masked_id, masked_phone, old_match = before[person.id]
        assert (person.id_number_masked, person.phone_masked) == (masked_id, masked_phone)
        if phone:
            assert person.match_key == new.match_key(person.name, person.birth_date, phone)
            assert person.match_key != old_match
    passport = new.id_hash(IdType.PASSPORT, "P1234567")
    assert session.scalars(select(Person.name).where(Person.id_number_hash == passport)).one() == (
        "外籍测试"
    )
    assert not session.scalars(
        select(Person).where(Person.id_number_hash == old.id_hash(IdType.PASSPORT, "P1234567"))
    ).all()

    user = auth.authenticate(
        session,
        settings=new_settings,
        username="officer-totp",
        password=PASSWORD,
        otp=pyotp.TOTP(secret).now(),
    )
    assert user.username == "officer-totp"
    with pytest.raises(InvalidTag):
        security.decrypt(settings.data_key_bytes, user.totp_secret, context=b"totp")

    entry = session.scalars(select(AuditLog).where(AuditLog.action == "person.rotate_key")).one()
    assert entry.after == {"people": len(imported), "totp_secrets": 1}
    assert new_key.hex() not in str(entry.after) and "key" not in str(entry.after)


def test_a_failed_rotation_leaves_everything_under_the_old_key(session, settings, imported):
    old = Protector(settings.data_key_bytes)
    last = stored(session)[-1]
    # A record sealed under some third key: it cannot be opened, so the rotation must fail.
    stranger = Protector(secrets.token_bytes(32)).seal_id("resident_id", resident_id(99))
    savepoint = session.begin_nested()
    session.execute(
        update(Person).where(Person.id == last.id).values(id_number_enc=stranger.ciphertext)
    )
    inner = session.begin_nested()
    with pytest.raises(keys.KeyRotationFailed, match=f"person {last.id} does not open"):
        keys.rotate_key(session, old=old, new=Protector(secrets.token_bytes(32)), batch=2)
    inner.rollback()
    savepoint.rollback()

    for person, row in zip(stored(session), imported, strict=True):
        assert old.open_id(person.id_number_enc) == row["id_number"]
        assert person.id_number_hash == old.id_hash(person.id_type, row["id_number"])
    assert not session.scalars(select(AuditLog).where(AuditLog.action == "person.rotate_key")).all()


def test_verification_refuses_a_record_that_does_not_open(session, settings, imported):
    new = Protector(secrets.token_bytes(32))
    rows = keys._batches(session, 100)
    sealed = next(rows)
    with pytest.raises(keys.KeyRotationFailed, match="does not open under the new key"):
        keys._verify(sealed, new)


def test_rotating_to_the_same_key_is_refused(session, settings):
    same = Protector(settings.data_key_bytes)
    with pytest.raises(ValueError, match="the new key is the old key"):
        keys.rotate_key(session, old=same, new=same)


def test_users_without_a_second_factor_are_left_alone(session, settings):
    user = make_user(session, username="plain")
    moved = auth.reencrypt_totp_secrets(
        session, old_key=settings.data_key_bytes, new_key=secrets.token_bytes(32)
    )
    assert moved == 0
    assert session.get(User, user.id).totp_secret is None
