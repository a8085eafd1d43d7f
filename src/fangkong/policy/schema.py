"""The shape of one policy edition: every rule value a domain reads, typed and checked.

Models are frozen and refuse unknown keys, so a typo in a YAML file fails at load time;
sequences are tuples, so a cached edition cannot be changed by a caller. Day numbers count
from 1 within their own period. Nothing has a default: a complete edition states every value,
and an overlay inherits the rest from its base before validation. Rules that span sections
are checked on ``Edition``; their messages name the fields involved.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, time
from typing import Annotated, Literal, Self

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from fangkong.policy.types import (
    Celsius,
    Colour,
    CtValue,
    DayNumbers,
    Days,
    Distinct,
    EditionId,
    Grade,
    Hours,
    Identifier,
    Measure,
    Minutes,
    Placement,
    PoolSize,
    PositiveDays,
    Reason,
    RetentionDays,
    SingleTubeGroup,
    Text,
    VenueType,
    ZoneDecision,
    ZoneKind,
    distinct,
)


class PolicyModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _check_within(test_days: tuple[int, ...], period: int, name: str) -> None:
    if test_days and test_days[-1] > period:
        raise ValueError(f"{name} {list(test_days)} must lie within the {period}-day period")


class CloseContactRules(PolicyModel):
    """密接. ``home_days`` follow centralized isolation under ``home_measure`` (居家健康监测 in
    the 9th edition, 居家隔离 in the 20 measures); ``home_isolation_days`` replace it."""

    default_measure: Measure  # centralized or home_isolation
    centralized_days: Days
    centralized_test_days: DayNumbers
    home_measure: Measure | None  # home_monitoring or home_isolation; null when no home days
    home_days: Days
    home_test_days: DayNumbers
    home_isolation_days: Days
    home_isolation_test_days: DayNumbers

    @model_validator(mode="after")
    def _tests_inside_periods(self) -> Self:
        _check_within(self.centralized_test_days, self.centralized_days, "centralized_test_days")
        _check_within(self.home_test_days, self.home_days, "home_test_days")
        _check_within(
            self.home_isolation_test_days, self.home_isolation_days, "home_isolation_test_days"
        )
        return self

    @model_validator(mode="after")
    def _measures_have_periods(self) -> Self:
        days = {Measure.CENTRALIZED: self.centralized_days}
        days[Measure.HOME_ISOLATION] = self.home_isolation_days
        if not days.get(self.default_measure):
            raise ValueError("default_measure must be centralized or home_isolation, with days")
        if self.home_measure not in (None, Measure.HOME_MONITORING, Measure.HOME_ISOLATION):
            raise ValueError("home_measure must be home_monitoring, home_isolation or null")
        if (self.home_measure is None) != (self.home_days == 0):
            raise ValueError("home_measure must be set exactly when home_days is above 0")
        return self


class SecondaryContactRules(PolicyModel):
    """次密接: identified only in some editions; then all values must be stated."""

    identified: bool
    home_isolation_days: Days
    test_days: DayNumbers
    upgrade_on_linked_positive: bool
    # A close contact's exposures that count: from its first contact with the case (inside
    # the trace-back window) until it was put under control.
    window: Literal["first_contact_until_controlled"] | None

    @model_validator(mode="after")
    def _values_match_identified(self) -> Self:
        _check_within(self.test_days, self.home_isolation_days, "test_days")
        stated = (self.home_isolation_days > 0, self.window is not None)
        if self.identified and not all(stated):
            raise ValueError("identified secondary contacts need home_isolation_days and window")
        unused = (*stated, bool(self.test_days), self.upgrade_on_linked_positive)
        if not self.identified and any(unused):
            raise ValueError("secondary contacts are not identified: set 0 days, no tests, null")
        return self


class TransportRule(PolicyModel):
    """Who on the same flight, train or coach is a close contact of a case aboard: on a plane
    the case's row and ``flight_rows_around`` rows before and after it; on a train the whole
    carriage when ``train_whole_carriage``, else the same ``train_rows_around`` rule; on a
    coach everyone when ``coach_everyone``."""

    flight_rows_around: Days
    train_whole_carriage: bool
    train_rows_around: Days
    coach_everyone: bool


class ContactRules(PolicyModel):
    close: CloseContactRules
    secondary: SecondaryContactRules
    # Counted back from onset, or from the first positive sample when asymptomatic.
    trace_back_days_before_onset: Days
    same_place_window_minutes: Minutes
    same_transport: TransportRule


class HighLift(PolicyModel):
    consecutive_days: PositiveDays
    final_screening_required: bool
    lowers_to: Grade


class RiskAreaRules(PolicyModel):
    grades: Annotated[tuple[Grade, ...], Distinct]
    high_lift: HighLift
    medium_lower_days: PositiveDays | None
    designated_medium_days: PositiveDays | None

    @model_validator(mode="after")
    def _grades_consistent(self) -> Self:
        if Grade.HIGH not in self.grades or Grade.LOW not in self.grades:
            raise ValueError("grades must include high and low")
        if self.high_lift.lowers_to not in self.grades or self.high_lift.lowers_to is Grade.HIGH:
            raise ValueError("high_lift.lowers_to must be a lower grade in grades")
        medium_days = (self.medium_lower_days, self.designated_medium_days)
        if (Grade.MEDIUM in self.grades) != all(days is not None for days in medium_days):
            raise ValueError("medium_lower_days and designated_medium_days: set iff medium")
        return self


class ZoneLift(PolicyModel):
    """When a local zone of one kind ends: ``no_infection_days`` in a row with no new infection
    inside it (and, where required, a final screening round all negative), after which it
    becomes ``then`` (a lower kind) or, when null, is lifted (解封)."""

    no_infection_days: PositiveDays
    final_screening_required: bool
    then: ZoneKind | None


class ZoneRules(PolicyModel):
    sealed: ZoneLift
    controlled: ZoneLift
    precaution: ZoneLift
    decision: ZoneDecision

    def lift_for(self, kind: ZoneKind) -> ZoneLift:
        return {
            ZoneKind.SEALED: self.sealed,
            ZoneKind.CONTROLLED: self.controlled,
            ZoneKind.PRECAUTION: self.precaution,
        }[kind]

    @model_validator(mode="after")
    def _downgrades_go_down(self) -> Self:
        order = list(ZoneKind)
        for kind in ZoneKind:
            then = self.lift_for(kind).then
            if then is not None and order.index(then) <= order.index(kind):
                raise ValueError(f"zones.{kind}.then must be a lower kind than {kind}")
        return self


class ArrivalRule(PolicyModel):
    measure: Measure
    days: Days
    test_days: DayNumbers

    @model_validator(mode="after")
    def _days_match_measure(self) -> Self:
        _check_within(self.test_days, self.days, "test_days")
        if (self.measure is Measure.NONE) != (self.days == 0):
            raise ValueError("days must be 0 exactly when measure is none")
        return self


class ArrivalsByOrigin(PolicyModel):
    """Per origin grade, null where none; ``low``: a low-risk area of an affected county."""

    high: ArrivalRule | None
    medium: ArrivalRule | None
    low: ArrivalRule | None

    def rule_for(self, grade: Grade) -> ArrivalRule | None:
        return {Grade.HIGH: self.high, Grade.MEDIUM: self.medium, Grade.LOW: self.low}[grade]


class Escalation(PolicyModel):
    """问责: an overdue screening goes to the street once it is ``street_after_hours`` past
    its deadline, and to the district at ``district_after_hours``."""

    street_after_hours: Annotated[int, Field(ge=0, le=720)]
    district_after_hours: Hours

    @model_validator(mode="after")
    def _district_later(self) -> Self:
        if self.district_after_hours <= self.street_after_hours:
            raise ValueError("escalation.district_after_hours must be after street_after_hours")
        return self


class ArrivalRules(PolicyModel):
    by_origin: ArrivalsByOrigin
    report_within_hours: Hours
    merge_window_hours: Hours
    landing_test_within_hours: Hours | None  # null: no landing test (落地即检) expected
    screening_deadline_hours: Hours
    escalation: Escalation


class NatValidity(PolicyModel):
    """Hours a negative NAT counts for, by purpose; null means no result is asked for."""

    transport: Hours | None
    leaving_city: Hours | None
    hospital: Hours | None
    hotel: Hours | None
    elderly_home: Hours | None
    nursery: Hours | None
    school: Hours | None


class Pooling(PolicyModel):
    default_size: PoolSize
    allowed_sizes: Annotated[tuple[PoolSize, ...], Distinct]
    single_tube_groups: Annotated[tuple[SingleTubeGroup, ...], Distinct]
    one_tube_per_sealed_household: bool
    positive_pool_members_colour: Colour

    @model_validator(mode="after")
    def _default_is_allowed(self) -> Self:
        if self.default_size not in self.allowed_sizes:
            raise ValueError(f"allowed_sizes must contain default_size {self.default_size}")
        return self


class NatRules(PolicyModel):
    """Nucleic-acid testing (核酸检测)."""

    nat_validity_hours: NatValidity
    validity_from: Literal["sampling", "report"]
    positive_ct_threshold: CtValue  # positive when Ct < threshold
    pooling: Pooling


class KeyGroup(PolicyModel):
    """重点人群: a category of people tested every ``frequency_days`` when ``required``."""

    id: Identifier
    name_zh: Text
    name_en: Text
    frequency_days: Annotated[int, Field(ge=1, le=7)]
    required: bool
    # The registry's key-group values (``fangkong.models.person.KeyGroup``) whose members this
    # schedule covers: the edition names testing categories, the grid ledger names jobs.
    registry_groups: Annotated[tuple[Identifier, ...], Distinct] = ()


def _distinct_ids(groups: tuple[KeyGroup, ...]) -> tuple[KeyGroup, ...]:
    distinct(tuple(group.id for group in groups))
    return groups


class ReleaseRule(PolicyModel):
    test_days: Annotated[DayNumbers, Field(min_length=1)]
    ct_at_least: CtValue


class CaseRules(PolicyModel):
    """Mild and asymptomatic infections; the first placement listed is the default."""

    mild_placements: Annotated[tuple[Placement, ...], Field(min_length=1), Distinct]
    asymptomatic_placements: Annotated[tuple[Placement, ...], Field(min_length=1), Distinct]
    release: ReleaseRule


class CodeRule(PolicyModel):
    reason: Reason
    colour: Colour


class HealthCodeRules(PolicyModel):
    """Rules in order; the worst colour among the matching reasons wins, else green."""

    checked_at: Annotated[tuple[VenueType, ...], Distinct]
    rules: tuple[CodeRule, ...]
    qr_lifetime_minutes: Minutes
    sweep_local_time: time
    missed_screening_yellow: bool

    def colour_for(self, reason: Reason) -> Colour | None:
        return next((rule.colour for rule in self.rules if rule.reason is reason), None)

    @model_validator(mode="after")
    def _rules_consistent(self) -> Self:
        if len({rule.reason for rule in self.rules}) != len(self.rules):
            raise ValueError("rules: a reason must not repeat")
        missed = self.colour_for(Reason.SCREENING_MISSED)
        if (missed is Colour.YELLOW) != self.missed_screening_yellow or missed is Colour.RED:
            raise ValueError("a yellow testing.missed_screening rule iff missed_screening_yellow")
        return self


class VenueRule(PolicyModel):
    nat_required_hours: Hours | None  # null: no negative NAT asked for at entry
    code_check: bool
    emergency_never_refused: bool
    under_3_exempt: bool


class VenueRules(PolicyModel):
    """Entry rules for every venue type."""

    hospital: VenueRule
    elderly_home: VenueRule
    nursery: VenueRule
    school: VenueRule
    hotel: VenueRule
    shop: VenueRule
    restaurant: VenueRule
    public_transport: VenueRule
    office: VenueRule
    entertainment: VenueRule
    supermarket: VenueRule
    market: VenueRule
    station_airport: VenueRule
    other: VenueRule
    fever_from_celsius: Celsius  # body temperature at or above this is refused at entry

    def rule_for(self, venue_type: VenueType) -> VenueRule:
        rule = getattr(self, venue_type.value)
        assert isinstance(rule, VenueRule)
        return rule


class SentinelRules(PolicyModel):
    four_drug_registration: bool  # 退热、止咳、抗病毒、抗生素 purchases registered
    no_negative_nat_window_hours: Hours
    fever_visit_marks_code: bool  # a fever-clinic visit is yellow until a negative NAT
    # A district's fever-clinic visits on a day above alert_factor × the mean of the previous
    # alert_baseline_days days (and at least alert_min_visits) raise an alert (预警).
    alert_factor: Annotated[float, Field(gt=1, le=20)]
    alert_baseline_days: PositiveDays
    alert_min_visits: Annotated[int, Field(ge=1, le=10_000)]


class VaccinationRules(PolicyModel):
    """疫苗接种: the booster (加强针) falls due this many days after the last dose of a
    complete series. Vaccine products and their series lengths are data (``vaccines``)."""

    booster_interval_days: Annotated[int, Field(ge=1, le=3650)]


class RetentionRules(PolicyModel):
    """数据保存期限: days personal data is kept after the emergency ends (应急响应结束).

    Tables name these keys in their retention declarations (``fangkong.models.retention``).
    """

    registry_days_after_end: RetentionDays  # people, households, key groups, duplicates


class Edition(PolicyModel):
    """One policy edition: a public document's rule values, or a local overlay resolved."""

    id: EditionId
    title: Text
    title_en: Text
    effective_on: date
    source: Text
    base: EditionId | None = None
    contacts: ContactRules
    risk_areas: RiskAreaRules
    arrivals: ArrivalRules
    zones: ZoneRules
    testing: NatRules
    key_groups: Annotated[tuple[KeyGroup, ...], Field(min_length=1), AfterValidator(_distinct_ids)]
    cases: CaseRules
    health_code: HealthCodeRules
    venues: VenueRules
    sentinel: SentinelRules
    vaccination: VaccinationRules
    retention: RetentionRules

    @model_validator(mode="after")
    def _sections_agree(self) -> Self:
        for check in _EDITION_CHECKS:
            check(self)
        return self


