"""Single tubes (单采) in bulk: many people's tubes, each opened at its site, given its person
and sealed, in one call, as ``open_tube`` + ``add_member`` + ``seal_tube`` would do one by one
(a fever clinic's day, a quarantine site's test day).

Every row is checked before the first write, with the single path's rules and errors: a valid
barcode used nowhere (nor twice in the call), an active site in the actor's jurisdiction, a
running round that covers the site, the person named by a scanned personal code (accepted from
anyone) or a typed ID number (inside the jurisdiction), nobody twice in one round. The first
bad row refuses the whole call (``error.params["row"]`` is its index) and nothing is written.

Writes (``bulk``): the tubes and their members in one insert each, one audit row per tube
(``testing.tube.sample_single``: the sealed tube and its person) in one insert, and one
``TubesSampled`` with a ``PeopleSampled`` per tube (the single path publishes each on its own;
the other domains handle the call's tubes together).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from fangkong.config import Settings
from fangkong.core import clock
from fangkong.core.principal import Principal
from fangkong.models.testing import SamplingSite, Tube
from fangkong.testing.sampling.schemas import SingleSample, TubeKind
from fangkong.testing.sampling.service import bulk
from fangkong.testing.sampling.service.bulk import Sampled

SAMPLE_SINGLE = "testing.tube.sample_single"


@dataclass(frozen=True, slots=True)
class _Checked:
    sample: SingleSample
    site: SamplingSite
    person: Sampled
    campaign_id: int | None


def sample_singles(
    session: Session, settings: Settings, *, actor: Principal, samples: Sequence[SingleSample]
) -> list[Tube]:
    """The sealed single tubes, one per sample, in the samples' order, sampled now."""
    if not samples:
        return []
    checked, now = _check(session, settings, actor, samples), clock.now()
    return bulk.write(session, actor, SAMPLE_SINGLE,
                      tubes=[_tube(row, actor, now) for row in checked],
                      people=[[row.person] for row in checked], now=now)  # fmt: skip


def _tube(row: _Checked, actor: Principal, now: datetime) -> Tube:
    return bulk.sealed_tube(
        barcode=row.sample.barcode, kind=TubeKind.SINGLE, capacity=1,
        purpose=row.sample.purpose.value, site=row.site, campaign_id=row.campaign_id, members=1,
        actor=actor, now=now,
    )  # fmt: skip


# --- checks (before any write) ----------------------------------------------------------


def _check(
    session: Session, settings: Settings, actor: Principal, samples: Sequence[SingleSample]
) -> list[_Checked]:
    bulk.check_barcodes(session, samples)
    places = bulk.Places(session, actor)
    people = bulk.people_of(session, settings, actor, [[s.person] for s in samples])
    checked = []
    for index, sample in enumerate(samples):
        with bulk.row(index):
            site = places.site(sample.site_id)
            campaign_id = places.round(sample.campaign_id, site)
            checked.append(_Checked(sample, site, people[index][0], campaign_id))
    bulk.one_per_round(session, [(row.campaign_id, (row.person.id,)) for row in checked])
    return checked
