"""Two logins at once with the same one-time code: exactly one succeeds (on both databases).

Either guard alone passes it: the per-username login lock and the conditional update of the
used time step (checked by removing each; with both removed the replay succeeds on PostgreSQL).
Uses real, separately committed transactions on the test database (not the rolled-back
fixture connection), and removes its user afterwards.
"""

from __future__ import annotations

import threading

import pyotp
from sqlalchemy import delete

from factories import PASSWORD, make_user
from fangkong.auth import service
from fangkong.auth.errors import InvalidOtp
from fangkong.core import security
from fangkong.db import Database, make_engine
from fangkong.models import AuditLog, LoginAttempt, User


def test_the_same_code_in_two_concurrent_logins_works_once(database_url, settings):
    db = Database(make_engine(database_url))
    secret = pyotp.random_base32()
    with db.transaction() as session:
        user = make_user(session, username="race-otp", role="sampler", region_code="230102")
        user.totp_secret = security.encrypt(
            settings.data_key_bytes, secret.encode(), context=b"totp"
        )
    code = pyotp.TOTP(secret).now()
    first_claimed, second_done = threading.Event(), threading.Event()
    outcomes: list[str] = []

    def login(wait_for: threading.Event | None, signal: threading.Event) -> None:
        try:
            with db.transaction() as session:
                if wait_for is not None:
                    wait_for.wait(5)
                service.authenticate(
                    session, settings=settings, username="race-otp", password=PASSWORD, otp=code
                )
                signal.set()
                second_done.wait(1)  # hold the transaction open while the other one tries
            outcomes.append("ok")
        except InvalidOtp:
            outcomes.append("invalid_otp")
        finally:
            signal.set()

    try:
        threads = [
            threading.Thread(target=login, args=(None, first_claimed)),
            threading.Thread(target=login, args=(first_claimed, second_done)),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        assert sorted(outcomes) == ["invalid_otp", "ok"]
    finally:
        with db.transaction() as session:
            session.execute(delete(LoginAttempt).where(LoginAttempt.username == "race-otp"))
            session.execute(delete(AuditLog).where(AuditLog.actor_name == "race-otp"))
            session.execute(delete(User).where(User.username == "race-otp"))
        db.engine.dispose()
