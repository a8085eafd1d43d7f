"""Verbs of volunteers, needs and pairings. Services flush, never commit; every change
writes an audit row. Residents and volunteers are people of the registry, looked up through
the people service inside the actor's jurisdiction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from fangkong.care import errors, trail
from fangkong.care.volunteers import repository
from fangkong.care.volunteers.repository import VolunteerFilter
from fangkong.care.volunteers.schemas import (
    NeedIn,
    NeedOut,
    PairingCreate,
    PairingOut,
    VolunteerCreate,
    VolunteerOut,
    VulnerableOut,
)
from fangkong.care.volunteers.validation import VOLUNTEER_FIELDS, areas_of, skills_of
from fangkong.core import clock
from fangkong.core.errors import DomainError, NotFound
from fangkong.core.masking import mask_person_name
from fangkong.core.pagination import PageParams
from fangkong.core.principal import Principal
from fangkong.models import Person
from fangkong.models.care import CareNeed, CarePairing, Volunteer
from fangkong.people import service as people

__all__ = ["VOLUNTEER_FIELDS", "PairingFilter", "VolunteerFilter", "areas_of", "skills_of"]
PAIRING_FIELDS = ("person_id", "volunteer_id", "region_code", "active")


@dataclass(frozen=True)
class PairingFilter:
    active: bool | None = None


def resident(session: Session, actor: Principal, person_id: int) -> Person:
    """A person of the registry in the actor's jurisdiction, else ``UnknownPerson`` (422)."""
    try:
        return people.get_person(session, actor=actor, person_id=person_id, log=False)
    except NotFound:
        raise errors.UnknownPerson() from None


# --- volunteers -------------------------------------------------------------------------


def volunteer_out(volunteer: Volunteer, person: Person | None) -> VolunteerOut:
    return VolunteerOut(
        id=volunteer.id,
        person_id=volunteer.person_id,
        name=mask_person_name(person.name) if person else "",
        phone=person.phone_masked if person else None,
        region_code=volunteer.region_code,
        skills=list(volunteer.skills),
        areas=list(volunteer.areas),
        active=volunteer.active,
        created_at=volunteer.created_at,
    )


def volunteers_out(session: Session, rows: Sequence[Volunteer]) -> list[VolunteerOut]:
    found = repository.people_of(session, {v.person_id for v in rows if v.person_id})
    return [volunteer_out(v, found.get(v.person_id or 0)) for v in rows]


def register_volunteer(session: Session, *, actor: Principal, data: VolunteerCreate) -> Volunteer:
    person = resident(session, actor, data.person_id)
    skills = skills_of([s.value for s in data.skills])
    areas = areas_of(session, actor, data.areas)
    if repository.volunteer_of_person(session, person.id) is not None:
        raise errors.AlreadyVolunteer()
    volunteer = Volunteer(
        person_id=person.id, region_code=areas[0], skills=skills, areas=areas, active=True
    )
    session.add(volunteer)
    _flush(session, errors.AlreadyVolunteer)
    _audit(session, actor, "care.volunteer_register", volunteer, after=volunteer)
    return volunteer


def _flush(session: Session, conflict: type[DomainError]) -> None:
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError as exc:
        raise conflict() from exc


def _audit(
    session: Session,
    actor: Principal,
    action: str,
    volunteer: Volunteer,
    *,
    before: dict[str, object] | None = None,
    after: Volunteer | None = None,
) -> None:
    trail.record(
        session, actor, action, object_type="care_volunteer", object_id=volunteer.id,
        region_code=volunteer.region_code, before=before,
        after=trail.snapshot(after, VOLUNTEER_FIELDS) if after else None,
    )  # fmt: skip


def get_volunteer(session: Session, *, actor: Principal, volunteer_id: int) -> Volunteer:
    volunteer = repository.get_volunteer(session, actor, volunteer_id)
    if volunteer is None:
        raise errors.VolunteerNotFound()
    return volunteer


def list_volunteers(
    session: Session, *, actor: Principal, page: PageParams, where: VolunteerFilter
) -> tuple[list[VolunteerOut], str | None]:
    rows, cursor = repository.volunteer_page(session, actor, where, page)
    return volunteers_out(session, rows), cursor


def count_for_export(session: Session, *, actor: Principal, where: VolunteerFilter) -> int:
    return repository.volunteer_count(session, actor, where)


