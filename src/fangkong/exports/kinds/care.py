"""Care lists to export: requests, volunteers, pairings and responsibility teams."""

from __future__ import annotations

from sqlalchemy.orm import Session

from fangkong.auth.permissions import Perm
from fangkong.care import kinds as care_kinds
from fangkong.care.requests import service as care_requests
from fangkong.care.teams import service as care_teams
from fangkong.care.volunteers import service as care_volunteers
from fangkong.core import clock
from fangkong.core.errors import N_
from fangkong.exports.filters import (
    CarePairingParams,
    CareRequestParams,
    CareTeamParams,
    VolunteerParams,
)
from fangkong.exports.kinds.base import ExportKind, through


def _care_filter(session: Session, p: CareRequestParams) -> care_requests.RequestFilter:
    return care_requests.RequestFilter(
        status=p.status, kind=p.kind.value if p.kind else None, channel=p.channel,
        region=p.region, overdue_at=clock.now() if p.overdue else None, escalated=p.escalated,
    )  # fmt: skip


_care_count, _care_chunk = through(
    _care_filter, care_requests.count_for_export, care_requests.export_rows
)
CARE_REQUESTS = ExportKind(
    name="care_requests",
    label=N_("Care requests"),
    permission=Perm.CARE_READ,
    headers=(
        N_("Request id"),
        N_("Kind"),
        N_("Emergency"),
        N_("Name"),
        N_("Phone"),
        N_("Grid code"),
        N_("Community"),
        N_("Zone"),
        N_("Request"),
        N_("Status"),
        N_("Asked at"),
        N_("Due"),
        N_("Closed at"),
        N_("Volunteer id"),
    ),
    count=_care_count,
    chunk=_care_chunk,
    params=CareRequestParams,
    labels={1: care_kinds.KIND_LABELS, 7: care_kinds.ZONE_LABELS, 9: care_kinds.STATUS_LABELS},
    booleans=frozenset({2}),
    instants=frozenset({10, 11, 12}),
)


def _volunteer_filter(session: Session, p: VolunteerParams) -> care_volunteers.VolunteerFilter:
    return care_volunteers.VolunteerFilter(active=p.active, region=p.region)


_volunteer_count, _volunteer_chunk = through(
    _volunteer_filter, care_volunteers.count_for_export, care_volunteers.export_rows
)
VOLUNTEERS = ExportKind(
    name="volunteers",
    label=N_("Volunteers"),
    permission=Perm.CARE_READ,
    headers=(
        N_("Volunteer id"),
        N_("Name"),
        N_("ID number"),
        N_("Phone"),
        N_("Skills"),
        N_("Areas"),
        N_("Active"),
        N_("Registered at"),
    ),
    count=_volunteer_count,
    chunk=_volunteer_chunk,
    params=VolunteerParams,
    label_lists={4: care_kinds.KIND_LABELS},
    booleans=frozenset({6}),
    instants=frozenset({7}),
)


def _pairing_filter(session: Session, p: CarePairingParams) -> care_volunteers.PairingFilter:
    return care_volunteers.PairingFilter(active=p.active)


_pairing_count, _pairing_chunk = through(
    _pairing_filter,
    care_volunteers.count_pairings_for_export,
    care_volunteers.export_pairing_rows,
)
CARE_PAIRINGS = ExportKind(
    name="care_pairings",
    label=N_("One-to-one pairings"),
    permission=Perm.CARE_READ,
    headers=(
        N_("Pairing id"),
        N_("Resident"),
        N_("Grid code"),
        N_("Volunteer id"),
        N_("Volunteer"),
        N_("Active"),
        N_("Since"),
        N_("Ended at"),
    ),
    count=_pairing_count,
    chunk=_pairing_chunk,
    params=CarePairingParams,
    booleans=frozenset({5}),
    instants=frozenset({6, 7}),
)


def _team_filter(session: Session, p: CareTeamParams) -> care_teams.TeamFilter:
    return care_teams.TeamFilter(region=p.region)


_team_count, _team_chunk = through(
    _team_filter, care_teams.count_for_export, care_teams.export_rows
)
CARE_TEAMS = ExportKind(
    name="care_teams",
    label=N_("Responsibility teams"),
    permission=Perm.CARE_READ,
    headers=(
        N_("Team id"),
        N_("Team"),
        N_("Region code"),
        N_("Communities"),
        N_("Leader"),
        N_("Duties"),
        N_("Visits"),
        N_("Hazards found"),
        N_("Hazards fixed"),
    ),
    count=_team_count,
    chunk=_team_chunk,
    params=CareTeamParams,
    personal=False,
)