def _arrival_grades_in_force(edition: Edition) -> None:
    for grade in Grade:
        has_rule = edition.arrivals.by_origin.rule_for(grade) is not None
        if has_rule != (grade in edition.risk_areas.grades):
            raise ValueError(f"arrivals.by_origin.{grade}: set exactly for risk_areas.grades")


def _code_checks_agree(edition: Edition) -> None:
    checking = {kind for kind in VenueType if edition.venues.rule_for(kind).code_check}
    if checking != set(edition.health_code.checked_at):
        raise ValueError("health_code.checked_at must list exactly the venues with code_check")


# Venue types whose entry NAT rule is also a testing purpose; the two must agree. Stations
# and airports are where a journey starts: their entry rule is the transport purpose.
_PURPOSE_OF_VENUE = {
    VenueType.PUBLIC_TRANSPORT: "transport",
    VenueType.STATION_AIRPORT: "transport",
    **{kind: kind.value for kind in VenueType if kind.value in NatValidity.model_fields},
}


def _nat_hours_agree(edition: Edition) -> None:
    validity = edition.testing.nat_validity_hours
    for kind, purpose in _PURPOSE_OF_VENUE.items():
        if edition.venues.rule_for(kind).nat_required_hours != getattr(validity, purpose):
            raise ValueError(
                f"venues.{kind}.nat_required_hours must equal testing.nat_validity_hours.{purpose}"
            )


