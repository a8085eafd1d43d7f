"""The engine's verbs: recompute and materialize a code, raise and end facts, negative tests,
the citizen's card, the officer's view and lists, edition switches and person merges."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from functools import lru_cache

from sqlalchemy.orm import Session

from fangkong.audit import service as audit
from fangkong.config import Settings
from fangkong.core import clock
from fangkong.core.pagination import PageParams
from fangkong.core.principal import Principal
from fangkong.healthcode import engine, errors, repository
from fangkong.healthcode.schemas import CodeCard, FactIn, NegativeTestIn, ReasonView
from fangkong.models import Person
from fangkong.models.healthcode import HealthCode, HealthCodeHistory, HealthFact, NatNegative
from fangkong.people import service as people
from fangkong.people.errors import PersonNotFound
from fangkong.policy import service as policy
from fangkong.policy.schema import Edition
from fangkong.policy.types import Colour, Reason

OFFICER_SOURCE = "officer"
REF_LENGTH, SOURCE_LENGTH = 64, 32  # the columns' lengths; longer values from events are cut


@lru_cache(maxsize=1)
def default_policy() -> str:
    """The deployment's ``FANGKONG_POLICY``, for event handlers (they get no settings)."""
    return Settings().policy


def current_edition(session: Session, default: str | None = None) -> Edition:
    return policy.active_edition(session, default=default or default_policy())


# --- the engine ----------------------------------------------------------------------------


def recompute(
    session: Session, person_id: int, *, edition: Edition, cause: str, now: datetime | None = None
) -> HealthCode:
    """Compute the person's code from the facts in force; store it, and a history row if the
    colour, the reasons or the manual flag changed."""
    now = now or clock.now()
    reasons = [fact.reason for fact in repository.facts_in_force(session, person_id)]
    manual = repository.manual_in_force(session, person_id, now)
    result = engine.compute(
        edition.health_code, reasons, Colour(manual.colour) if manual is not None else None
    )
    code = repository.get_code(session, person_id)
    state = (result.colour.value, list(result.reasons), result.manual)
    changed = code is None or (code.colour, list(code.reasons), code.manual) != state
    if code is None:
        code = HealthCode(person_id=person_id)
        session.add(code)
    code.colour, code.reasons, code.manual = state
    code.edition_id, code.computed_at = edition.id, now
    if changed:
        session.add(
            HealthCodeHistory(
                person_id=person_id,
                colour=code.colour,
                reasons=list(code.reasons),
                manual=code.manual,
                edition_id=edition.id,
                cause=cause,
                changed_at=now,
            )
        )
    session.flush()
    return code


def raise_fact(
    session: Session,
    *,
    person_id: int,
    reason: Reason,
    source: str,
    ref: str,
    until: datetime | None,
    edition: Edition,
) -> HealthFact | None:
    """A reason is in force (idempotent per person, reason and ref). A new fact ends a manual
    change in force: what happened after the officers' decision is not hidden by it.
    A merged-away person's fact goes to the kept record; None when the person is unknown."""
    live = repository.live_person_id(session, person_id)
    if live is None:
        return None
    person_id = live
    now, ref, source = clock.now(), ref[:REF_LENGTH], source[:SOURCE_LENGTH]
    fact = repository.fact_in_force(session, person_id, reason.value, ref)
    if fact is None:
        fact = HealthFact(
            person_id=person_id, reason=reason.value, source=source, ref=ref, started_at=now
        )
        session.add(fact)
        repository.end_manuals(session, person_id, now)
    fact.until = until
    session.flush()
    recompute(session, person_id, edition=edition, cause="fact", now=now)
    return fact


def end_fact(session: Session, fact: HealthFact, *, by: str, edition: Edition) -> None:
    now = clock.now()
    fact.ended_at, fact.ended_by = now, by
    session.flush()
    recompute(session, fact.person_id, edition=edition, cause="fact_ended", now=now)


