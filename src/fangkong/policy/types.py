"""Value types and closed sets that policy editions use (the edition's shape is ``schema``)."""

from __future__ import annotations

from collections.abc import Hashable
from enum import StrEnum
from typing import Annotated, Literal, TypeVar

from pydantic import AfterValidator, Field

H = TypeVar("H", bound=Hashable)


def distinct(values: tuple[H, ...]) -> tuple[H, ...]:
    if len(set(values)) != len(values):
        raise ValueError("values must not repeat")
    return values


def _increasing(days: tuple[int, ...]) -> tuple[int, ...]:
    if list(days) != sorted(set(days)):
        raise ValueError("day numbers must increase without repeats")
    return days


Days = Annotated[int, Field(ge=0, le=60)]
PositiveDays = Annotated[int, Field(ge=1, le=60)]
DayNumbers = Annotated[tuple[Annotated[int, Field(ge=1, le=60)], ...], AfterValidator(_increasing)]
Hours = Annotated[int, Field(ge=1, le=720)]
RetentionDays = Annotated[int, Field(ge=1, le=3650)]
Minutes = Annotated[int, Field(ge=1, le=1440)]
Celsius = Annotated[float, Field(ge=35, le=42)]
CtValue = Annotated[float, Field(gt=0, le=50)]
PoolSize = Annotated[int, Field(ge=1, le=50)]
Text = Annotated[str, Field(min_length=1)]
Identifier = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
EditionId = Annotated[str, Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]
Distinct = AfterValidator(distinct)
SingleTubeGroup = Literal["key_group", "under_control"]


class Grade(StrEnum):  # national risk-area grade (高/中/低风险区)
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class ZoneKind(StrEnum):  # local zone around cases (封控区、管控区、防范区)
    SEALED = "sealed"
    CONTROLLED = "controlled"
    PRECAUTION = "precaution"


class ZoneDecision(StrEnum):  # who lifts a zone whose rule is met
    AUTO = "auto"  # the daily job lifts or downgrades it
    PROPOSE = "propose"  # the daily job proposes it; an officer decides


class Measure(StrEnum):  # control measure applied to a person
    NONE = "none"
    SELF_MONITOR = "self_monitor"
    HOME_ISOLATION = "home_isolation"
    HOME_MONITORING = "home_monitoring"
    CENTRALIZED = "centralized"


class Placement(StrEnum):  # where a mild or asymptomatic infected person stays
    HOSPITAL = "hospital"
    CENTRALIZED = "centralized"
    HOME = "home"


class Colour(StrEnum):
    RED = "red"
    YELLOW = "yellow"
    GREEN = "green"


class VenueType(StrEnum):
    HOSPITAL = "hospital"
    ELDERLY_HOME = "elderly_home"
    NURSERY = "nursery"
    SCHOOL = "school"
    HOTEL = "hotel"
    SHOP = "shop"
    RESTAURANT = "restaurant"
    PUBLIC_TRANSPORT = "public_transport"
    OFFICE = "office"
    ENTERTAINMENT = "entertainment"
    SUPERMARKET = "supermarket"
    MARKET = "market"
    STATION_AIRPORT = "station_airport"
    OTHER = "other"


class Reason(StrEnum):  # why a health code has its colour
    CASE_POSITIVE = "case.positive"
    CASE_PENDING = "case.pending_confirmation"
    CONTACT_CLOSE = "contact.close"
    ARRIVAL_HIGH_RISK = "arrival.high_risk"
    ZONE_SEALED = "zone.sealed"
    ZONE_CONTROLLED = "zone.controlled"
    CONTACT_SECONDARY = "contact.secondary"
    SPACE_TIME_COMPANION = "contact.space_time_companion"
    POOL_POSITIVE = "testing.pool_positive"
    KEY_GROUP_OVERDUE = "key_group.test_overdue"
    SCREENING_MISSED = "testing.missed_screening"
    FEVER_PENDING_TEST = "sentinel.fever_pending_test"
    FOUR_DRUG_NO_NAT = "sentinel.four_drug_no_nat"
    ARRIVAL_UNSCREENED = "arrival.screening_overdue"
