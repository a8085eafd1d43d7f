"""Verbs of the case registry: a case from a positive single tube or by hand, its
classification (复核) and conversion, the closed-loop transfer (闭环转运), its outcome, the
hand-over to another district's epidemiologist and its cluster.

Services flush and never commit; every change writes a ``CaseEvent`` (the case file's
history) and an audit row. The health code follows the case: ``case.positive`` is raised when
the case becomes active and ends when it closes; the testing domain's
``case.pending_confirmation`` for the tube ends once the case is classified.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from fangkong.arrivals.zones.service import official_day
from fangkong.audit import service as audit
from fangkong.cases.events import CaseClassified, CaseClosed, CaseReported, CasesReported
from fangkong.cases.registry import errors, repository
from fangkong.cases.registry.labels import OPEN_STATUSES
from fangkong.cases.registry.repository import CaseFilter
from fangkong.cases.registry.schemas import (
    CaseCreate,
    CaseDetail,
    CaseOut,
    ClassifyIn,
    ConvertIn,
    EventOut,
    HandOverIn,
    OutcomeIn,
    TransferIn,
)
from fangkong.core import clock
from fangkong.core.events import publish
from fangkong.core.masking import mask_person_name
from fangkong.core.pagination import PageParams
from fangkong.core.principal import SYSTEM, Principal
from fangkong.core.repoint import repoint
from fangkong.healthcode.events import FactEnded, FactRaised
from fangkong.healthcode.service import current_edition
from fangkong.models.cases import Case, CaseEvent
from fangkong.policy.schema import Edition
from fangkong.policy.types import Reason
from fangkong.testing.events import CaseCandidate
from fangkong.testing.results.reactions import tube_ref

__all__ = ["CaseFilter"]
SOURCE = "cases"
SNAPSHOT = ("case_no", "kind", "severity", "channel", "status", "onset_on", "converted_at",
            "placement", "hospital", "transferred_at", "outcome_at", "region_code", "owner_id",
            "cluster_id")  # fmt: skip


def _snapshot(case: Case) -> dict[str, Any]:
    return {name: getattr(case, name) for name in SNAPSHOT}


def _audit(
    session: Session, actor: Principal, action: str, case: Case, before: dict[str, Any] | None
) -> None:
    audit.record(
        session, actor=actor, action=action, object_type="case", object_id=case.id,
        region_code=case.region_code, before=before, after=_snapshot(case),
    )  # fmt: skip


def add_event(
    session: Session, case: Case, step: str, actor: Principal, note: str = "", **data: Any
) -> None:
    """A step of the case file's history (also used by ``cases.chains`` for links)."""
    session.add(CaseEvent(case_id=case.id, kind=step, at=clock.now(), actor_id=actor.id,
                          data=data, note=note))  # fmt: skip


def person_merged(session: Session, *, actor: Principal, merged_id: int, kept_id: int) -> None:
    """The merged record's cases now belong to the kept person; each moved case's history
    says so (two open cases of one person are left for the officer to close one)."""
    moved = repository.cases_of_person(session, merged_id)
    repoint(session, (Case.person_id,), merged_id, kept_id)
    for case in moved:
        add_event(session, case, "person_merged", actor, merged_id=merged_id, kept_id=kept_id)


def ref_of(case: Case) -> str:
    return f"case:{case.id}"


# --- reading ------------------------------------------------------------------------------


def get_case(session: Session, *, actor: Principal, case_id: int) -> Case:
    case = repository.get_case(session, actor, case_id)
    if case is None:
        raise errors.CaseNotFound()
    return case


def case_by_no(session: Session, *, actor: Principal, case_no: str) -> Case:
    case = repository.case_by_no(session, actor, case_no)
    if case is None:
        raise errors.CaseNotFound()
    return case


def list_cases(
    session: Session, *, actor: Principal, page: PageParams, where: CaseFilter
) -> tuple[list[CaseOut], str | None]:
    rows, cursor = repository.case_page(session, actor, where, page)
    return cases_out(session, rows), cursor


