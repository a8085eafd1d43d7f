"""Subscriptions: each event recomputes the person's code at once, in the publisher's
transaction. Imported by the package's ``__init__``, so every process that imports
``fangkong.healthcode`` (the app, the job worker, the CLI) has them registered.

Handlers get no settings: the edition is the active one (``policy_state``), else the
deployment's ``FANGKONG_POLICY`` (``service.default_policy``).
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from fangkong.core.events import subscribe
from fangkong.healthcode import service
from fangkong.healthcode.events import (
    FactEnded,
    FactRaised,
    FactsEnded,
    FactsRaised,
    FactsRaisedEach,
    NegativeTest,
)
from fangkong.people.events import PersonMerged


@subscribe(FactRaised)
def on_fact_raised(session: Session, event: FactRaised) -> None:
    service.raise_fact(
        session,
        person_id=event.person_id,
        reason=event.reason,
        source=event.source,
        ref=event.ref,
        until=event.until,
        edition=service.current_edition(session),
    )


@subscribe(FactEnded)
def on_fact_ended(session: Session, event: FactEnded) -> None:
    service.end_matching(
        session,
        person_id=event.person_id,
        reason=event.reason,
        ref=event.ref,
        edition=service.current_edition(session),
    )


@subscribe(FactsRaised)
def on_facts_raised(session: Session, event: FactsRaised) -> None:
    service.raise_facts(
        session,
        person_ids=event.person_ids,
        reason=event.reason,
        source=event.source,
        ref=event.ref,
        until=event.until,
        edition=service.current_edition(session),
    )


@subscribe(FactsRaisedEach)
def on_facts_raised_each(session: Session, event: FactsRaisedEach) -> None:
    service.raise_each(
        session,
        items=event.items,
        reason=event.reason,
        source=event.source,
        edition=service.current_edition(session),
    )


@subscribe(FactsEnded)
def on_facts_ended(session: Session, event: FactsEnded) -> None:
    service.end_facts(
        session,
        person_ids=event.person_ids,
        reason=event.reason,
        ref=event.ref,
        edition=service.current_edition(session),
    )


@subscribe(NegativeTest)
def on_negative_test(session: Session, event: NegativeTest) -> None:
    service.record_negative(
        session,
        person_id=event.person_id,
        sampled_at=event.sampled_at,
        source=event.source,
        edition=service.current_edition(session),
        single_tube=event.single_tube,
    )


@subscribe(PersonMerged)
def on_person_merged(session: Session, event: PersonMerged) -> None:
    service.merge(session, merged_id=event.merged_id, kept_id=event.kept_id)
