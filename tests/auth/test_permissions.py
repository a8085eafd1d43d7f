"""The permission matrix: the roles of CONTRACTS.md, who needs a second factor, who may create
whom (never a role with more permissions than the creator)."""

from __future__ import annotations

import itertools

import pytest

from fangkong.auth.permissions import (
    ASSIGNABLE_ROLES,
    ROLE_LABELS,
    ROLE_LEVELS,
    ROLE_PERMISSIONS,
    Perm,
    Role,
    may_assign,
    permissions_of,
    requires_totp,
)
from fangkong.models import RegionLevel

CONTRACT_ROLES = {
    "city_admin",
    "district_officer",
    "street_officer",
    "grid_worker",
    "sampler",
    "lab",
    "epidemiologist",
    "isolation_officer",
    "venue_operator",
    "inspector",
    "citizen",
}
ALL_PAIRS = list(itertools.product(Role, Role))


def test_roles_are_exactly_those_of_the_contract():
    assert {role.value for role in Role} == CONTRACT_ROLES


def test_every_role_has_a_permission_set_and_a_label():
    assert set(ROLE_PERMISSIONS) == set(Role)
    assert set(ROLE_LABELS) == set(Role)
    assert all(isinstance(p, str) for role in Role for p in permissions_of(role))


def test_city_admin_has_every_permission_and_citizen_none():
    assert permissions_of("city_admin") == {p.value for p in Perm}
    assert permissions_of("citizen") == frozenset()


def test_unknown_role_is_rejected():
    with pytest.raises(ValueError, match="superuser"):
        permissions_of("superuser")


@pytest.mark.parametrize("role", list(Role))
def test_second_factor_for_city_admin_and_every_role_that_reveals(role):
    reveals = Perm.PEOPLE_REVEAL in ROLE_PERMISSIONS[role]
    assert requires_totp(role) is (role == Role.CITY_ADMIN or reveals)


def test_roles_that_reveal_personal_data_are_the_expected_ones():
    revealing = {r.value for r in Role if requires_totp(r)}
    assert revealing == {
        "city_admin",
        "district_officer",
        "street_officer",
        "grid_worker",
        "epidemiologist",
        "isolation_officer",
    }


def _assignable_pairs() -> list[tuple[Role, Role]]:
    pairs = [(creator, role) for creator, role in ALL_PAIRS if may_assign(creator, role)]
    assert len(pairs) > 20  # the properties below are not vacuous
    return pairs


def test_may_assign_never_grants_more_than_the_creator_has():
    """Checked over all 121 (creator, role) pairs."""
    excess = {
        (c.value, r.value): sorted(permissions_of(r) - permissions_of(c))
        for c, r in _assignable_pairs()
        if not permissions_of(r) <= permissions_of(c)
    }
    assert excess == {}


def test_only_user_managers_assign_roles():
    creators = {c for c, _ in _assignable_pairs()}
    assert all(Perm.USERS_MANAGE.value in permissions_of(c) for c in creators)


def test_second_factor_roles_are_assigned_only_by_second_factor_roles():
    """Else a user without a second factor could mint accounts that reveal personal data."""
    weak = [
        (c.value, r.value)
        for c, r in _assignable_pairs()
        if requires_totp(r) and not requires_totp(c)
    ]
    assert weak == []


def test_who_may_create_whom():
    assert {r for r in Role if may_assign("city_admin", r)} == set(Role)
    assert {r for r in Role if may_assign("district_officer", r)} == set(Role) - {Role.CITY_ADMIN}
    assert {r.value for r in Role if may_assign("street_officer", r)} == {
        "grid_worker",
        "sampler",
        "venue_operator",
        "citizen",
    }
    for creator in set(Role) - {Role.CITY_ADMIN, Role.DISTRICT_OFFICER, Role.STREET_OFFICER}:
        assert not any(may_assign(creator, r) for r in Role), creator
    assert set(ASSIGNABLE_ROLES) <= set(Role)


def test_role_levels():
    assert ROLE_LEVELS[Role.CITY_ADMIN] == {RegionLevel.CITY}
    assert ROLE_LEVELS[Role.DISTRICT_OFFICER] == {RegionLevel.DISTRICT}
    assert ROLE_LEVELS[Role.STREET_OFFICER] == {RegionLevel.STREET}
    assert RegionLevel.CITY not in ROLE_LEVELS[Role.GRID_WORKER]
    assert RegionLevel.DISTRICT not in ROLE_LEVELS[Role.GRID_WORKER]
