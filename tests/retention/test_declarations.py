"""Every table declares its retention rule; every rule names real columns and real windows."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Column, Integer, MetaData, Table

from fangkong.config import Settings
from fangkong.models import Base
from fangkong.models.retention import (
    INFO_KEY,
    Constant,
    DeidentifyAfterEmergency,
    DeleteOlderThan,
    MaskJsonOlderThan,
    NotPurged,
    PolicyWindow,
    SettingsWindow,
    TaggedId,
    retention,
)
from fangkong.policy.loader import available_editions
from fangkong.retention import rules

DECLARED = rules.declarations()


def test_every_table_declares_its_retention_rule():
    assert rules.undeclared(Base.metadata) == []
    assert {d.table.name for d in DECLARED} == set(Base.metadata.tables)


def test_a_table_without_a_declaration_is_reported():
    metadata = MetaData()
    Table(
        "declared", metadata, Column("id", Integer, primary_key=True), **retention(NotPurged("x"))
    )
    Table("forgotten", metadata, Column("id", Integer, primary_key=True))
    assert rules.undeclared(metadata) == ["forgotten"]
    assert [d.table.name for d in rules.declarations(metadata)] == ["declared"]


def test_tables_kept_say_why():
    kept = [d for d in DECLARED if isinstance(d.rule, NotPurged)]
    assert kept and all(len(d.rule.reason) > 10 for d in kept)  # type: ignore[union-attr]


def test_personal_tables_have_rules_that_act():
    acting = {d.table.name for d in DECLARED if not isinstance(d.rule, NotPurged)}
    assert acting == {
        "people",
        "households",
        "key_group_memberships",
        "duplicate_candidates",
        "person_access_log",
        "login_attempts",
        "web_sessions",
        "audit_log",
        "health_facts",
        "health_codes",
        "health_code_history",
        "code_change_requests",
        "code_appeals",
        "nat_negatives",
        "citizen_otps",
        "citizen_sessions",
        "code_nonces",
        "scans",
        "tubes",
        "tube_members",
        "tube_results",
        "test_tasks",
        "antigen_reports",
        "arrival_reports",
        "trips",
        "arrival_tasks",
        "zone_cases",
        "zone_residents",
        "cases",
        "case_events",
        "case_links",
        "travel_records",
        "interview_entries",
        "publications",
        "published_stops",
        "contacts",
        "contact_links",
        "placements",
        "quarantine_tests",
        "check_ins",
        "fever_visits",
        "drug_sales",
        "care_requests",
        "care_volunteers",
        "care_needs",
        "care_pairings",
        "vaccination_doses",
        "vaccination_status",
    }


@pytest.mark.parametrize("declared", DECLARED, ids=lambda d: d.table.name)
def test_declared_columns_exist_and_fit(declared: rules.Declared):
    rule, columns = declared.rule, declared.table.c
    if isinstance(rule, DeleteOlderThan | MaskJsonOlderThan):
        assert rule.column in columns
    if isinstance(rule, MaskJsonOlderThan):
        assert {*rule.columns, rule.type_column, rule.marker} <= set(columns.keys())
        assert columns[rule.marker].nullable
    if isinstance(rule, DeidentifyAfterEmergency):
        for name, replacement in rule.replace.items():
            assert name in columns
            if isinstance(replacement, Constant) and replacement.value is None:
                assert columns[name].nullable, name
            if isinstance(replacement, TaggedId):
                assert len(declared.table.primary_key.columns) == 1


@pytest.mark.parametrize("edition_id", sorted(available_editions()))
def test_every_window_resolves_in_every_edition(edition_id: str):
    edition, settings = available_editions()[edition_id], Settings(_env_file=None)  # type: ignore[call-arg]
    windows = [d.rule.window for d in DECLARED if not isinstance(d.rule, NotPurged)]
    assert any(isinstance(w, PolicyWindow) for w in windows)
    assert any(isinstance(w, SettingsWindow) for w in windows)
    for window in windows:
        assert rules.window_of(window, edition=edition, settings=settings) > timedelta(0)
    assert rules.countdown_days(edition) == edition.retention.registry_days_after_end


def test_settings_windows_follow_the_settings():
    settings = Settings(_env_file=None, retention_access_log_days=365)  # type: ignore[call-arg]
    edition = available_editions()["cn-9th-2022-06"]
    assert rules.window_of(
        SettingsWindow("retention_access_log_days"), edition=edition, settings=settings
    ) == timedelta(days=365)
    idle = SettingsWindow("session_idle_minutes", "minutes")
    assert rules.window_of(idle, edition=edition, settings=settings) == timedelta(
        minutes=settings.session_idle_minutes
    )
    assert rules.source_of(idle) == "FANGKONG_SESSION_IDLE_MINUTES"


def test_the_declaration_lives_in_table_info():
    assert INFO_KEY in Base.metadata.tables["people"].info
