"""Checkpoints (卡口、"三站一场") and their staff: venue-operator accounts inside the
officer's jurisdiction. Audited; scoped by the checkpoint's region."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from fangkong.arrivals.intake import errors, repository
from fangkong.arrivals.intake.schemas import CheckpointIn, CheckpointOut, CheckpointUpdate, StaffOut
from fangkong.audit import service as audit
from fangkong.auth.permissions import Role
from fangkong.core.principal import Principal
from fangkong.models import Region, User
from fangkong.models.arrivals import Checkpoint, CheckpointStaff


def out(checkpoint: Checkpoint, staff: Sequence[User]) -> CheckpointOut:
    found = CheckpointOut.model_validate(checkpoint)
    found.staff = [StaffOut(user_id=u.id, username=u.username) for u in staff]
    return found


def list_out(session: Session, found: Sequence[Checkpoint]) -> list[CheckpointOut]:
    staff = repository.staff_of(session, [c.id for c in found])
    return [out(c, staff[c.id]) for c in found]


def list_checkpoints(session: Session, *, actor: Principal) -> Sequence[Checkpoint]:
    return repository.checkpoints(session, actor)


def get(session: Session, *, actor: Principal, checkpoint_id: int) -> Checkpoint:
    found = repository.checkpoint(session, actor, checkpoint_id)
    if found is None:
        raise errors.CheckpointNotFound()
    return found


def _snapshot(checkpoint: Checkpoint) -> dict[str, object]:
    return {"name": checkpoint.name, "kind": checkpoint.kind,
            "region_code": checkpoint.region_code, "active": checkpoint.active}  # fmt: skip


def _audit(session: Session, actor: Principal, action: str, checkpoint: Checkpoint, *,
           before: dict[str, object] | None = None, after: dict[str, object] | None = None,
           ) -> None:  # fmt: skip
    audit.record(session, actor=actor, action=action, object_type="checkpoint",
                 object_id=checkpoint.id, region_code=checkpoint.region_code, before=before,
                 after=after if after is not None else _snapshot(checkpoint))  # fmt: skip
    session.flush()


def create(session: Session, *, actor: Principal, data: CheckpointIn) -> Checkpoint:
    if not actor.covers(data.region_code) or session.get(Region, data.region_code) is None:
        raise errors.CheckpointRegionInvalid()
    if repository.checkpoint_by_name(session, data.region_code, data.name) is not None:
        raise errors.CheckpointNameTaken()
    checkpoint = Checkpoint(name=data.name, kind=data.kind.value, region_code=data.region_code,
                            active=True)  # fmt: skip
    session.add(checkpoint)
    session.flush()
    _audit(session, actor, "arrival.checkpoint_created", checkpoint)
    return checkpoint


def update(
    session: Session, *, actor: Principal, checkpoint_id: int, data: CheckpointUpdate
) -> Checkpoint:
    checkpoint = get(session, actor=actor, checkpoint_id=checkpoint_id)
    before = _snapshot(checkpoint)
    if data.name is not None and data.name != checkpoint.name:
        if repository.checkpoint_by_name(session, checkpoint.region_code, data.name):
            raise errors.CheckpointNameTaken()
        checkpoint.name = data.name
    if data.kind is not None:
        checkpoint.kind = data.kind.value
    if data.active is not None:
        checkpoint.active = data.active
    session.flush()
    _audit(session, actor, "arrival.checkpoint_updated", checkpoint, before=before)
    return checkpoint


def add_staff(session: Session, *, actor: Principal, checkpoint_id: int, user_id: int) -> User:
    checkpoint = get(session, actor=actor, checkpoint_id=checkpoint_id)
    user = session.get(User, user_id)
    if (user is None or not user.is_active or user.role != Role.VENUE_OPERATOR.value
            or not actor.covers(user.region_code)):  # fmt: skip
        raise errors.NotAnOperator()
    if session.get(CheckpointStaff, (checkpoint.id, user.id)) is None:
        session.add(CheckpointStaff(checkpoint_id=checkpoint.id, user_id=user.id))
        session.flush()
        _audit(session, actor, "arrival.checkpoint_staff_added", checkpoint,
               after={"user_id": user.id})  # fmt: skip
    return user


def remove_staff(session: Session, *, actor: Principal, checkpoint_id: int, user_id: int) -> None:
    checkpoint = get(session, actor=actor, checkpoint_id=checkpoint_id)
    row = session.get(CheckpointStaff, (checkpoint.id, user_id))
    if row is None:
        raise errors.NotAnOperator()
    session.delete(row)
    session.flush()
    _audit(session, actor, "arrival.checkpoint_staff_removed", checkpoint,
           before={"user_id": user_id}, after={})  # fmt: skip