def cases_out(session: Session, rows: Sequence[Case]) -> list[CaseOut]:
    people = repository.names_of(session, [c.person_id for c in rows])
    out = []
    for case in rows:
        item = CaseOut.model_validate(case)
        found = people.get(case.person_id)
        item.person_name = mask_person_name(found.name) if found else ""
        out.append(item)
    return out


def detail(session: Session, *, actor: Principal, case_id: int) -> CaseDetail:
    case = get_case(session, actor=actor, case_id=case_id)
    out = CaseDetail.model_validate(cases_out(session, [case])[0].model_dump())
    person = repository.person(session, case.person_id)
    out.id_number = person.id_number_masked if person else ""
    if case.cluster_id is not None:
        cluster = repository.get_cluster(session, SYSTEM, case.cluster_id)
        out.cluster_name = cluster.name if cluster else None
    out.history = [EventOut.model_validate(e) for e in repository.history(session, case.id)]
    return out


def cases_of_person(session: Session, person_id: int) -> Sequence[Case]:
    return repository.cases_of_person(session, person_id)


def events_of_person(session: Session, person_id: int) -> Sequence[tuple[CaseEvent, Case]]:
    return repository.events_of_person(session, person_id)


# --- creating -----------------------------------------------------------------------------


def next_case_no(session: Session, day: date) -> str:
    """``2022-1103-0007``: the official day and the next number of that day."""
    prefix = f"{day:%Y-%m%d}-"
    last = repository.last_case_no(session, prefix)
    number = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{number:04d}"


def longest_arrival_days(edition: Edition) -> int:
    rules = edition.arrivals.by_origin
    return max((r.days for r in (rules.high, rules.medium, rules.low) if r), default=0)


def detect_channel(
    session: Session, person_id: int, tube_id: int | None, sampled_at: datetime, edition: Edition
) -> str:
    if repository.under_control(session, person_id):
        return "under_control"
    since = sampled_at - timedelta(days=longest_arrival_days(edition))
    if repository.open_trip_since(session, person_id, since):
        return "arrival_screening"
    if tube_id is not None and repository.tube_purpose(session, tube_id) == "key_group":
        return "key_group"
    return "community_screening"


def _reported(session: Session, cases: Sequence[Case]) -> None:
    """One event for the cases created together (an upload's positives), none for none."""
    if cases:
        publish(session, CasesReported(tuple(CaseReported(
            case_id=case.id, person_id=case.person_id, kind=case.kind,
            sampled_at=case.sampled_at, onset_on=case.onset_on, region_code=case.region_code,
            channel=case.channel,
        ) for case in cases)))  # fmt: skip


def _activated(session: Session, case: Case) -> None:
    """The case is classified: the code reddens for the case; the tube's pending fact ends."""
    publish(session, FactRaised(case.person_id, Reason.CASE_POSITIVE, SOURCE, ref_of(case)))
    if case.tube_id is not None:
        publish(session, FactEnded(case.person_id, Reason.CASE_PENDING, tube_ref(case.tube_id)))


def case_candidates(session: Session, events: Sequence[CaseCandidate]) -> list[Case]:
    """An upload's positive single tubes: the pending cases made, reported together."""
    made = [case for event in events if (case := case_candidate(session, event)) is not None]
    _reported(session, made)
    return made


def case_candidate(session: Session, event: CaseCandidate) -> Case | None:
    """A positive single tube: a pending case (not yet reported: ``case_candidates`` reports
    the upload's together), or only a history step on the person's open case."""
    open_case = repository.open_case_of(session, event.person_id)
    if open_case is not None:
        add_event(session, open_case, "candidate", SYSTEM, tube_id=event.tube_id)
        session.flush()
        return None
    person = repository.person(session, event.person_id)
    if person is None:
        return None
    edition = current_edition(session)
    cts = [ct for ct in (event.ct_orf1ab, event.ct_n) if ct is not None]
    now = clock.now()
    case = Case(
        case_no=next_case_no(session, official_day(now)), person_id=person.id, kind=None,
        source="nat", channel=detect_channel(session, person.id, event.tube_id,
                                             event.sampled_at, edition),
        tube_id=event.tube_id, ct_value=min(cts) if cts else None, sampled_at=event.sampled_at,
        confirmed_at=now, reported_on=official_day(now), status="pending",
        region_code=person.grid_code, edition_id=edition.id,
    )  # fmt: skip
    return _insert(session, case, SYSTEM)