def export_rows(
    session: Session, *, actor: Principal, where: VolunteerFilter, after: list[Any] | None,
    limit: int,
) -> tuple[list[tuple[Any, ...]], list[Any] | None]:  # fmt: skip
    """One keyset chunk of volunteers: name masked as in the list, numbers masked, skills as
    a list of codes (the export shows their labels)."""
    rows = repository.volunteer_rows(session, actor, where, after[0] if after else None, limit)
    out = [(r[0], mask_person_name(r[1] or ""), r[2], r[3], tuple(r[4]), _joined(r[5]),
            *r[6:]) for r in rows]  # fmt: skip
    return out, ([rows[-1][0]] if len(rows) == limit else None)


def _joined(values: Sequence[str]) -> str:
    return "、".join(values)


def set_volunteer_active(
    session: Session, *, actor: Principal, volunteer_id: int, active: bool
) -> Volunteer:
    volunteer = get_volunteer(session, actor=actor, volunteer_id=volunteer_id)
    if volunteer.active != active:
        before = trail.snapshot(volunteer, VOLUNTEER_FIELDS)
        volunteer.active = active
        session.flush()
        action = "care.volunteer_activate" if active else "care.volunteer_deactivate"
        _audit(session, actor, action, volunteer, before=before, after=volunteer)
    return volunteer


# --- needs ------------------------------------------------------------------------------


def need_out(need: CareNeed) -> NeedOut:
    return NeedOut(
        person_id=need.person_id, region_code=need.region_code, bedridden=need.bedridden,
        dialysis=need.dialysis, note=need.note,
    )  # fmt: skip


def set_need(session: Session, *, actor: Principal, person_id: int, data: NeedIn) -> CareNeed:
    """Record (or change) a resident's bedridden and dialysis needs."""
    person = resident(session, actor, person_id)
    return record_need(session, actor=actor, person=person, data=data)[0]


def record_need(
    session: Session, *, actor: Principal, person: Person, data: NeedIn,
    action: str = "care.need_set",
) -> tuple[CareNeed, str]:  # fmt: skip
    """Upsert the needs of a resident the caller found in the actor's jurisdiction; the
    outcome is ``inserted``, ``updated`` or ``unchanged`` (no audit row then)."""
    need = repository.need(session, person.id)
    fields = ("bedridden", "dialysis", "note")
    before = trail.snapshot(need, fields) if need else None
    if need is None:
        need = CareNeed(person_id=person.id, region_code=person.grid_code)
        session.add(need)
    need.bedridden, need.dialysis, need.note = data.bedridden, data.dialysis, data.note
    need.region_code = person.grid_code
    session.flush()
    after = trail.snapshot(need, fields)
    if after == before:
        return need, "unchanged"
    trail.record(
        session, actor, action, object_type="care_need", object_id=person.id,
        region_code=person.grid_code, before=before, after=after,
    )  # fmt: skip
    return need, "updated" if before else "inserted"


def is_vulnerable(session: Session, person: Person) -> bool:
    if person.elderly_alone or person.disabled:
        return True
    need = repository.need(session, person.id)
    return need is not None and (need.bedridden or need.dialysis)


def list_vulnerable(
    session: Session, *, actor: Principal, page: PageParams
) -> tuple[list[VulnerableOut], str | None]:
    rows, cursor = repository.vulnerable_page(session, actor, page)
    ids = {p.id for p in rows}
    needs = repository.needs_of(session, ids)
    paired = repository.active_pairings_of(session, ids)
    return [_vulnerable_out(p, needs.get(p.id), paired.get(p.id)) for p in rows], cursor


def _vulnerable_out(
    person: Person, need: CareNeed | None, pairing: CarePairing | None
) -> VulnerableOut:
    return VulnerableOut(
        person_id=person.id, name=mask_person_name(person.name), grid_code=person.grid_code,
        elderly_alone=person.elderly_alone, disabled=person.disabled,
        bedridden=bool(need and need.bedridden), dialysis=bool(need and need.dialysis),
        pairing_id=pairing.id if pairing else None,
    )  # fmt: skip


# --- pairings ---------------------------------------------------------------------------


def pairing_out(pairing: CarePairing, person: Person | None) -> PairingOut:
    return PairingOut(
        id=pairing.id, person_id=pairing.person_id,
        name=mask_person_name(person.name) if person else "", volunteer_id=pairing.volunteer_id,
        region_code=pairing.region_code, active=pairing.active, created_at=pairing.created_at,
        ended_at=pairing.ended_at,
    )  # fmt: skip


