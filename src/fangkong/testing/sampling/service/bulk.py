"""What the bulk sampling paths share (single tubes, household tubes): the checks each row
passes before the first write, naming the row of a refusal, and the writes themselves — the
tubes in one insert, their members in another, inside a savepoint, then one audit row per
tube and one ``TubesSampled`` for the call."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Protocol

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from fangkong.audit import service as audit
from fangkong.citizens import personal_code
from fangkong.config import Settings
from fangkong.core import clock, events
from fangkong.core.errors import DomainError
from fangkong.core.iterables import batched
from fangkong.core.principal import Principal
from fangkong.models.testing import SamplingSite, Tube
from fangkong.testing import barcodes
from fangkong.testing.events import PeopleSampled, TubesSampled
from fangkong.testing.sampling import errors, repository
from fangkong.testing.sampling.schemas import MemberAdd, TubeKind, TubeStatus
from fangkong.testing.sampling.service.audit_trail import tube_snapshot
from fangkong.testing.sampling.service.members import find_person
from fangkong.testing.sampling.service.sites import get_site
from fangkong.testing.sampling.service.tubes import campaign_for_site


class Labelled(Protocol):
    @property
    def barcode(self) -> str: ...


class Sampled(Protocol):
    """Who goes into a tube: a ``Person`` or just its key columns (``repository.PersonKey``)."""

    @property
    def id(self) -> int: ...

    @property
    def grid_code(self) -> str: ...


@contextmanager
def row(index: int) -> Iterator[None]:
    """Names the row of a refusal raised inside the block (``params["row"]``)."""
    try:
        yield
    except DomainError as error:
        error.params.setdefault("row", index)
        raise


def check_barcodes(session: Session, samples: Sequence[Labelled]) -> None:
    """Each barcode valid, once in the call and used by no stored tube."""
    seen: set[str] = set()
    for index, sample in enumerate(samples):
        with row(index):
            barcode = sample.barcode.strip()
            if not barcodes.is_valid(barcode):
                raise errors.BadBarcode()
            if barcode in seen:
                raise errors.TubeExists()
            seen.add(barcode)
    taken = repository.barcodes_taken(session, [s.barcode.strip() for s in samples])
    for index, sample in enumerate(samples):
        with row(index):
            if sample.barcode.strip() in taken:
                raise errors.TubeExists()


class Places:
    """The sites and rounds of one call, each read and checked once."""

    def __init__(self, session: Session, actor: Principal) -> None:
        self.session, self.actor = session, actor
        self.sites: dict[int, SamplingSite] = {}
        self.rounds: dict[tuple[int, int], int | None] = {}

    def site(self, site_id: int) -> SamplingSite:
        if site_id not in self.sites:
            site = get_site(self.session, actor=self.actor, site_id=site_id)
            if not site.active:
                raise errors.SiteInactive()
            self.sites[site_id] = site
        return self.sites[site_id]

    def round(self, campaign_id: int | None, site: SamplingSite) -> int | None:
        """The running round covering the site (None: no round named)."""
        key = (site.id, campaign_id or 0)
        if key not in self.rounds:
            self.rounds[key] = campaign_for_site(self.session, campaign_id, site)
        return self.rounds[key]


def people_of(
    session: Session, settings: Settings, actor: Principal, rows: Sequence[Sequence[MemberAdd]]
) -> list[list[Sampled]]:
    """The people of each row: personal codes opened here and their holders read at once
    (accepted from anyone); ID numbers searched one by one in the jurisdiction."""
    now, wanted = clock.now(), {}
    for index, members in enumerate(rows):
        with row(index):
            for number, data in enumerate(members):
                if (data.personal_code is None) == (data.id_number is None):
                    raise errors.PersonRequired()
                if data.personal_code is not None:
                    opened = personal_code.open_payload(settings, data.personal_code, now)
                    wanted[index, number] = opened.person_id
    found = repository.people(session, list(wanted.values()))
    return [_found(session, settings, actor, index=index, members=members, wanted=wanted,
                   found=found) for index, members in enumerate(rows)]  # fmt: skip


def _found(
    session: Session, settings: Settings, actor: Principal, *, index: int,
    members: Sequence[MemberAdd], wanted: dict[tuple[int, int], int], found: Mapping[int, Sampled],
) -> list[Sampled]:  # fmt: skip
    people: list[Sampled] = []
    with row(index):
        for number, data in enumerate(members):
            if (index, number) in wanted:
                person = found.get(wanted[index, number])
                if person is None:
                    raise errors.PersonNotFound()
            else:
                person = find_person(session, settings, actor=actor, data=data)
            people.append(person)
    return people


def one_per_round(session: Session, rows: Sequence[tuple[int | None, Sequence[int]]]) -> None:
    """Nobody twice in one round, in the call or before it; ``rows`` are each row's (round,
    person ids)."""
    by_round: dict[int, dict[int, int]] = defaultdict(dict)
    for index, (campaign_id, person_ids) in enumerate(rows):
        if campaign_id is None:
            continue
        with row(index):
            for person_id in person_ids:
                if person_id in by_round[campaign_id]:
                    raise errors.AlreadyInRound()
                by_round[campaign_id][person_id] = index
    for campaign_id, first_row in by_round.items():
        for chunk in batched(sorted(first_row), repository.LOOKUP_CHUNK):
            sampled = repository.in_round(session, campaign_id, chunk)
            if sampled:
                with row(min(first_row[person_id] for person_id in sampled)):
                    raise errors.AlreadyInRound()


def sealed_tube(
    *, barcode: str, kind: TubeKind, capacity: int, purpose: str, site: SamplingSite,
    campaign_id: int | None, members: int, actor: Principal, now: datetime,
) -> Tube:  # fmt: skip
    """A tube opened, filled and sealed at ``now``, as a bulk row makes it."""
    return Tube(
        barcode=barcode.strip(), kind=kind.value, capacity=capacity, purpose=purpose,
        site_id=site.id, campaign_id=campaign_id, region_code=site.region_code,
        sampler_id=actor.id, status=TubeStatus.SEALED.value, member_count=members,
        opened_at=now, sampled_at=now, sealed_at=now,
    )  # fmt: skip


def write(
    session: Session, actor: Principal, action: str, *, tubes: list[Tube],
    people: Sequence[Sequence[Sampled]], now: datetime,
) -> list[Tube]:  # fmt: skip
    """The checked call's sealed tubes written (``insert``) and recorded (``recorded``)."""
    insert(session, actor, tubes, people)
    recorded(session, actor, action, tubes=tubes, people=people, now=now)
    return tubes


