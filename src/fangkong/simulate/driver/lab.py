"""The driver as sampler and lab: single tubes through the sampling service's bulk path, all
the tubes of one instant in one call (each person shows their personal code, the sampler scans
it), then, after the lab delay, received and resulted through the lab's services. A positive
single tube is then the platform's own business (the pending case, its contacts, their
placements) through its events.

The result is the model's truth on the sampling day: positive once the person is past the
latent period (``infectious`` day reached) and until ``POSITIVE_DAYS_AFTER_RECOVERY`` days
after the infectious window ends (PCR stays positive for a while after culturable virus).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from fangkong.citizens import personal_code
from fangkong.config import Settings
from fangkong.core import clock
from fangkong.core.iterables import batched
from fangkong.core.principal import Principal
from fangkong.simulate.outbreak.disease import Health
from fangkong.testing import barcodes
from fangkong.testing.results import importer
from fangkong.testing.results import service as results
from fangkong.testing.results.schemas import MAX_BATCH, ResultBatch, ResultLine
from fangkong.testing.sampling import service as sampling
from fangkong.testing.sampling.schemas import (
    HouseholdSample,
    MemberAdd,
    PoolSample,
    SingleSample,
    TubePurpose,
)

POSITIVE_DAYS_AFTER_RECOVERY = 7
CODE_MINUTES = 5  # the personal code shown at the sampling desk


def is_positive(health: Health, person: int, day: int) -> bool:
    return bool(
        health.infectious[person] <= day < health.recovered[person] + POSITIVE_DAYS_AFTER_RECOVERY
    )


@dataclass(frozen=True, slots=True)
class Group:
    """One tube of several people to take: where, in which round, who, the model's truth; a
    household tube (一户一管) names its household, a pooled one (混采) does not."""

    site_id: int
    campaign_id: int | None
    person_ids: tuple[int, ...]
    positive: bool
    household_id: int | None = None


@dataclass(frozen=True, slots=True)
class Sample:
    barcode: str
    sampled_at: datetime
    positive: bool


@dataclass
class Lab:
    """Samples taken and waiting for their result; ``serial`` numbers the barcodes."""

    settings: Settings
    actor: Principal
    lab_id: int
    seed: int
    delay: timedelta
    serial: int = 0
    waiting: list[Sample] = field(default_factory=list)

    def sample(self, session: Session, *, at: datetime, people: Sequence[tuple[int, int, bool]],
               purpose: TubePurpose = TubePurpose.SCREENING,
               campaign_id: int | None = None) -> None:  # fmt: skip
        """Single tubes at ``at``, one per (person id, site id, positive): each opened, its
        person added (their personal code scanned) and sealed, in one bulk call."""
        samples = []
        with clock.frozen(at):
            for person_id, site_id, _ in people:
                code = self._code(person_id, at)
                samples.append(SingleSample(barcode=self._barcode(), site_id=site_id,
                                            person=MemberAdd(personal_code=code),
                                            purpose=purpose, campaign_id=campaign_id))  # fmt: skip
            tubes = sampling.sample_singles(session, self.settings, actor=self.actor,
                                            samples=samples)  # fmt: skip
        for tube, (_, _, positive) in zip(tubes, people, strict=True):
            self.waiting.append(Sample(tube.barcode, at, positive))

    def sample_groups(self, session: Session, *, at: datetime, groups: Sequence[Group]) -> None:
        """One tube per ``Group`` at ``at``, each member's personal code scanned: the household
        tubes in one bulk call, the pooled ones in another; positive when any member is."""
        with clock.frozen(at):
            homes = [(g, g.household_id) for g in groups if g.household_id is not None]
            pools = [g for g in groups if g.household_id is None]
            made = sampling.sample_households(session, self.settings, actor=self.actor, samples=[
                HouseholdSample(barcode=self._barcode(), site_id=g.site_id, household_id=home,
                                members=self._members(g, at), campaign_id=g.campaign_id)
                for g, home in homes
            ])  # fmt: skip
            made += sampling.sample_pools(session, self.settings, actor=self.actor, samples=[
                PoolSample(barcode=self._barcode(), site_id=g.site_id,
                           members=self._members(g, at), campaign_id=g.campaign_id)
                for g in pools
            ])  # fmt: skip
        for sealed, group in zip(made, [*(g for g, _ in homes), *pools], strict=True):
            self.waiting.append(Sample(sealed.barcode, at, group.positive))

    def _members(self, group: Group, at: datetime) -> list[MemberAdd]:
        return [MemberAdd(personal_code=self._code(p, at)) for p in group.person_ids]

    def _code(self, person_id: int, at: datetime) -> str:
        return personal_code.issue(self.settings, person_id, at, CODE_MINUTES).payload

    def _barcode(self) -> str:
        self.serial += 1
        return barcodes.with_check_digit(f"8{self.seed % 10**6:06d}{self.serial:09d}")

    def report(self, session: Session, *, until: datetime) -> tuple[int, int]:
        """Receive and result every tube tested by ``until`` (sampled ``delay`` before);
        returns (results, positives)."""
        due = [s for s in self.waiting if s.sampled_at + self.delay <= until]
        if not due:
            return 0, 0
        self.waiting = [s for s in self.waiting if s.sampled_at + self.delay > until]
        with clock.frozen(until):
            barcodes_ = [s.barcode for s in due]
            results.receive(session, actor=self.actor, lab_id=self.lab_id, barcodes_=barcodes_)
            for chunk in batched([_line(s, self.delay) for s in due], MAX_BATCH):
                batch = ResultBatch(lab_id=self.lab_id, results=list(chunk))
                importer.upload_batch(session, actor=self.actor, batch=batch)
        return len(due), sum(s.positive for s in due)


def _line(sample: Sample, delay: timedelta) -> ResultLine:
    result = "positive" if sample.positive else "negative"
    tested_at = (sample.sampled_at + delay).isoformat()
    return ResultLine(barcode=sample.barcode, result=result, tested_at=tested_at)
