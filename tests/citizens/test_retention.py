"""The retention job clears the citizens' tables: codes, expired sessions, used nonces."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from fangkong.citizens import nonces
from fangkong.core import clock
from fangkong.models.citizen import CitizenOtp, CitizenSession, CodeNonce
from fangkong.retention import service as retention


def _counts(session) -> tuple[int, int, int]:
    return tuple(  # type: ignore[return-value]
        session.scalar(select(func.count()).select_from(model))
        for model in (CitizenOtp, CitizenSession, CodeNonce)
    )


def _purge(session, settings) -> None:
    retention.purge(session, settings=settings, run_for=clock.local_today())


def test_codes_sessions_and_nonces_are_purged_after_their_windows(
    app_client, citizen, session, settings
):
    start = clock.now()
    nonces.claim(session, None, "0" * 24, start + timedelta(minutes=5))
    session.commit()
    assert _counts(session) == (1, 1, 1)
    with clock.frozen(start + timedelta(hours=23)):
        _purge(session, settings)
    assert _counts(session) == (1, 1, 1)
    with clock.frozen(start + timedelta(days=settings.retention_otp_days, minutes=6)):
        _purge(session, settings)
    assert _counts(session) == (0, 1, 0)
    with clock.frozen(start + timedelta(days=settings.citizen_session_days, minutes=1)):
        assert app_client.get("/api/v1/me", headers=citizen).status_code == 401
        _purge(session, settings)
    assert _counts(session) == (0, 0, 0)