def _insert(session: Session, case: Case, actor: Principal) -> Case:
    """The case, its first history step and audit row; the caller reports it."""
    session.add(case)
    session.flush()
    add_event(session, case, "created", actor, source=case.source, kind=case.kind)
    session.flush()
    _audit(session, actor, "case.create", case, None)
    return case


def _insert_reported(session: Session, case: Case, actor: Principal) -> Case:
    _insert(session, case, actor)
    _reported(session, [case])
    if case.status == "active":
        _activated(session, case)
    return case


def check_times(
    onset_on: date | None, sampled_at: datetime | None, confirmed_at: datetime | None
) -> None:
    now = clock.now()
    if sampled_at is not None and sampled_at > now:
        raise errors.InFuture()
    if onset_on is not None and onset_on > clock.local_today():
        raise errors.InFuture()
    if confirmed_at is not None and confirmed_at > now:
        raise errors.InFuture()
    confirmed_day = (confirmed_at or now).astimezone(clock.LOCAL_TZ).date()
    if onset_on is not None and onset_on > confirmed_day:
        raise errors.OnsetAfterConfirmation()


def create_case(session: Session, *, actor: Principal, data: CaseCreate) -> Case:
    person = repository.person_in_scope(session, actor, data.person_id)
    if person is None:
        raise errors.UnknownPerson()
    check_times(data.onset_on, data.sampled_at, data.confirmed_at)
    if repository.open_case_of(session, person.id) is not None:
        raise errors.OpenCaseExists()
    confirmed = data.confirmed_at or clock.now()
    case = Case(
        case_no=next_case_no(session, official_day(confirmed)), person_id=person.id,
        kind=data.kind.value, severity=data.severity.value if data.severity else None,
        source=data.source.value, channel=data.channel.value, local=data.local,
        sampled_at=data.sampled_at, onset_on=data.onset_on, confirmed_at=confirmed,
        reported_on=official_day(confirmed), status="active", region_code=person.grid_code,
        owner_id=actor.id, edition_id=current_edition(session).id, note=data.note,
        created_by=actor.id,
    )  # fmt: skip
    return _insert_reported(session, case, actor)


# --- changing -----------------------------------------------------------------------------


def _open(session: Session, actor: Principal, case_id: int) -> Case:
    case = get_case(session, actor=actor, case_id=case_id)
    if case.status not in OPEN_STATUSES:
        raise errors.Closed()
    return case


def _changed(
    session: Session, actor: Principal, case: Case, before: dict[str, Any], action: str
) -> Case:
    session.flush()
    _audit(session, actor, action, case, before)
    return case


def classify(session: Session, *, actor: Principal, case_id: int, data: ClassifyIn) -> Case:
    case = _open(session, actor, case_id)
    if case.status != "pending":
        raise errors.NotPending()
    now = clock.now()
    check_times(data.onset_on, None, now)
    before = _snapshot(case)
    case.kind, case.status, case.confirmed_at = data.kind.value, "active", now
    case.reported_on = official_day(now)
    case.onset_on = data.onset_on or case.onset_on
    case.severity = data.severity.value if data.severity else case.severity
    add_event(session, case, "classified", actor, data.note, kind=case.kind)
    _changed(session, actor, case, before, "case.classify")
    _activated(session, case)
    publish(session, CaseClassified(case.id, case.person_id, case.kind, converted=False))
    return case