def end_matching(
    session: Session, *, person_id: int, reason: Reason, ref: str, edition: Edition
) -> bool:
    fact = repository.fact_in_force(session, person_id, reason.value, ref[:REF_LENGTH])
    if fact is None:
        return False
    end_fact(session, fact, by="event", edition=edition)
    return True


def record_negative(
    session: Session,
    *,
    person_id: int,
    sampled_at: datetime,
    source: str,
    edition: Edition,
    single_tube: bool = True,
) -> bool:
    """Keep the latest negative NAT; end the facts a negative test lifts that began before the
    sampling (``engine.lifted_by_negative``), and recompute. False when the person is unknown
    (merged: the kept record)."""
    live = repository.live_person_id(session, person_id)
    if live is None:
        return False
    person_id = live
    now = clock.now()
    latest = repository.negative(session, person_id)
    if latest is None:
        session.add(
            NatNegative(person_id=person_id, sampled_at=sampled_at, source=source[:SOURCE_LENGTH])
        )
    elif latest.sampled_at < sampled_at:
        latest.sampled_at, latest.recorded_at = sampled_at, now
        latest.source = source[:SOURCE_LENGTH]
    for fact in repository.facts_in_force(session, person_id):
        if engine.lifted_by_negative(
            fact.reason, fact.started_at, sampled_at, single_tube=single_tube
        ):
            fact.ended_at, fact.ended_by = now, f"negative:{source}"[:64]
    session.flush()
    recompute(session, person_id, edition=edition, cause="negative_test", now=now)
    return True


# --- what the citizen and the entry check see ----------------------------------------------


def reason_views(codes: Sequence[str]) -> tuple[ReasonView, ...]:
    return tuple(ReasonView(code) for code in codes)


def code_card(session: Session, settings: Settings, person_id: int) -> CodeCard:
    """The citizen's card; computes and stores the code if it is missing."""
    if repository.person_exists(session, person_id) is None:
        raise PersonNotFound()
    code = _current_code(session, settings, person_id)
    negative = repository.negative(session, person_id)
    return CodeCard(
        person_id=person_id,
        colour=Colour(code.colour),
        reasons=reason_views(code.reasons),
        manual=code.manual,
        computed_at=code.computed_at,
        last_negative_sampled_at=negative.sampled_at if negative else None,
    )


# --- the officer's side --------------------------------------------------------------------


def readable_person(session: Session, actor: Principal, person_id: int) -> Person:
    """The person if the actor's jurisdiction covers their grid (else 404, via people)."""
    return people.get_person(session, actor=actor, person_id=person_id, log=False)


def _current_code(session: Session, settings: Settings, person_id: int) -> HealthCode:
    """The stored code; computed if missing or computed under another edition than the active
    one (the sweep does the rest, and the hot-path reader reads what is stored)."""
    code = repository.get_code(session, person_id)
    edition_id = policy.active_id(session, default=settings.policy)
    if code is None or code.edition_id != edition_id:
        edition = current_edition(session, settings.policy)
        cause = "first_read" if code is None else "edition"
        code = recompute(session, person_id, edition=edition, cause=cause)
    return code


def ensure_code(session: Session, settings: Settings, person: Person) -> HealthCode:
    return _current_code(session, settings, person.id)


def open_code(
    session: Session, actor: Principal, settings: Settings, person_id: int
) -> tuple[Person, HealthCode, NatNegative | None]:
    person = people.get_person(session, actor=actor, person_id=person_id)
    code = ensure_code(session, settings, person)
    return person, code, repository.negative(session, person.id)


def person_facts(session: Session, person_id: int) -> Sequence[HealthFact]:
    return repository.person_facts(session, person_id)


def person_history(session: Session, person_id: int) -> Sequence[HealthCodeHistory]:
    return repository.history(session, person_id)


