"""Citizens: sign-in by a one-time code to the phone, sessions, their own code and its check.

A citizen sees only their own record: every function takes the signed-in person's id and no
other. Services flush, never commit; the routes commit (and also after a wrong code, so that
the try is counted although the request fails).
"""

from __future__ import annotations

import logging
import re
from datetime import datetime, timedelta
from functools import lru_cache

import redis
from sqlalchemy.orm import Session

from fangkong.audit import service as audit
from fangkong.care.requests import service as care_requests
from fangkong.care.requests.schemas import OwnRequestCreate, RequestOut
from fangkong.citizens import nonces, personal_code, repository, tokens
from fangkong.citizens.errors import (
    AppealTextInvalid,
    NotSignedIn,
    OtpExhausted,
    OtpExpired,
    OtpInvalid,
    PersonalCodeExpired,
    PersonalCodeInvalid,
    PersonalCodeReplayed,
    SmsFailed,
)
from fangkong.citizens.schemas import (
    AppealOut,
    Citizen,
    HealthCodeOut,
    MeOut,
    ReasonOut,
    VerifyOut,
)
from fangkong.citizens.senders import Sender
from fangkong.config import Settings
from fangkong.core import clock
from fangkong.core.masking import mask_person_name
from fangkong.core.principal import Principal
from fangkong.healthcode import service as healthcode
from fangkong.healthcode.schemas import CodeCard
from fangkong.models.citizen import CitizenOtp, CitizenSession
from fangkong.people.protect import Protector
from fangkong.people.validation import normalize_phone
from fangkong.policy import service as policy
from fangkong.scans import service as scans
from fangkong.scans.schemas import ScanView
from fangkong.vaccination import service as vaccination
from fangkong.vaccination.schemas import PersonRecord

log = logging.getLogger(__name__)
APPEAL_TEXT = re.compile(r"[^\x00-\x08\x0b-\x1f\x7f]{1,1000}")


@lru_cache(maxsize=4)
def _protector(key: bytes) -> Protector:
    return Protector(key)


def phone_hash(settings: Settings, raw_phone: str) -> str:
    """The people domain's lookup hash of a phone (``person.invalid_phone`` when malformed)."""
    phone = normalize_phone(raw_phone) or ""
    return _protector(settings.data_key_bytes).phone_hash(phone)


# --- one-time codes and sessions ------------------------------------------------------------


def request_otp(session: Session, settings: Settings, raw_phone: str, sender: Sender) -> None:
    """Send a fresh code when the phone belongs to a resident; silently nothing otherwise."""
    phone = normalize_phone(raw_phone) or ""
    hashed = phone_hash(settings, phone)
    person_id = repository.person_id_for_phone(session, hashed)
    if person_id is None:
        return
    now = clock.now()
    repository.retire_otps(session, hashed, now)
    code = tokens.new_code(settings.otp_length)
    otp = CitizenOtp(
        phone_hash=hashed,
        person_id=person_id,
        code_hash=tokens.code_hash(settings, hashed, code),
        created_at=now,
        expires_at=now + timedelta(minutes=settings.otp_minutes),
        attempts=0,
    )
    repository.add_otp(session, otp)
    try:
        sender.send(phone, code, settings.otp_minutes)
    except SmsFailed:
        # Answered like a success: a failure only residents' phones can cause would tell who
        # is registered. The sender logged it; the citizen asks again.
        return


def sign_in(
    session: Session, settings: Settings, raw_phone: str, code: str
) -> tuple[str, datetime]:
    """Check the phone's newest code; a new session token and its expiry.

    ``OtpInvalid`` (wrong code, none sent) must be committed by the caller: it counts a try."""
    hashed = phone_hash(settings, raw_phone)
    otp = repository.open_otp(session, hashed)
    now = clock.now()
    if otp is None:
        raise OtpInvalid()
    if now >= otp.expires_at:
        raise OtpExpired()
    if otp.attempts >= settings.otp_max_attempts:
        raise OtpExhausted()
    if not tokens.same(otp.code_hash, tokens.code_hash(settings, hashed, code)):
        otp.attempts += 1
        session.flush()
        raise OtpInvalid()
    otp.used_at = now
    return _start_session(session, settings, otp.person_id, now)


def _start_session(
    session: Session, settings: Settings, person_id: int, now: datetime
) -> tuple[str, datetime]:
    token = tokens.new_session_token()
    expires_at = now + timedelta(days=settings.citizen_session_days)
    row = CitizenSession(
        token_hash=tokens.session_hash(token),
        person_id=person_id,
        created_at=now,
        expires_at=expires_at,
    )
    repository.add_session(session, row)
    _audit(session, person_id, "citizen.sign_in", row.id)
    return token, expires_at


def _audit(session: Session, person_id: int, action: str, session_id: int) -> None:
    card = repository.person_card(session, person_id)
    actor = Principal(id=None, username=f"citizen:{person_id}", role="citizen", region_code="")
    audit.record(
        session,
        actor=actor,
        action=action,
        object_type="citizen_session",
        object_id=session_id,
        region_code=card.grid_code if card else None,
        after={"person_id": person_id},
    )