def convert(session: Session, *, actor: Principal, case_id: int, data: ConvertIn) -> Case:
    case = _open(session, actor, case_id)
    if case.kind != "asymptomatic" or case.converted_at is not None:
        raise errors.AlreadyConfirmed()
    check_times(data.onset_on, None, None)
    before = _snapshot(case)
    case.kind, case.converted_at = "confirmed", clock.now()
    case.onset_on = data.onset_on or case.onset_on
    case.severity = data.severity.value if data.severity else case.severity
    add_event(session, case, "converted", actor, data.note)
    _changed(session, actor, case, before, "case.convert")
    publish(session, CaseClassified(case.id, case.person_id, "confirmed", converted=True))
    return case


def allowed_placements(edition: Edition, kind: str | None) -> tuple[str, ...]:
    rules = edition.cases
    chosen = rules.asymptomatic_placements if kind == "asymptomatic" else rules.mild_placements
    return tuple(p.value for p in chosen)


def transfer(session: Session, *, actor: Principal, case_id: int, data: TransferIn) -> Case:
    case = _open(session, actor, case_id)
    if case.status == "pending":
        raise errors.StillPending()
    if data.placement.value not in allowed_placements(current_edition(session), case.kind):
        raise errors.BadPlacement(data.placement.value)
    at = data.transferred_at or clock.now()
    if at > clock.now():
        raise errors.InFuture()
    before = _snapshot(case)
    case.placement, case.hospital, case.transferred_at = data.placement.value, data.hospital, at
    add_event(session, case, "transferred", actor, placement=case.placement,
              hospital=case.hospital)  # fmt: skip
    return _changed(session, actor, case, before, "case.transfer")


def close(session: Session, *, actor: Principal, case_id: int, data: OutcomeIn) -> Case:
    case = _open(session, actor, case_id)
    if case.status == "pending":
        raise errors.StillPending()
    at = data.at or clock.now()
    if at > clock.now():
        raise errors.InFuture()
    before = _snapshot(case)
    case.status, case.outcome_at = data.outcome.value, at
    add_event(session, case, "outcome", actor, data.note, outcome=case.status)
    _changed(session, actor, case, before, "case.close")
    publish(session, FactEnded(case.person_id, Reason.CASE_POSITIVE, ref_of(case)))
    publish(session, CaseClosed(case.id, case.person_id, case.status))
    return case


def hand_over(session: Session, *, actor: Principal, case_id: int, data: HandOverIn) -> Case:
    case = get_case(session, actor=actor, case_id=case_id)
    user = repository.active_user(session, data.owner_id)
    if user is None or user.role not in ("epidemiologist", "district_officer", "city_admin"):
        raise errors.UnknownOwner()
    before = _snapshot(case)
    case.owner_id = user.id
    add_event(session, case, "handed_over", actor, data.note, owner_id=user.id,
              owner_region=user.region_code)  # fmt: skip
    return _changed(session, actor, case, before, "case.hand_over")


def count_for_export(session: Session, *, actor: Principal, where: CaseFilter) -> int:
    return repository.count_cases(session, actor, where)


def export_rows(
    session: Session, *, actor: Principal, where: CaseFilter, after: list[Any] | None, limit: int
) -> tuple[list[tuple[Any, ...]], list[Any] | None]:
    """One keyset chunk of the case list for an export (``repository.EXPORT_COLUMNS`` without
    the id), names masked as in the list; and the key of the next chunk (None at the end)."""
    rows = repository.case_rows(session, actor, where, after[0] if after else None, limit)
    key = [rows[-1][0]] if len(rows) == limit else None
    return [(r[1], mask_person_name(r[2]), *r[3:]) for r in rows], key


def samples_between(
    session: Session, *, actor: Principal, since: datetime, until: datetime
) -> list[tuple[int, int, datetime]]:
    """(case id, person id, first positive sample) of the cases in the actor's jurisdiction
    sampled in ``[since, until)``: what the outbreak evaluation scores."""
    return repository.samples_between(session, actor, since, until)
