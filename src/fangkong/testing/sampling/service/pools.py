"""Pooled tubes (混采, ten-in-one by default) in bulk: a screening round's tubes, each opened at
its site with its size, given its people and sealed, in one call, as ``open_tube`` (kind
``pooled``) + ``add_member`` for each person + ``seal_tube`` would do one tube at a time.

Every row is checked before the first write, with the pooled path's rules and errors: a valid
barcode used nowhere (nor twice in the call), an active site in the actor's jurisdiction, a
running round that covers the site, a size the edition allows with room for the people, each
person found (a scanned personal code from anyone, a typed ID number in the jurisdiction) and
once in the tube, nobody the edition wants sampled alone (a key-group member; a person under
control: red or yellow, or owing a test), nobody twice in one round. The first bad row refuses
the whole call (``error.params["row"]`` is its index) and nothing is written.

Writes (``bulk``): the tubes and their members in one insert each, one audit row per tube
(``testing.tube.sample_pool``: the sealed tube and its people) and one ``TubesSampled``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from fangkong.config import Settings
from fangkong.core import clock
from fangkong.core.principal import Principal
from fangkong.healthcode import service as healthcode
from fangkong.models.testing import SamplingSite, Tube
from fangkong.policy.schema import Edition
from fangkong.testing.sampling import errors
from fangkong.testing.sampling.schemas import PoolSample, TubeKind, TubePurpose
from fangkong.testing.sampling.service import alone as alone_rule
from fangkong.testing.sampling.service import bulk
from fangkong.testing.sampling.service.bulk import Sampled

SAMPLE_POOL = "testing.tube.sample_pool"


@dataclass(frozen=True, slots=True)
class _Checked:
    sample: PoolSample
    site: SamplingSite
    capacity: int
    people: list[Sampled]
    campaign_id: int | None


def sample_pools(
    session: Session, settings: Settings, *, actor: Principal, samples: Sequence[PoolSample]
) -> list[Tube]:
    """The sealed pooled tubes, one per sample, in the samples' order, sampled now."""
    if not samples:
        return []
    checked, now = _check(session, settings, actor, samples), clock.now()
    return bulk.write(session, actor, SAMPLE_POOL,
                      tubes=[_tube(row, actor, now) for row in checked],
                      people=[row.people for row in checked], now=now)  # fmt: skip


def _tube(row: _Checked, actor: Principal, now: datetime) -> Tube:
    return bulk.sealed_tube(
        barcode=row.sample.barcode, kind=TubeKind.POOLED, capacity=row.capacity,
        purpose=TubePurpose.SCREENING.value, site=row.site, campaign_id=row.campaign_id,
        members=len(row.people), actor=actor, now=now,
    )  # fmt: skip


# --- checks (before any write) ----------------------------------------------------------


def _check(
    session: Session, settings: Settings, actor: Principal, samples: Sequence[PoolSample]
) -> list[_Checked]:
    bulk.check_barcodes(session, samples)
    edition = healthcode.current_edition(session, settings.policy)
    places = bulk.Places(session, actor)
    people = bulk.people_of(session, settings, actor, [sample.members for sample in samples])
    checked = []
    for index, sample in enumerate(samples):
        with bulk.row(index):
            site = places.site(sample.site_id)
            capacity = _capacity(edition, sample, people[index])
            campaign_id = places.round(sample.campaign_id, site)
            checked.append(_Checked(sample, site, capacity, people[index], campaign_id))
    _pooled_allowed(session, edition, checked)
    bulk.one_per_round(session, [(row.campaign_id, [p.id for p in row.people])
                                 for row in checked])  # fmt: skip
    return checked


def _capacity(edition: Edition, sample: PoolSample, people: Sequence[Sampled]) -> int:
    pooling = edition.testing.pooling
    size = sample.capacity or pooling.default_size
    if size not in pooling.allowed_sizes:
        raise errors.PoolSizeNotAllowed()
    if len({person.id for person in people}) < len(people):
        raise errors.AlreadyInTube()
    if len(people) > size:
        raise errors.TubeFull()
    return size


def _pooled_allowed(session: Session, edition: Edition, checked: Sequence[_Checked]) -> None:
    """Nobody the edition samples alone (单采): the first such person's row is refused."""
    row_of: dict[int, int] = {}
    for index, row in enumerate(checked):
        for person in row.people:
            row_of.setdefault(person.id, index)
    alone = alone_rule.reasons(session, edition, list(row_of))
    if alone:
        first = min(alone, key=row_of.__getitem__)
        with bulk.row(row_of[first]):
            raise errors.SingleTubeRequired(alone[first])