def pairings_out(session: Session, rows: Sequence[CarePairing]) -> list[PairingOut]:
    found = repository.people_of(session, {p.person_id for p in rows})
    return [pairing_out(p, found.get(p.person_id)) for p in rows]


def _check_volunteer_for(volunteer: Volunteer, person: Person) -> None:
    if not volunteer.active:
        raise errors.VolunteerInactive()
    if not any(person.grid_code.startswith(area) for area in volunteer.areas):
        raise errors.VolunteerNotInArea()


def pair(session: Session, *, actor: Principal, data: PairingCreate) -> CarePairing:
    """One volunteer for one vulnerable resident; a resident has at most one active pairing."""
    person = resident(session, actor, data.person_id)
    volunteer = get_volunteer(session, actor=actor, volunteer_id=data.volunteer_id)
    if not is_vulnerable(session, person):
        raise errors.NotVulnerable()
    _check_volunteer_for(volunteer, person)
    if repository.active_pairing_of(session, person.id) is not None:
        raise errors.AlreadyPaired()
    pairing = CarePairing(
        person_id=person.id, volunteer_id=volunteer.id, region_code=person.grid_code,
        active=True, created_by=actor.id,
    )  # fmt: skip
    session.add(pairing)
    _flush(session, errors.AlreadyPaired)
    _audit_pairing(session, actor, "care.pairing_create", pairing, None)
    return pairing


def _audit_pairing(
    session: Session,
    actor: Principal,
    action: str,
    pairing: CarePairing,
    before: dict[str, object] | None,
) -> None:
    trail.record(
        session, actor, action, object_type="care_pairing", object_id=pairing.id,
        region_code=pairing.region_code, before=before,
        after=trail.snapshot(pairing, PAIRING_FIELDS),
    )  # fmt: skip


def get_pairing(session: Session, *, actor: Principal, pairing_id: int) -> CarePairing:
    pairing = repository.get_pairing(session, actor, pairing_id)
    if pairing is None:
        raise errors.PairingNotFound()
    return pairing


def end_pairing(session: Session, *, actor: Principal, pairing_id: int) -> CarePairing:
    pairing = get_pairing(session, actor=actor, pairing_id=pairing_id)
    if pairing.active:
        before = trail.snapshot(pairing, PAIRING_FIELDS)
        pairing.active, pairing.ended_at = False, clock.now()
        session.flush()
        _audit_pairing(session, actor, "care.pairing_end", pairing, before)
    return pairing


def list_pairings(
    session: Session, *, actor: Principal, page: PageParams, active: bool | None
) -> tuple[list[PairingOut], str | None]:
    rows, cursor = repository.pairing_page(session, actor, active, page)
    return pairings_out(session, rows), cursor


def count_pairings_for_export(session: Session, *, actor: Principal, where: PairingFilter) -> int:
    return repository.pairing_count(session, actor, where.active)


def export_pairing_rows(
    session: Session, *, actor: Principal, where: PairingFilter, after: list[Any] | None,
    limit: int,
) -> tuple[list[tuple[Any, ...]], list[Any] | None]:  # fmt: skip
    """One keyset chunk of pairings, the resident's and the volunteer's names masked."""
    rows = repository.pairing_rows(session, actor, where.active, after[0] if after else None, limit)
    out = [(r[0], mask_person_name(r[1]), r[2], r[3], mask_person_name(r[4] or ""), *r[5:])
           for r in rows]  # fmt: skip
    return out, ([rows[-1][0]] if len(rows) == limit else None)


def active_pairing(session: Session, person_id: int) -> CarePairing | None:
    """For the requests part: the resident's active pairing (the caller checked the scope)."""
    return repository.active_pairing_of(session, person_id)


def volunteer_for_service(
    session: Session, actor: Principal, volunteer_id: int, person: Person, kind: str | None
) -> Volunteer:
    """A volunteer the actor sees, active, serving the resident's area (and the service)."""
    volunteer = get_volunteer(session, actor=actor, volunteer_id=volunteer_id)
    _check_volunteer_for(volunteer, person)
    if kind is not None and kind not in volunteer.skills:
        raise errors.VolunteerLacksSkill()
    return volunteer
