"""Single tubes (单采) in bulk: many people's tubes, each opened at its site, given its person
and sealed, in one call, as ``open_tube`` + ``add_member`` + ``seal_tube`` would do one by one
(a fever clinic's day, a quarantine site's test day).

Every row is checked before the first write, with the single path's rules and errors: a valid
barcode used nowhere (nor twice in the call), an active site in the actor's jurisdiction, a
running round that covers the site, the person named by a scanned personal code (accepted from
anyone) or a typed ID number (inside the jurisdiction), nobody twice in one round. The first
bad row refuses the whole call (``error.params["row"]`` is its index) and nothing is written.

Writes: the tubes in one flush (their ids are read), the members in one Core insert (nobody
reads theirs), one audit row per tube (``testing.tube.sample_single``: the sealed tube and its
person) in one insert, and one ``TubesSampled`` with a ``PeopleSampled`` per tube (the single
path publishes each on its own; the other domains handle the call's tubes together).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from fangkong.audit import service as audit
from fangkong.citizens import personal_code
from fangkong.config import Settings
from fangkong.core import clock, events
from fangkong.core.errors import DomainError
from fangkong.core.iterables import batched
from fangkong.core.principal import Principal
from fangkong.models import Person
from fangkong.models.testing import SamplingSite, Tube
from fangkong.testing import barcodes
from fangkong.testing.events import PeopleSampled, TubesSampled
from fangkong.testing.sampling import errors, repository
from fangkong.testing.sampling.schemas import SingleSample, TubeKind, TubeStatus
from fangkong.testing.sampling.service.audit_trail import tube_snapshot
from fangkong.testing.sampling.service.members import find_person
from fangkong.testing.sampling.service.sites import get_site
from fangkong.testing.sampling.service.tubes import campaign_for_site

SAMPLE_SINGLE = "testing.tube.sample_single"


@dataclass(frozen=True, slots=True)
class _Checked:
    sample: SingleSample
    site: SamplingSite
    person: Person
    campaign_id: int | None


def sample_singles(
    session: Session, settings: Settings, *, actor: Principal, samples: Sequence[SingleSample]
) -> list[Tube]:
    """The sealed single tubes, one per sample, in the samples' order, sampled now."""
    if not samples:
        return []
    checked = _check(session, settings, actor, samples)
    now = clock.now()
    tubes = _insert(session, actor, checked, now)
    pairs = list(zip(tubes, checked, strict=True))
    audit.record_many(session, actor=actor, entries=[
        audit.Entry(SAMPLE_SINGLE, "tube", tube.id, tube.region_code, None,
                    tube_snapshot(tube) | {"added_person_id": row.person.id})
        for tube, row in pairs
    ])  # fmt: skip
    events.publish(session, TubesSampled(tuple(
        PeopleSampled(person_ids=(row.person.id,), tube_id=tube.id, sampled_at=now)
        for tube, row in pairs
    )))  # fmt: skip
    return tubes


def _insert(
    session: Session, actor: Principal, checked: Sequence[_Checked], now: datetime
) -> list[Tube]:
    """The tubes and their members in one insert each, in a savepoint: a unique key a
    concurrent request won (the barcode, one tube per round) leaves nothing behind. The tubes
    become the session's once both went in."""
    tubes = [_tube(row, actor, now) for row in checked]
    try:
        with session.begin_nested():
            repository.number_tubes(session, tubes)
            repository.insert_tubes(session, tubes)
            repository.insert_members(session, [_member(tube, row, actor) for tube, row
                                                in zip(tubes, checked, strict=True)])  # fmt: skip
    except IntegrityError as exc:
        taken = repository.barcodes_taken(session, [tube.barcode for tube in tubes])
        raise (errors.TubeExists() if taken else errors.AlreadyInRound()) from exc
    repository.attach_tubes(session, tubes)
    return tubes


def _tube(row: _Checked, actor: Principal, now: datetime) -> Tube:
    return Tube(
        barcode=row.sample.barcode.strip(), kind=TubeKind.SINGLE.value, capacity=1,
        purpose=row.sample.purpose.value, site_id=row.site.id, campaign_id=row.campaign_id,
        region_code=row.site.region_code, sampler_id=actor.id, status=TubeStatus.SEALED.value,
        member_count=1, opened_at=now, sampled_at=now, sealed_at=now,
    )  # fmt: skip