def list_codes(
    session: Session,
    *,
    actor: Principal,
    page: PageParams,
    colour: Colour | None = None,
    region: str | None = None,
) -> tuple[Sequence[HealthCode], str | None]:
    value = colour.value if colour else None
    return repository.codes_page(session, actor, page, value, region)


def colour_counts(session: Session, actor: Principal, region: str | None = None) -> dict[str, int]:
    found = repository.colour_counts(session, actor, region)
    return {colour.value: found.get(colour.value, 0) for colour in Colour}


def people_of(session: Session, ids: Sequence[int]) -> dict[int, Person]:
    return repository.people_of(session, ids)


def add_fact(
    session: Session, *, actor: Principal, settings: Settings, person_id: int, data: FactIn
) -> HealthFact:
    person = readable_person(session, actor, person_id)
    if data.until is not None and data.until <= clock.now():
        raise errors.UntilInPast()
    edition = current_edition(session, settings.policy)
    fact = raise_fact(
        session,
        person_id=person.id,
        reason=data.reason,
        source=OFFICER_SOURCE,
        ref=data.ref,
        until=data.until,
        edition=edition,
    )
    assert fact is not None  # the person is readable, so it exists
    audit.record(
        session,
        actor=actor,
        action="health_code.fact_raise",
        object_type="health_fact",
        object_id=fact.id,
        region_code=person.grid_code,
        after={"person_id": person.id, "reason": fact.reason, "ref": fact.ref, "until": fact.until},
    )
    return fact


def officer_end_fact(
    session: Session, *, actor: Principal, settings: Settings, fact_id: int
) -> HealthFact:
    fact = repository.scoped_fact(session, actor, fact_id)
    if fact is None:
        raise errors.FactNotFound()
    if fact.ended_at is not None:
        raise errors.FactEndedAlready()
    end_fact(session, fact, by=actor.username, edition=current_edition(session, settings.policy))
    person = readable_person(session, actor, fact.person_id)
    audit.record(
        session,
        actor=actor,
        action="health_code.fact_end",
        object_type="health_fact",
        object_id=fact.id,
        region_code=person.grid_code,
        after={"person_id": fact.person_id, "reason": fact.reason, "ended_at": fact.ended_at},
    )
    return fact


def add_negative(
    session: Session, *, actor: Principal, settings: Settings, data: NegativeTestIn
) -> NatNegative:
    person = readable_person(session, actor, data.person_id)
    if data.sampled_at > clock.now():
        raise errors.SampledInFuture()
    edition = current_edition(session, settings.policy)
    record_negative(
        session, person_id=person.id, sampled_at=data.sampled_at, source=OFFICER_SOURCE,
        edition=edition,
    )  # fmt: skip
    audit.record(
        session,
        actor=actor,
        action="health_code.negative_test",
        object_type="person",
        object_id=person.id,
        region_code=person.grid_code,
        after={"sampled_at": data.sampled_at},
    )
    negative = repository.negative(session, person.id)
    assert negative is not None
    return negative


# --- edition switches and merges -----------------------------------------------------------


def recompute_stale_editions(session: Session, edition: Edition, limit: int | None = None) -> int:
    """Recompute codes computed under another edition (at most ``limit`` of them)."""
    ids = repository.codes_of_other_editions(session, edition.id, limit)
    for person_id in ids:
        recompute(session, person_id, edition=edition, cause="edition")
    return len(ids)


def recompute_all(session: Session, settings: Settings) -> int:
    """Recompute every person with a code or a fact in force, under the active edition."""
    edition = current_edition(session, settings.policy)
    ids = repository.people_with_codes_or_facts(session)
    for person_id in ids:
        recompute(session, person_id, edition=edition, cause="recompute")
    return len(ids)


def merge(session: Session, *, merged_id: int, kept_id: int) -> None:
    repository.repoint(session, merged_id, kept_id)
    recompute(session, kept_id, edition=current_edition(session), cause="merge")
