"""Start-up guards: production refuses to run with missing or demo keys, or with demo accounts."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from fangkong.auth import service as auth
from fangkong.config import Settings
from fangkong.core import security
from fangkong.models import DemoMarker


class UnsafeDeployment(RuntimeError):
    """The server must not start as configured; the message says why and what to do."""


def key_fingerprints(settings: Settings) -> list[str]:
    return [
        security.fingerprint(settings.secret_key_bytes),
        security.fingerprint(settings.data_key_bytes),
    ]


def mark_demo_keys(session: Session, settings: Settings) -> None:
    """Remember the demo keys so that a production start with them is refused."""
    for fingerprint in key_fingerprints(settings):
        if session.get(DemoMarker, fingerprint) is None:
            session.add(DemoMarker(fingerprint=fingerprint))
    session.flush()


def check_keys(settings: Settings) -> None:
    try:
        settings.secret_key_bytes  # noqa: B018 - decoding validates presence and length
        settings.data_key_bytes  # noqa: B018
    except (RuntimeError, ValueError) as exc:
        raise UnsafeDeployment(str(exc)) from exc


def check_production(session: Session, settings: Settings) -> None:
    """Raise unless this is a deployment fit for production use."""
    check_keys(settings)
    demo = session.scalars(
        select(DemoMarker.fingerprint).where(DemoMarker.fingerprint.in_(key_fingerprints(settings)))
    ).first()
    if demo is not None:
        raise UnsafeDeployment("demo keys in use; generate new ones with `fangkong keys generate`")
    if auth.has_demo_users(session):
        raise UnsafeDeployment("demo accounts exist; remove them before running in production")