def insert(
    session: Session, actor: Principal, tubes: Sequence[Tube], people: Sequence[Sequence[Sampled]]
) -> None:
    """The sealed tubes and their members (``people[i]`` in ``tubes[i]``) in one insert each,
    in a savepoint: a unique key a concurrent request won (the barcode, one tube per round)
    leaves nothing behind. The tubes become the session's once both went in."""
    try:
        with session.begin_nested():
            repository.number_tubes(session, tubes)
            repository.insert_tubes(session, tubes)
            repository.insert_members(session, [
                _member(tube, person, actor) for tube, members in zip(tubes, people, strict=True)
                for person in members
            ])  # fmt: skip
    except IntegrityError as exc:
        taken = repository.barcodes_taken(session, [tube.barcode for tube in tubes])
        raise (errors.TubeExists() if taken else errors.AlreadyInRound()) from exc
    repository.attach_tubes(session, tubes)


def _member(tube: Tube, person: Sampled, actor: Principal) -> dict[str, object]:
    return {"tube_id": tube.id, "person_id": person.id, "campaign_id": tube.campaign_id,
            "grid_code": person.grid_code, "sampled_at": tube.sampled_at,
            "added_by": actor.id}  # fmt: skip


def recorded(
    session: Session, actor: Principal, action: str, *, tubes: Sequence[Tube],
    people: Sequence[Sequence[Sampled]], now: datetime,
) -> None:  # fmt: skip
    """One audit row per tube (the sealed tube and who went in) and one ``TubesSampled``."""
    pairs = list(zip(tubes, people, strict=True))
    audit.record_many(session, actor=actor, entries=[
        audit.Entry(action, "tube", tube.id, tube.region_code, None,
                    tube_snapshot(tube) | _added(tube, members))
        for tube, members in pairs
    ])  # fmt: skip
    events.publish(session, TubesSampled(tuple(
        PeopleSampled(person_ids=tuple(p.id for p in members), tube_id=tube.id, sampled_at=now)
        for tube, members in pairs
    )))  # fmt: skip


def _added(tube: Tube, members: Sequence[Sampled]) -> dict[str, object]:
    """A single tube's audit names its person; a household tube's lists them (ids joined by
    commas: the audit keeps plain values)."""
    if tube.kind == "single":
        return {"added_person_id": members[0].id}
    return {"added_person_ids": ",".join(str(person.id) for person in members)}
