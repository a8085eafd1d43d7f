"""Household tubes (一户一管) in bulk: a sealed area's screening, every household's tube opened
at its site, given the members present and sealed, in one call, as ``open_tube`` (kind
``household``) + ``seal_tube`` would do one household at a time.

Every row is checked before the first write, with the household path's rules and errors: a
valid barcode used nowhere (nor twice in the call), an active site in the actor's jurisdiction,
a running round that covers the site, a household in the jurisdiction with someone to sample,
the members named (when named) belonging to it, no open household tube of the same people
when the edition keeps one tube per sealed household, nobody twice in one round. The first bad
row refuses the whole call (``error.params["row"]`` is its index) and nothing is written.

Writes (``bulk``): the tubes and their members in one insert each, one audit row per tube
(``testing.tube.sample_household``: the sealed tube and its people) and one ``TubesSampled``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from fangkong.config import Settings
from fangkong.core import clock
from fangkong.core.iterables import batched
from fangkong.core.principal import Principal
from fangkong.healthcode import service as healthcode
from fangkong.models.testing import SamplingSite, Tube
from fangkong.people import errors as people_errors
from fangkong.people import service as people_service
from fangkong.testing.sampling import errors, repository
from fangkong.testing.sampling.schemas import HouseholdSample, TubeKind
from fangkong.testing.sampling.service import bulk
from fangkong.testing.sampling.service.bulk import Sampled

SAMPLE_HOUSEHOLD = "testing.tube.sample_household"


@dataclass(frozen=True, slots=True)
class _Checked:
    sample: HouseholdSample
    site: SamplingSite
    people: list[Sampled]
    campaign_id: int | None


def sample_households(
    session: Session, settings: Settings, *, actor: Principal, samples: Sequence[HouseholdSample]
) -> list[Tube]:
    """The sealed household tubes, one per sample, in the samples' order, sampled now."""
    if not samples:
        return []
    checked, now = _check(session, settings, actor, samples), clock.now()
    return bulk.write(session, actor, SAMPLE_HOUSEHOLD,
                      tubes=[_tube(row, actor, now) for row in checked],
                      people=[row.people for row in checked], now=now)  # fmt: skip


def _tube(row: _Checked, actor: Principal, now: datetime) -> Tube:
    size = len(row.people)
    return bulk.sealed_tube(
        barcode=row.sample.barcode, kind=TubeKind.HOUSEHOLD, capacity=size, purpose="screening",
        site=row.site, campaign_id=row.campaign_id, members=size, actor=actor, now=now,
    )  # fmt: skip


# --- checks (before any write) ----------------------------------------------------------


def _check(
    session: Session, settings: Settings, actor: Principal, samples: Sequence[HouseholdSample]
) -> list[_Checked]:
    bulk.check_barcodes(session, samples)
    places = bulk.Places(session, actor)
    people = _people(session, settings, actor, samples)
    checked = []
    for index, sample in enumerate(samples):
        with bulk.row(index):
            site = places.site(sample.site_id)
            campaign_id = places.round(sample.campaign_id, site)
            checked.append(_Checked(sample, site, people[index], campaign_id))
    pooling = healthcode.current_edition(session, settings.policy).testing.pooling
    if pooling.one_tube_per_sealed_household:
        _no_open_tube(session, checked)
    bulk.one_per_round(session, [(row.campaign_id, [p.id for p in row.people])
                                 for row in checked])  # fmt: skip
    return checked


def _people(
    session: Session, settings: Settings, actor: Principal, samples: Sequence[HouseholdSample]
) -> list[list[Sampled]]:
    """Each row's people: the members named, each of the household, or all its members."""
    households = _households(session, actor, samples)
    named = bulk.people_of(session, settings, actor, [sample.members for sample in samples])
    rows = []
    for index, sample in enumerate(samples):
        with bulk.row(index):
            members = households[sample.household_id]
            chosen = _members_present(members, named[index]) if sample.members else list(members)
            if not chosen:
                raise errors.HouseholdEmpty()
            rows.append(chosen)
    return rows


def _households(
    session: Session, actor: Principal, samples: Sequence[HouseholdSample]
) -> Mapping[int, Sequence[Sampled]]:
    ids = [sample.household_id for sample in samples]
    try:
        return people_service.members_of_households(session, actor=actor, household_ids=ids)
    except people_errors.HouseholdNotFound as error:
        error.params.setdefault("row", ids.index(error.params["household_id"]))
        raise


def _members_present(members: Sequence[Sampled], named: Sequence[Sampled]) -> list[Sampled]:
    household = {person.id for person in members}
    seen: set[int] = set()
    for person in named:
        if person.id not in household:
            raise errors.NotInHousehold()
        if person.id in seen:
            raise errors.AlreadyInTube()
        seen.add(person.id)
    return list(named)


def _no_open_tube(session: Session, checked: Sequence[_Checked]) -> None:
    """One tube per household: nobody in two rows of the call, nor in a household tube
    still open."""
    row_of: dict[int, int] = {}
    for index, row in enumerate(checked):
        with bulk.row(index):
            for person in row.people:
                if row_of.setdefault(person.id, index) != index:
                    raise errors.HouseholdTubeOpen()
    for chunk in batched(list(row_of), repository.LOOKUP_CHUNK):
        tube_id = repository.open_household_tube(session, chunk)
        if tube_id is not None:
            holders = repository.tube_member_ids(session, tube_id)
            with bulk.row(min(row_of[p] for p in holders if p in row_of)):
                raise errors.HouseholdTubeOpen()
