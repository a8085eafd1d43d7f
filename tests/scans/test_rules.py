"""``rules.decide``: every entry rule, on several editions; switching editions changes answers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest

from fangkong.policy.loader import get_edition
from fangkong.policy.types import VenueType
from fangkong.scans.rules import EntryReason, Verdict, decide

NOW = datetime(2022, 12, 10, 4, 0, tzinfo=UTC)
NINTH = get_edition("cn-9th-2022-06")
TWENTY = get_edition("cn-20-2022-11")
NEW10 = get_edition("cn-new10-2022-12")
HARBIN = get_edition("harbin-2022-12")


@dataclass(frozen=True)
class Snap:
    colour: str = "green"
    last_negative_sampled_at: datetime | None = None
    birth_date: date | None = date(1990, 1, 1)
    stale: bool = False
    name: str | None = "王小明"
    reasons: tuple[str, ...] = ()


def negative_since(hours_ago: float) -> Snap:
    return Snap(last_negative_sampled_at=NOW - timedelta(hours=hours_ago))


def run(edition, venue, snap, temperature=None, emergency=False):  # type: ignore[no-untyped-def]
    return decide(edition, venue, snap, temperature, None, emergency, NOW)


def test_green_code_required_where_the_code_is_checked() -> None:
    assert run(NINTH, VenueType.SHOP, Snap(colour="yellow")).decision is Verdict.DENY
    assert run(NINTH, VenueType.SHOP, Snap()).decision is Verdict.ALLOW


def test_new10_no_longer_checks_the_code_at_shops() -> None:
    answer = run(NEW10, VenueType.SHOP, Snap(colour="red"))
    assert answer.decision is Verdict.ALLOW
    assert run(NINTH, VenueType.SHOP, Snap(colour="red")).reasons == (EntryReason.CODE_NOT_GREEN,)


@pytest.mark.parametrize(
    ("edition", "venue", "hours_ago", "verdict"),
    [
        (NINTH, VenueType.HOTEL, 60, Verdict.ALLOW),  # 9th: hotels 72 h
        (TWENTY, VenueType.HOTEL, 60, Verdict.DENY),  # 20 measures: 48 h
        (NEW10, VenueType.HOTEL, 60, Verdict.ALLOW),  # new 10: not asked
        (NINTH, VenueType.PUBLIC_TRANSPORT, 50, Verdict.DENY),
        (HARBIN, VenueType.PUBLIC_TRANSPORT, 50, Verdict.ALLOW),
        (NINTH, VenueType.HOSPITAL, 47, Verdict.ALLOW),
        (NINTH, VenueType.HOSPITAL, 49, Verdict.DENY),
    ],
)
def test_nat_validity_counts_from_sampling_by_edition(edition, venue, hours_ago, verdict) -> None:  # type: ignore[no-untyped-def]
    answer = run(edition, venue, negative_since(hours_ago))
    assert answer.decision is verdict
    if verdict is Verdict.DENY:
        assert answer.reasons == (EntryReason.NAT_EXPIRED,)


def test_no_negative_test_at_all() -> None:
    answer = run(NINTH, VenueType.HOSPITAL, Snap())
    assert answer.reasons == (EntryReason.NAT_MISSING,)


def test_fever_from_the_editions_threshold() -> None:
    threshold = NINTH.venues.fever_from_celsius
    assert run(NINTH, VenueType.SHOP, Snap(), temperature=threshold).reasons == (EntryReason.FEVER,)
    assert run(NINTH, VenueType.SHOP, Snap(), temperature=threshold - 0.1).decision is (
        Verdict.ALLOW
    )
    shifted = NINTH.model_copy(
        update={"venues": NINTH.venues.model_copy(update={"fever_from_celsius": 38.0})}
    )
    assert run(shifted, VenueType.SHOP, Snap(), temperature=37.5).decision is Verdict.ALLOW


def test_fever_refuses_even_where_the_code_is_not_checked() -> None:
    assert run(NEW10, VenueType.SHOP, Snap(), temperature=38.5).decision is Verdict.DENY


def test_under_3_exempt_only_where_the_edition_says() -> None:
    toddler = Snap(birth_date=date(2021, 1, 1))
    harbin = run(HARBIN, VenueType.HOSPITAL, toddler)
    assert harbin.decision is Verdict.ALLOW
    assert harbin.reasons == (EntryReason.UNDER_3_EXEMPT,)
    assert run(NEW10, VenueType.HOSPITAL, toddler).reasons == (EntryReason.NAT_MISSING,)
    three_today = Snap(birth_date=date(2019, 12, 10))
    assert run(HARBIN, VenueType.HOSPITAL, three_today).reasons == (EntryReason.NAT_MISSING,)


def test_under_3_still_needs_a_green_code() -> None:
    answer = run(HARBIN, VenueType.HOSPITAL, Snap(colour="red", birth_date=date(2021, 1, 1)))
    assert answer.decision is Verdict.DENY
    assert EntryReason.CODE_NOT_GREEN in answer.reasons


def test_emergency_never_refused_is_an_override_with_the_reasons() -> None:
    answer = run(NINTH, VenueType.HOSPITAL, Snap(colour="red"), temperature=39.0, emergency=True)
    assert answer.decision is Verdict.ALLOW
    assert answer.override is True
    assert answer.reasons == (
        EntryReason.FEVER,
        EntryReason.CODE_NOT_GREEN,
        EntryReason.NAT_MISSING,
        EntryReason.EMERGENCY_OVERRIDE,
    )


def test_emergency_changes_nothing_when_nothing_refuses() -> None:
    answer = run(NINTH, VenueType.HOSPITAL, negative_since(1), emergency=True)
    assert (answer.decision, answer.override, answer.reasons) == (Verdict.ALLOW, False, ())


def test_emergency_without_the_rule_is_refused() -> None:
    rule = NINTH.venues.hospital.model_copy(update={"emergency_never_refused": False})
    edition = NINTH.model_copy(
        update={"venues": NINTH.venues.model_copy(update={"hospital": rule})}
    )
    answer = run(edition, VenueType.HOSPITAL, Snap(colour="red"), emergency=True)
    assert answer.decision is Verdict.DENY


def test_stale_code_is_a_manual_check_not_a_refusal() -> None:
    answer = run(NINTH, VenueType.SHOP, Snap(colour="red", stale=True))
    assert (answer.decision, answer.reasons) == (Verdict.MANUAL, (EntryReason.STALE_CODE,))
    unknown = run(NINTH, VenueType.SHOP, None)
    assert (unknown.decision, unknown.reasons) == (Verdict.MANUAL, (EntryReason.CODE_UNKNOWN,))


def test_stale_code_does_not_matter_where_nothing_is_checked() -> None:
    assert run(NEW10, VenueType.SHOP, Snap(stale=True)).decision is Verdict.ALLOW


def test_fever_with_a_stale_code_still_refuses() -> None:
    answer = run(NINTH, VenueType.SHOP, Snap(stale=True), temperature=38.0)
    assert answer.decision is Verdict.DENY
    assert answer.reasons == (EntryReason.FEVER, EntryReason.STALE_CODE)


def test_switching_editions_changes_the_same_question() -> None:
    question = (VenueType.RESTAURANT, Snap(colour="yellow"))
    answers = {e.id: run(e, *question).decision for e in (NINTH, TWENTY, NEW10, HARBIN)}
    assert answers == {
        "cn-9th-2022-06": Verdict.DENY,
        "cn-20-2022-11": Verdict.DENY,
        "cn-new10-2022-12": Verdict.ALLOW,
        "harbin-2022-12": Verdict.ALLOW,
    }
