"""The shipped policy editions carry POLICY.md's values; bad files are refused by field path."""

from __future__ import annotations

import copy
from datetime import date, time
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from fangkong.policy.loader import (
    EditionInvalid,
    EditionNotFound,
    available_editions,
    deep_merge,
    get_edition,
    load_edition_file,
    parse_edition,
    shipped_directory,
)
from fangkong.policy.schema import Edition
from fangkong.policy.types import Colour, Grade, Measure, Placement, Reason, VenueType

SHIPPED = {"cn-9th-2022-06", "cn-20-2022-11", "cn-new10-2022-12", "harbin-2022-12"}


def raw(edition_id: str) -> dict[str, Any]:
    text = (shipped_directory() / f"{edition_id}.yaml").read_text(encoding="utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return data


def write(directory: Path, name: str, data: dict[str, Any]) -> Path:
    path = directory / f"{name}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def refusal(data: dict[str, Any]) -> str:
    with pytest.raises(EditionInvalid) as caught:
        parse_edition(data, source_name="test.yaml")
    return caught.value.detail or ""


def test_every_shipped_edition_loads_under_its_file_name() -> None:
    editions = available_editions()
    assert set(editions) == SHIPPED
    assert all(edition.id == edition_id for edition_id, edition in editions.items())


def test_editions_carry_their_document_dates() -> None:
    assert get_edition("cn-9th-2022-06").effective_on == date(2022, 6, 28)
    assert get_edition("cn-20-2022-11").effective_on == date(2022, 11, 11)
    assert get_edition("cn-new10-2022-12").effective_on == date(2022, 12, 7)


def test_ninth_edition_contacts() -> None:
    contacts = get_edition("cn-9th-2022-06").contacts
    assert (contacts.close.centralized_days, contacts.close.home_days) == (7, 3)
    assert contacts.close.home_measure == Measure.HOME_MONITORING
    assert contacts.close.centralized_test_days == (1, 2, 3, 5, 7)
    assert contacts.close.home_test_days == (3,)
    assert contacts.secondary.identified
    assert contacts.secondary.home_isolation_days == 7
    assert contacts.secondary.test_days == (1, 4, 7)
    assert contacts.secondary.upgrade_on_linked_positive
    assert contacts.secondary.window is not None
    assert contacts.trace_back_days_before_onset == 4
    assert contacts.same_place_window_minutes == 30


def test_ninth_edition_areas_arrivals_and_testing() -> None:
    edition = get_edition("cn-9th-2022-06")
    areas = edition.risk_areas
    assert areas.grades == (Grade.HIGH, Grade.MEDIUM, Grade.LOW)
    assert areas.high_lift.consecutive_days == 7
    assert areas.high_lift.final_screening_required
    assert areas.high_lift.lowers_to == Grade.MEDIUM
    assert (areas.medium_lower_days, areas.designated_medium_days) == (3, 7)
    high, medium = edition.arrivals.by_origin.high, edition.arrivals.by_origin.medium
    assert high is not None and medium is not None
    assert (high.measure, high.days, high.test_days) == (Measure.CENTRALIZED, 7, (1, 2, 3, 5, 7))
    assert (medium.measure, medium.days, medium.test_days) == (Measure.HOME_ISOLATION, 7, (1, 4, 7))
    validity = edition.testing.nat_validity_hours
    assert (validity.transport, validity.hospital, validity.leaving_city) == (48, 48, 48)
    assert validity.hotel == 72
    assert edition.testing.positive_ct_threshold == 40


def test_twenty_measures() -> None:
    edition = get_edition("cn-20-2022-11")
    close = edition.contacts.close
    assert (close.centralized_days, close.home_days) == (5, 3)
    assert close.centralized_test_days == (1, 2, 3, 5)
    assert close.home_test_days == (1, 3)
    assert not edition.contacts.secondary.identified
    assert edition.risk_areas.grades == (Grade.HIGH, Grade.LOW)
    assert edition.risk_areas.high_lift.consecutive_days == 5
    assert edition.risk_areas.medium_lower_days is None
    assert edition.arrivals.by_origin.medium is None
    high = edition.arrivals.by_origin.high
    assert high is not None
    assert (high.measure, high.days, high.test_days) == (Measure.HOME_ISOLATION, 7, (1, 3, 5, 7))
    assert edition.testing.positive_ct_threshold == 35
    assert edition.health_code.colour_for(Reason.CONTACT_SECONDARY) is None


def test_low_risk_area_of_an_affected_county_is_three_days_two_tests() -> None:
    for edition_id in ("cn-9th-2022-06", "cn-20-2022-11"):
        low = get_edition(edition_id).arrivals.by_origin.low
        assert low is not None
        assert (low.days, len(low.test_days)) == (3, 2)


def test_new_ten_measures() -> None:
    edition = get_edition("cn-new10-2022-12")
    close = edition.contacts.close
    assert close.default_measure == Measure.HOME_ISOLATION
    assert close.home_isolation_days == 5
    assert close.home_isolation_test_days == (5,)
    for grade in (Grade.HIGH, Grade.LOW):
        rule = edition.arrivals.by_origin.rule_for(grade)
        assert rule is not None and rule.measure == Measure.NONE
    assert edition.arrivals.landing_test_within_hours is None
    assert edition.cases.mild_placements[0] == Placement.HOME
    assert edition.cases.release.test_days == (6, 7)
    assert edition.cases.release.ct_at_least == 35
    assert not any(group.required for group in edition.key_groups)
    assert set(edition.health_code.checked_at) == {
        VenueType.ELDERLY_HOME,
        VenueType.HOSPITAL,
        VenueType.NURSERY,
        VenueType.SCHOOL,
    }
    assert edition.venues.shop.nat_required_hours is None
    assert edition.testing.nat_validity_hours.transport is None


@pytest.mark.parametrize("edition_id", sorted(SHIPPED))
def test_values_shared_by_every_edition(edition_id: str) -> None:
    edition = get_edition(edition_id)
    pooling = edition.testing.pooling
    assert (pooling.default_size, pooling.allowed_sizes) == (10, (5, 10, 20))
    assert pooling.positive_pool_members_colour == Colour.YELLOW
    assert edition.testing.validity_from == "sampling"
    assert edition.health_code.qr_lifetime_minutes == 5
    assert edition.health_code.sweep_local_time == time(0, 0)
    assert edition.health_code.colour_for(Reason.CASE_POSITIVE) == Colour.RED
    assert edition.sentinel.no_negative_nat_window_hours == 72
    assert edition.venues.hospital.emergency_never_refused
    assert (edition.arrivals.report_within_hours, edition.arrivals.merge_window_hours) == (24, 24)
    assert edition.arrivals.screening_deadline_hours == 24


@pytest.mark.parametrize("edition_id", sorted(SHIPPED))
def test_key_groups_cover_the_named_categories(edition_id: str) -> None:
    groups = get_edition(edition_id).key_groups
    assert len(groups) >= 10
    assert all(1 <= group.frequency_days <= 7 for group in groups)
    assert {"fever_clinic_staff", "delivery_riders", "teachers"} <= {group.id for group in groups}


def test_ninth_edition_lists_every_health_code_reason() -> None:
    code = get_edition("cn-9th-2022-06").health_code
    assert {rule.reason for rule in code.rules} == set(Reason)
    assert code.colour_for(Reason.ZONE_SEALED) == Colour.RED
    assert code.colour_for(Reason.SPACE_TIME_COMPANION) == Colour.YELLOW
    assert code.missed_screening_yellow


def test_harbin_overlay_inherits_the_new_ten_measures() -> None:
    harbin, base = get_edition("harbin-2022-12"), get_edition("cn-new10-2022-12")
    assert harbin.base == base.id
    assert harbin.contacts == base.contacts
    assert harbin.cases == base.cases
    assert harbin.arrivals == base.arrivals
    assert harbin.venues.shop == base.venues.shop


def test_harbin_overlay_overrides_venues_and_sentinel() -> None:
    harbin, base = get_edition("harbin-2022-12"), get_edition("cn-new10-2022-12")
    assert harbin.testing.nat_validity_hours.leaving_city == 48
    assert base.testing.nat_validity_hours.leaving_city is None
    assert harbin.venues.hospital.nat_required_hours == 48
    assert harbin.venues.hospital.under_3_exempt and not base.venues.hospital.under_3_exempt
    assert harbin.venues.public_transport.nat_required_hours is None
    assert base.sentinel.four_drug_registration and not harbin.sentinel.four_drug_registration
    assert harbin.health_code.colour_for(Reason.FOUR_DRUG_NO_NAT) is None


def test_harbin_file_holds_only_its_own_keys() -> None:
    sections = set(raw("harbin-2022-12")) - {"id", "base", "title", "title_en"}
    assert sections == {"effective_on", "source", "testing", "venues", "sentinel", "health_code"}


def test_default_directory_is_cached_and_copies_are_handed_out() -> None:
    first, second = available_editions(), available_editions()
    assert first is not second
    assert first["cn-9th-2022-06"] is second["cn-9th-2022-06"]


def test_editions_are_frozen() -> None:
    edition = get_edition("cn-9th-2022-06")
    with pytest.raises(ValidationError):
        edition.contacts.close.centralized_days = 1  # type: ignore[misc]


def test_unknown_key_is_refused_with_its_dotted_path() -> None:
    data = raw("cn-9th-2022-06")
    data["contacts"]["close"]["centralised_days"] = 7
    detail = refusal(data)
    assert "contacts.close.centralised_days: Extra inputs are not permitted" in detail


def test_negative_number_in_a_file_is_refused_with_its_dotted_path(tmp_path: Path) -> None:
    data = raw("cn-9th-2022-06")
    data["contacts"]["close"]["centralized_days"] = -1
    with pytest.raises(EditionInvalid) as caught:
        load_edition_file(write(tmp_path, "cn-9th-2022-06", data))
    error = caught.value
    assert (error.code, error.status) == ("policy.invalid_edition", 422)
    assert error.detail is not None and error.detail.startswith("cn-9th-2022-06.yaml: ")
    assert (
        "contacts.close.centralized_days: Input should be greater than or equal to 0"
        in error.detail
    )


def test_every_failing_field_is_named() -> None:
    data = raw("cn-20-2022-11")
    data["key_groups"][2]["frequency_days"] = 0
    data["testing"]["pooling"]["default_size"] = "ten"
    del data["sentinel"]["four_drug_registration"]
    detail = refusal(data)
    assert "key_groups.2.frequency_days: Input should be greater than or equal to 1" in detail
    assert "testing.pooling.default_size: Input should be a valid integer" in detail
    assert "sentinel.four_drug_registration: Field required" in detail


@pytest.mark.parametrize(
    ("section", "change", "named"),
    [
        (("contacts", "close"), {"centralized_test_days": [1, 8]}, "centralized_test_days"),
        (("contacts", "close"), {"home_test_days": [3, 1]}, "home_test_days"),
        (("testing", "pooling"), {"allowed_sizes": [5, 20]}, "default_size"),
        (("risk_areas",), {"grades": ["high", "low"]}, "high_lift.lowers_to"),
        (("risk_areas",), {"medium_lower_days": None}, "medium_lower_days"),
        (
            ("risk_areas",),
            {"grades": ["high", "medium", "low", "low"]},
            "risk_areas.grades: values must not repeat",
        ),
        (("health_code",), {"missed_screening_yellow": False}, "missed_screening_yellow"),
        (("sentinel",), {"four_drug_registration": False}, "sentinel.four_drug_registration"),
        (("contacts", "secondary"), {"identified": False}, "not identified"),
    ],
)
def test_cross_field_rules_are_enforced(
    section: tuple[str, ...], change: dict[str, Any], named: str
) -> None:
    data = raw("cn-9th-2022-06")
    target = data
    for key in section:
        target = target[key]
    target.update(change)
    assert named in refusal(data)


def test_arrival_grade_outside_the_risk_grades_is_refused() -> None:
    data = raw("cn-20-2022-11")
    data["arrivals"]["by_origin"]["medium"] = {"measure": "home_isolation", "days": 7}
    data["arrivals"]["by_origin"]["medium"]["test_days"] = [1, 4, 7]
    assert "arrivals.by_origin.medium" in refusal(data)


def test_venue_code_checks_must_match_checked_at() -> None:
    data = raw("cn-new10-2022-12")
    data["venues"]["shop"]["code_check"] = True
    detail = refusal(data)
    assert "edition: health_code.checked_at must list exactly the venues with code_check" in detail


def test_venue_and_testing_nat_hours_must_agree() -> None:
    data = raw("cn-9th-2022-06")
    data["venues"]["hotel"]["nat_required_hours"] = 48
    assert "venues.hotel.nat_required_hours" in refusal(data)


def test_unknown_health_code_reason_is_refused() -> None:
    data = raw("cn-9th-2022-06")
    data["health_code"]["rules"][0]["reason"] = "case.maybe"
    assert "health_code.rules.0.reason: Input should be" in refusal(data)


def test_file_name_must_equal_the_id(tmp_path: Path) -> None:
    write(tmp_path, "ninth", raw("cn-9th-2022-06"))
    with pytest.raises(EditionInvalid, match="must equal the file name"):
        available_editions(tmp_path)


def test_malformed_yaml_is_refused(tmp_path: Path) -> None:
    (tmp_path / "broken.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    with pytest.raises(EditionInvalid, match=r"broken\.yaml: not valid YAML"):
        available_editions(tmp_path)


def overlay(edition_id: str, base: str, **changes: Any) -> dict[str, Any]:
    own = {"title": "测试", "title_en": "Test", "effective_on": "2022-12-20", "source": "test"}
    return {"id": edition_id, "base": base, **own, **changes}


def test_local_overlay_resolves_a_shipped_base(tmp_path: Path) -> None:
    path = write(tmp_path, "local", overlay("local", "harbin-2022-12", sentinel={}))
    edition = load_edition_file(path)
    assert edition.base == "harbin-2022-12"
    assert edition.effective_on == date(2022, 12, 20)
    assert edition.venues.hospital.under_3_exempt  # from harbin
    assert edition.contacts.close.home_isolation_days == 5  # from new10


def test_overlay_values_are_validated_after_merging(tmp_path: Path) -> None:
    change = {"contacts": {"close": {"home_isolation_days": 3}}}
    path = write(tmp_path, "short", overlay("short", "cn-new10-2022-12", **change))
    with pytest.raises(EditionInvalid, match="home_isolation_test_days"):
        load_edition_file(path)


def test_overlay_with_a_missing_base_is_refused(tmp_path: Path) -> None:
    write(tmp_path, "orphan", overlay("orphan", "cn-nowhere-2099-01"))
    with pytest.raises(EditionNotFound, match="cn-nowhere-2099-01") as caught:
        available_editions(tmp_path)
    assert (caught.value.code, caught.value.status) == ("policy.edition_not_found", 404)


def test_overlay_base_must_be_an_edition_id(tmp_path: Path) -> None:
    path = write(tmp_path, "sneaky", overlay("sneaky", "../cn-new10-2022-12"))
    with pytest.raises(EditionInvalid, match="base: must be an edition id"):
        load_edition_file(path)


def test_overlay_cycle_is_refused(tmp_path: Path) -> None:
    write(tmp_path, "first", overlay("first", "second"))
    write(tmp_path, "second", overlay("second", "first"))
    with pytest.raises(EditionInvalid, match="cycle"):
        available_editions(tmp_path)


def test_overlay_must_state_its_own_identity(tmp_path: Path) -> None:
    path = write(tmp_path, "bare", {"id": "bare", "base": "cn-new10-2022-12"})
    with pytest.raises(EditionInvalid, match="title, title_en, effective_on, source"):
        load_edition_file(path)


def test_unknown_edition_is_not_found() -> None:
    with pytest.raises(EditionNotFound, match="cn-new10-2022-12"):
        get_edition("cn-11th-2023-01")


def test_a_complete_edition_round_trips() -> None:
    edition = get_edition("cn-9th-2022-06")
    dumped = edition.model_dump(mode="json")
    assert Edition.model_validate(dumped) == edition


keys = st.text(alphabet="abcdef", min_size=1, max_size=3)
leaves = st.none() | st.booleans() | st.integers() | st.lists(st.integers(), max_size=3)
trees = st.recursive(leaves, lambda inner: st.dictionaries(keys, inner, max_size=4), max_leaves=12)
documents = st.dictionaries(keys, trees, max_size=5)


@given(documents)
def test_merging_an_empty_overlay_is_identity(document: dict[str, Any]) -> None:
    assert deep_merge(document, {}) == document
    assert deep_merge({}, document) == document


@given(documents, documents)
def test_overlay_leaves_win_and_base_is_untouched(
    base: dict[str, Any], change: dict[str, Any]
) -> None:
    before = copy.deepcopy(base)
    merged = deep_merge(base, change)
    assert base == before
    assert set(merged) == set(base) | set(change)
    for key, value in change.items():
        if not (isinstance(value, dict) and isinstance(base.get(key), dict)):
            assert merged[key] == value


@given(documents)
def test_merging_a_document_onto_itself_is_identity(document: dict[str, Any]) -> None:
    assert deep_merge(document, document) == document


@pytest.mark.parametrize("edition_id", sorted(SHIPPED))
def test_every_edition_has_a_rule_for_every_venue_type(edition_id: str) -> None:
    edition = get_edition(edition_id)
    stated = set(edition.venues.model_dump()) - {"fever_from_celsius"}
    assert stated == {kind.value for kind in VenueType}
    assert all(edition.venues.rule_for(kind).emergency_never_refused for kind in VenueType)
    assert edition.venues.fever_from_celsius == 37.3
    checking = {kind for kind in VenueType if edition.venues.rule_for(kind).code_check}
    assert checking == set(edition.health_code.checked_at)


def test_new_venue_types_follow_each_editions_spirit() -> None:
    ninth, new10 = get_edition("cn-9th-2022-06"), get_edition("cn-new10-2022-12")
    assert ninth.venues.station_airport.nat_required_hours == 48
    assert ninth.venues.supermarket.code_check and ninth.venues.market.code_check
    assert not new10.venues.supermarket.code_check
    assert new10.venues.station_airport.nat_required_hours is None
    assert get_edition("harbin-2022-12").venues.other == new10.venues.other


def test_fever_threshold_outside_35_to_42_is_refused() -> None:
    data = raw("cn-9th-2022-06")
    data["venues"]["fever_from_celsius"] = 45
    assert "venues.fever_from_celsius" in refusal(data)


def test_station_nat_hours_must_equal_transport_validity() -> None:
    data = raw("cn-9th-2022-06")
    data["venues"]["station_airport"]["nat_required_hours"] = 72
    assert "venues.station_airport.nat_required_hours" in refusal(data)
