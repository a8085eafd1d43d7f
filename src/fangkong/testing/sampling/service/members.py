"""The people in a tube: add one (personal code or ID number), remove one, seal the tube.

Checks run before any write; rows go in through a savepoint, so the round's unique key
(``uq_tube_members_round``), if a concurrent request won, leaves nothing behind either.
"""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import ValidationError
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from fangkong.citizens import personal_code
from fangkong.config import Settings
from fangkong.core import clock, events
from fangkong.core.principal import Principal
from fangkong.models import Person
from fangkong.models.testing import Tube, TubeMember
from fangkong.people import service as people
from fangkong.people.protect import Protector
from fangkong.people.schemas import PersonSearch
from fangkong.testing.events import PeopleSampled
from fangkong.testing.sampling import errors, repository
from fangkong.testing.sampling.schemas import MemberAdd, TubeKind, TubeStatus
from fangkong.testing.sampling.service.alone import single_tube_reason
from fangkong.testing.sampling.service.audit_trail import record_tube, tube_snapshot


def scanned(text: str) -> MemberAdd:
    """What a scanner or a keyboard typed: a personal code (``HC1.``…) or an ID number."""
    value = text.strip()
    if value.startswith(personal_code.PREFIX):
        return MemberAdd(personal_code=value[:600])
    return MemberAdd(id_number=value[:32])


def find_person(
    session: Session, settings: Settings, *, actor: Principal, data: MemberAdd
) -> Person:
    """The person a scanned personal code or a typed ID number names."""
    if (data.personal_code is None) == (data.id_number is None):
        raise errors.PersonRequired()
    if data.personal_code is not None:
        opened = personal_code.open_payload(settings, data.personal_code, clock.now())
        person = repository.person(session, opened.person_id)
        if person is None:
            raise errors.PersonNotFound()
        return person
    try:
        search = PersonSearch(id_number=data.id_number)
    except ValidationError:
        raise errors.BadIdNumber() from None
    protector = Protector(settings.data_key_bytes)
    found = people.search_exact(session, actor=actor, protector=protector, data=search)
    if not found:
        raise errors.PersonNotFound()
    return found[0]


def _open(tube: Tube) -> None:
    if tube.status != TubeStatus.OPEN.value:
        raise errors.TubeNotOpen()


def admissible(session: Session, tube: Tube, found: Sequence[Person]) -> None:
    """Nobody twice, room in the tube, nobody already sampled in this round."""
    ids = [person.id for person in found]
    if tube.id is not None and any(repository.member(session, tube.id, i) for i in ids):
        raise errors.AlreadyInTube()
    if tube.member_count + len(found) > tube.capacity:
        raise errors.TubeFull()
    if tube.campaign_id is not None and repository.in_round(session, tube.campaign_id, ids):
        raise errors.AlreadyInRound()


def add_rows(session: Session, actor: Principal, tube: Tube, found: Sequence[Person]) -> None:
    now = clock.now()
    session.add_all(
        TubeMember(
            tube_id=tube.id,
            person_id=person.id,
            campaign_id=tube.campaign_id,
            grid_code=person.grid_code,
            sampled_at=now,
            added_by=actor.id,
        )
        for person in found
    )
    session.flush()
    ids = tuple(person.id for person in found)
    events.publish(session, PeopleSampled(person_ids=ids, tube_id=tube.id, sampled_at=now))


def counted(session: Session, actor: Principal, tube: Tube, found: Sequence[Person]) -> None:
    """The tube's count and first sampling time, and one audit row per person added."""
    before = tube_snapshot(tube)
    tube.member_count += len(found)
    tube.sampled_at = tube.sampled_at or clock.now()
    session.flush()
    for person in found:
        after = tube_snapshot(tube) | {"added_person_id": person.id}
        record_tube(session, actor, "testing.tube.add_member", tube, before=before, after=after)


def add_member(
    session: Session, settings: Settings, *, actor: Principal, tube_id: int, data: MemberAdd
) -> Tube:
    tube = repository.get_tube(session, actor, tube_id, lock=True)
    if tube is None:
        raise errors.TubeNotFound()
    _open(tube)
    person = find_person(session, settings, actor=actor, data=data)
    admissible(session, tube, [person])
    if tube.kind == TubeKind.POOLED.value:
        reason = single_tube_reason(session, settings, person.id)
        if reason is not None:
            raise errors.SingleTubeRequired(reason)
    try:
        with session.begin_nested():
            add_rows(session, actor, tube, [person])
    except IntegrityError as exc:
        raise errors.AlreadyInRound() from exc
    counted(session, actor, tube, [person])
    return tube


def remove_member(session: Session, *, actor: Principal, tube_id: int, person_id: int) -> Tube:
    tube = repository.get_tube(session, actor, tube_id, lock=True)
    if tube is None:
        raise errors.TubeNotFound()
    _open(tube)
    if repository.member(session, tube.id, person_id) is None:
        raise errors.NotInTube()
    before = tube_snapshot(tube)
    repository.delete_member(session, tube.id, person_id)
    tube.member_count -= 1
    tube.sampled_at = repository.first_sampled_at(session, tube.id)
    session.flush()
    after = tube_snapshot(tube) | {"removed_person_id": person_id}
    record_tube(session, actor, "testing.tube.remove_member", tube, before=before, after=after)
    return tube


def seal_tube(session: Session, *, actor: Principal, tube_id: int) -> Tube:
    tube = repository.get_tube(session, actor, tube_id, lock=True)
    if tube is None:
        raise errors.TubeNotFound()
    _open(tube)
    if tube.member_count < 1:
        raise errors.TubeEmpty()
    before = tube_snapshot(tube)
    tube.status = TubeStatus.SEALED.value
    tube.sealed_at = clock.now()
    session.flush()
    record_tube(session, actor, "testing.tube.seal", tube, before=before)
    return tube
