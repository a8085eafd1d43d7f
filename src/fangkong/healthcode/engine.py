"""The colour rule, pure: the worst colour among the edition's rules matching the facts in force.

A reason that has no rule in the edition does not colour (and is not shown as a reason). An
approved manual change in force replaces the computed colour; its reason is ``manual.change``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from fangkong.healthcode.labels import MANUAL_CHANGE
from fangkong.policy.schema import HealthCodeRules
from fangkong.policy.types import Colour, Reason

SEVERITY = {Colour.GREEN: 0, Colour.YELLOW: 1, Colour.RED: 2}
# Facts a negative NAT lifts (POLICY.md: "until a negative test", "until the single-tube retest
# is negative", "no negative NAT within 72 h", overdue or missed tests).
ENDED_BY_NEGATIVE = frozenset(
    {
        Reason.FEVER_PENDING_TEST,
        Reason.POOL_POSITIVE,
        Reason.FOUR_DRUG_NO_NAT,
        Reason.KEY_GROUP_OVERDUE,
        Reason.SCREENING_MISSED,
    }
)


# POLICY.md keeps a positive pool's members yellow "until the single-tube retest is negative":
# a negative from a pooled or household tube does not end that one.
ENDED_BY_SINGLE_TUBE_ONLY = frozenset({Reason.POOL_POSITIVE})


def lifted_by_negative(
    reason: str, started_at: datetime, sampled_at: datetime, *, single_tube: bool
) -> bool:
    """Does a negative NAT sampled at ``sampled_at`` end a fact of ``reason`` that started at
    ``started_at``? Only facts a negative lifts, only those that began before the sampling."""
    if reason not in ENDED_BY_NEGATIVE or started_at > sampled_at:
        return False
    return single_tube or reason not in ENDED_BY_SINGLE_TUBE_ONLY


@dataclass(frozen=True)
class Computed:
    colour: Colour
    reasons: tuple[str, ...]
    manual: bool


def compute(
    rules: HealthCodeRules, reasons_in_force: Iterable[str], manual: Colour | None = None
) -> Computed:
    """The code for a person whose facts in force have ``reasons_in_force``."""
    if manual is not None:
        return Computed(manual, (MANUAL_CHANGE,), True)
    colour = Colour.GREEN
    matched: list[str] = []
    in_force = set(reasons_in_force)
    for rule in rules.rules:  # the edition's order, so reasons are listed the same way
        if rule.reason.value in in_force:
            matched.append(rule.reason.value)
            if SEVERITY[rule.colour] > SEVERITY[colour]:
                colour = rule.colour
    return Computed(colour, tuple(matched), False)