def resolve(session: Session, token: str) -> Citizen | None:
    """The citizen of a session token; None when unknown, revoked, expired, or its person's
    record is no longer active."""
    if not tokens.looks_like_session(token):
        return None
    row = repository.session_by_hash(session, tokens.session_hash(token))
    if row is None or row.revoked_at is not None or clock.now() >= row.expires_at:
        return None
    if repository.person_card(session, row.person_id) is None:
        return None  # the record was merged away: sign in again
    return Citizen(person_id=row.person_id, session_id=row.id)


def sign_out(session: Session, token: str) -> None:
    row = repository.session_by_hash(session, tokens.session_hash(token))
    if row is None or row.revoked_at is not None:
        return
    row.revoked_at = clock.now()
    session.flush()
    _audit(session, row.person_id, "citizen.sign_out", row.id)


def me(session: Session, citizen: Citizen) -> MeOut:
    card = repository.person_card(session, citizen.person_id)
    row = repository.session_by_id(session, citizen.session_id)
    if card is None or row is None:
        raise NotSignedIn()  # the record was merged away or the session deleted meanwhile
    return MeOut(
        person_id=card.id,
        name=mask_person_name(card.name),
        phone=card.phone_masked,
        session_expires_at=row.expires_at,
    )


# --- the personal code ------------------------------------------------------------------------


def _reasons(card: CodeCard, locale: str) -> list[ReasonOut]:
    return [ReasonOut(code=r.code, message=r.message(locale)) for r in card.reasons]


def health_code(
    session: Session, settings: Settings, citizen: Citizen, locale: str
) -> HealthCodeOut:
    """The citizen's colour with its reasons, and a fresh personal QR payload."""
    person = repository.person_card(session, citizen.person_id)
    if person is None:
        raise NotSignedIn()  # the record was merged away: sign in again
    card = healthcode.code_card(session, settings, citizen.person_id)
    edition = policy.active_edition(session, default=settings.policy)
    issued = personal_code.issue(
        settings, citizen.person_id, clock.now(), edition.health_code.qr_lifetime_minutes
    )
    return HealthCodeOut(
        colour=str(card.colour),
        reasons=_reasons(card, locale),
        qr_payload=issued.payload,
        expires_at=issued.expires_at,
        name=mask_person_name(person.name),
        last_negative_test_at=card.last_negative_sampled_at,
        manual=card.manual,
    )


def verify(
    session: Session,
    settings: Settings,
    redis_or_none: redis.Redis | None,
    payload: str,
    locale: str,
) -> VerifyOut:
    """Open a presented code, claim its nonce, answer the holder's masked name and colour."""
    try:
        opened = personal_code.open_payload(settings, payload, clock.now())
        nonces.claim(session, redis_or_none, opened.nonce, opened.expires_at)
        person = repository.person_card(session, opened.person_id)
        if person is None:
            raise PersonalCodeInvalid()
    except (PersonalCodeInvalid, PersonalCodeExpired, PersonalCodeReplayed) as exc:
        log.info("personal code refused: %s", exc.code)
        raise
    card = healthcode.code_card(session, settings, opened.person_id)
    log.info("personal code verified: %s", card.colour)
    return VerifyOut(
        name=mask_person_name(person.name),
        colour=str(card.colour),
        reasons=_reasons(card, locale),
        stale=False,
        expires_at=opened.expires_at,
    )


# --- what other domains keep about the citizen --------------------------------------------------


def my_scans(session: Session, citizen: Citizen) -> list[ScanView]:
    return scans.scans_of_person(session, citizen.person_id)


def my_vaccination(session: Session, citizen: Citizen) -> PersonRecord:
    """The citizen's own doses and status, read-only (疫苗接种记录)."""
    return vaccination.own_record(session, citizen.person_id)


def my_care_requests(session: Session, citizen: Citizen) -> list[RequestOut]:
    """The citizen's own livelihood requests and their status (民生诉求)."""
    return care_requests.own_requests(session, citizen.person_id)


def ask_care(
    session: Session, settings: Settings, citizen: Citizen, data: OwnRequestCreate
) -> RequestOut:
    """Ask for food, medicine, a medical visit or other as the resident themselves; outside a
    sealed or controlled zone only a medical visit is taken (``care.not_in_zone``)."""
    request = care_requests.ask_own(
        session, settings=settings, person_id=citizen.person_id, data=data
    )
    return care_requests.requests_out(session, [request])[0]


def my_appeals(session: Session, citizen: Citizen) -> list[AppealOut]:
    return [AppealOut.model_validate(a) for a in healthcode.appeals_of(session, citizen.person_id)]


def file_appeal(session: Session, citizen: Citizen, text: str) -> AppealOut:
    text = text.replace("\r\n", "\n").strip()
    if not APPEAL_TEXT.fullmatch(text):
        raise AppealTextInvalid()
    return AppealOut.model_validate(healthcode.file_appeal(session, citizen.person_id, text))