def _member(tube: Tube, row: _Checked, actor: Principal) -> dict[str, object]:
    return {"tube_id": tube.id, "person_id": row.person.id, "campaign_id": tube.campaign_id,
            "grid_code": row.person.grid_code, "sampled_at": tube.sampled_at,
            "added_by": actor.id}  # fmt: skip


# --- checks (before any write) ----------------------------------------------------------


def _check(
    session: Session, settings: Settings, actor: Principal, samples: Sequence[SingleSample]
) -> list[_Checked]:
    _barcodes(session, samples)
    sites: dict[int, SamplingSite] = {}
    rounds: dict[tuple[int, int], int | None] = {}
    people = _people(session, settings, actor, samples)
    checked = []
    for index, sample in enumerate(samples):
        with _row(index):
            site = sites.get(sample.site_id) or _site(session, actor, sample.site_id)
            sites[site.id] = site
            key = (site.id, sample.campaign_id or 0)
            if key not in rounds:
                rounds[key] = campaign_for_site(session, sample.campaign_id, site)
            checked.append(_Checked(sample, site, people[index], rounds[key]))
    _one_per_round(session, checked)
    return checked


@contextmanager
def _row(index: int) -> Iterator[None]:
    """Names the row of a refusal raised inside the block (``params["row"]``)."""
    try:
        yield
    except DomainError as error:
        error.params.setdefault("row", index)
        raise


def _barcodes(session: Session, samples: Sequence[SingleSample]) -> None:
    seen: set[str] = set()
    for index, sample in enumerate(samples):
        with _row(index):
            barcode = sample.barcode.strip()
            if not barcodes.is_valid(barcode):
                raise errors.BadBarcode()
            if barcode in seen:
                raise errors.TubeExists()
            seen.add(barcode)
    taken = repository.barcodes_taken(session, [s.barcode.strip() for s in samples])
    for index, sample in enumerate(samples):
        with _row(index):
            if sample.barcode.strip() in taken:
                raise errors.TubeExists()


def _site(session: Session, actor: Principal, site_id: int) -> SamplingSite:
    site = get_site(session, actor=actor, site_id=site_id)
    if not site.active:
        raise errors.SiteInactive()
    return site


def _people(
    session: Session, settings: Settings, actor: Principal, samples: Sequence[SingleSample]
) -> list[Person]:
    """The person of each row: personal codes opened here and their holders read at once;
    ID numbers searched one by one in the jurisdiction (``find_person``)."""
    now, wanted = clock.now(), {}
    for index, sample in enumerate(samples):
        with _row(index):
            data = sample.person
            if (data.personal_code is None) == (data.id_number is None):
                raise errors.PersonRequired()
            if data.personal_code is not None:
                wanted[index] = personal_code.open_payload(settings, data.personal_code,
                                                           now).person_id  # fmt: skip
    found = repository.people(session, list(wanted.values()))
    people = []
    for index, sample in enumerate(samples):
        with _row(index):
            if index in wanted:
                person = found.get(wanted[index])
                if person is None:
                    raise errors.PersonNotFound()
            else:
                person = find_person(session, settings, actor=actor, data=sample.person)
            people.append(person)
    return people


def _one_per_round(session: Session, checked: Sequence[_Checked]) -> None:
    """Nobody twice in one round, in the call or before it."""
    by_round: dict[int, dict[int, int]] = defaultdict(dict)
    for index, row in enumerate(checked):
        if row.campaign_id is None:
            continue
        with _row(index):
            if row.person.id in by_round[row.campaign_id]:
                raise errors.AlreadyInRound()
            by_round[row.campaign_id][row.person.id] = index
    for campaign_id, rows in by_round.items():
        for chunk in batched(sorted(rows), repository.LOOKUP_CHUNK):
            sampled = repository.in_round(session, campaign_id, chunk)
            if sampled:
                with _row(min(rows[person_id] for person_id in sampled)):
                    raise errors.AlreadyInRound()