def _pool_colour_agrees(edition: Edition) -> None:
    rule_colour = edition.health_code.colour_for(Reason.POOL_POSITIVE)
    pool_colour = edition.testing.pooling.positive_pool_members_colour
    if rule_colour is not None and rule_colour is not pool_colour:
        raise ValueError("health_code testing.pool_positive colour must equal pooling's colour")


def _facts_produced(edition: Edition) -> dict[Reason, tuple[str, bool]]:
    """Reasons reading a fact only some editions produce: the fact, and whether produced."""
    high = edition.arrivals.by_origin.high
    isolated = high is not None and high.measure not in (Measure.NONE, Measure.SELF_MONITOR)
    secondary, drugs = (
        edition.contacts.secondary.identified,
        edition.sentinel.four_drug_registration,
    )
    tested = any(group.required for group in edition.key_groups)
    return {
        Reason.CONTACT_SECONDARY: ("contacts.secondary.identified", secondary),
        Reason.FOUR_DRUG_NO_NAT: ("sentinel.four_drug_registration", drugs),
        Reason.KEY_GROUP_OVERDUE: ("a key group with required: true", tested),
        Reason.ARRIVAL_HIGH_RISK: ("arrivals.by_origin.high with isolation", isolated),
    }


def _reasons_have_facts(edition: Edition) -> None:
    facts = _facts_produced(edition)
    for rule in edition.health_code.rules:
        needed, produced = facts.get(rule.reason, ("", True))
        if not produced:
            raise ValueError(f"health_code rule {rule.reason} needs {needed}")


_EDITION_CHECKS: tuple[Callable[[Edition], None], ...] = (
    _arrival_grades_in_force,
    _code_checks_agree,
    _nat_hours_agree,
    _pool_colour_agrees,
    _reasons_have_facts,
)
