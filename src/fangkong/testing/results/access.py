"""The lab an actor reads or acts for (shared by ``service`` and ``importer``)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from fangkong.core.principal import Principal
from fangkong.models.testing import Lab
from fangkong.testing.results import errors, repository
from fangkong.testing.results.repository import LAB_ROLE


def get_lab(session: Session, *, actor: Principal, lab_id: int) -> Lab:
    lab = repository.lab(session, actor, lab_id)
    if lab is None:
        raise errors.LabNotFound()
    return lab


def acting_lab(session: Session, *, actor: Principal, lab_id: int | None) -> Lab:
    """The lab the actor uploads or receives for: named, or a lab user's only lab."""
    if lab_id is not None:
        return get_lab(session, actor=actor, lab_id=lab_id)
    found = repository.labs(session, actor) if actor.role == LAB_ROLE else []
    if len(found) != 1:
        raise errors.LabRequired()
    return found[0]
