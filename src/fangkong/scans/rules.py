"""Entry rules (场所查验): allow, deny or manual check for one person at one venue.

A pure function of the active edition's venue rules and what is known of the person (the
health-code snapshot), the measured temperature and the emergency flag; every threshold comes
from the edition, so switching editions changes the answers without a code change; a venue
the command office closed refuses everyone.

Order of the answer: a stale or unknown code makes the colour untrustworthy, so checks that
need it end in ``manual`` (the door staff look at the citizen's own screen) instead of a
refusal; a fever is measured at the door and refuses whatever the code says; an emergency at
a venue whose rule says ``emergency_never_refused`` is let in, recorded as an override with
every reason that would have refused it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Protocol

from fangkong.core import clock
from fangkong.core.errors import N_
from fangkong.policy.schema import Edition, VenueRule
from fangkong.policy.types import Colour, VenueType

EXEMPT_BELOW_YEARS = 3  # 3岁以下婴幼儿: the age the documents name; the edition says where


class Verdict(StrEnum):
    ALLOW = "allow"
    DENY = "deny"
    MANUAL = "manual"


class EntryReason(StrEnum):
    CODE_NOT_GREEN = "entry.code_not_green"
    NAT_MISSING = "entry.nat_missing"
    NAT_EXPIRED = "entry.nat_expired"
    FEVER = "entry.fever"
    STALE_CODE = "entry.stale_code"
    CODE_UNKNOWN = "entry.code_unknown"
    UNDER_3_EXEMPT = "entry.under_3_exempt"
    EMERGENCY_OVERRIDE = "entry.emergency_override"
    VENUE_CLOSED = "entry.venue_closed"


MESSAGES: dict[str, str] = {
    EntryReason.CODE_NOT_GREEN: N_("The health code is not green."),
    EntryReason.NAT_MISSING: N_("No negative nucleic-acid test on record."),
    EntryReason.NAT_EXPIRED: N_("The last negative nucleic-acid test is too old for this venue."),
    EntryReason.FEVER: N_("Body temperature at or above the fever threshold."),
    EntryReason.STALE_CODE: N_("The health code could not be read now; check the citizen's code."),
    EntryReason.CODE_UNKNOWN: N_("No health code is known for this person; check by hand."),
    EntryReason.UNDER_3_EXEMPT: N_("Children under 3 are exempt from test checks here."),
    EntryReason.EMERGENCY_OVERRIDE: N_("Emergency patient: let in and recorded as an override."),
    EntryReason.VENUE_CLOSED: N_("The venue is closed by the command office."),
}


class Snapshot(Protocol):
    """What the rules read of a person's code (B's ``CodeSnapshot`` has these fields)."""

    @property
    def colour(self) -> str: ...
    @property
    def last_negative_sampled_at(self) -> datetime | None: ...
    @property
    def birth_date(self) -> date | None: ...
    @property
    def stale(self) -> bool: ...


@dataclass(frozen=True, slots=True)
class Decision:
    decision: Verdict
    reasons: tuple[EntryReason, ...]
    override: bool = False

    @property
    def fever(self) -> bool:
        return EntryReason.FEVER in self.reasons


def decide(  # noqa: PLR0917 - the signature other domains call (interfaces.md)
    edition: Edition,
    venue_type: VenueType,
    snapshot: Snapshot | None,
    temperature: float | None,
    mask: bool | None,
    emergency: bool,
    now: datetime,
    *,
    closed: bool = False,
) -> Decision:
    """The entry decision; ``mask`` is recorded by the caller, no edition refuses on it. A
    venue closed by the command office (暂停营业) refuses everyone, but for an emergency
    where the venue's rule never refuses one."""
    rule = edition.venues.rule_for(venue_type)
    refusals, unsure, notes = _findings(edition, rule, snapshot, temperature, now)
    if closed:
        refusals.insert(0, EntryReason.VENUE_CLOSED)
    if (refusals or unsure) and emergency and rule.emergency_never_refused:
        reasons = (*refusals, *unsure, *notes, EntryReason.EMERGENCY_OVERRIDE)
        return Decision(Verdict.ALLOW, reasons, override=True)
    if refusals:
        return Decision(Verdict.DENY, (*refusals, *unsure, *notes))
    if unsure:
        return Decision(Verdict.MANUAL, (*unsure, *notes))
    return Decision(Verdict.ALLOW, tuple(notes))


Findings = tuple[list[EntryReason], list[EntryReason], list[EntryReason]]


def _findings(
    edition: Edition,
    rule: VenueRule,
    snapshot: Snapshot | None,
    temperature: float | None,
    now: datetime,
) -> Findings:
    """(reasons that refuse, reasons that need a person to look, notes)."""
    refusals: list[EntryReason] = []
    unsure: list[EntryReason] = []
    notes: list[EntryReason] = []
    if temperature is not None and temperature >= edition.venues.fever_from_celsius:
        refusals.append(EntryReason.FEVER)
    if not rule.code_check and rule.nat_required_hours is None:
        return refusals, unsure, notes
    if snapshot is None or snapshot.stale:
        unsure.append(EntryReason.CODE_UNKNOWN if snapshot is None else EntryReason.STALE_CODE)
        return refusals, unsure, notes
    if rule.code_check and snapshot.colour != Colour.GREEN:
        refusals.append(EntryReason.CODE_NOT_GREEN)
    if rule.nat_required_hours is not None:
        if rule.under_3_exempt and _under(snapshot.birth_date, now, EXEMPT_BELOW_YEARS):
            notes.append(EntryReason.UNDER_3_EXEMPT)
        else:
            refusals.extend(_nat_reasons(snapshot, rule.nat_required_hours, now))
    return refusals, unsure, notes


def _nat_reasons(snapshot: Snapshot, hours: int, now: datetime) -> list[EntryReason]:
    sampled = snapshot.last_negative_sampled_at
    if sampled is None:
        return [EntryReason.NAT_MISSING]
    if now - sampled > timedelta(hours=hours):
        return [EntryReason.NAT_EXPIRED]
    return []


def _under(birth_date: date | None, now: datetime, years: int) -> bool:
    """Younger than ``years`` on today's date in Asia/Shanghai (unknown: not exempt)."""
    if birth_date is None:
        return False
    today = now.astimezone(clock.LOCAL_TZ).date()
    try:
        birthday = birth_date.replace(year=birth_date.year + years)
    except ValueError:  # born on 29 February
        birthday = date(birth_date.year + years, 3, 1)
    return today < birthday
