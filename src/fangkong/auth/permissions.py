"""The one permission matrix: roles (CONTRACTS.md), what each may do, who needs a second factor.

Later domains add their permissions here, so that a reviewer reads every grant in one file.
"""

from __future__ import annotations

import enum
from functools import cache

from fangkong.core.errors import N_
from fangkong.models import RegionLevel


class Role(enum.StrEnum):
    CITY_ADMIN = "city_admin"
    DISTRICT_OFFICER = "district_officer"
    STREET_OFFICER = "street_officer"
    GRID_WORKER = "grid_worker"
    SAMPLER = "sampler"
    LAB = "lab"
    EPIDEMIOLOGIST = "epidemiologist"
    ISOLATION_OFFICER = "isolation_officer"
    VENUE_OPERATOR = "venue_operator"
    INSPECTOR = "inspector"
    CITIZEN = "citizen"


class Perm(enum.StrEnum):
    USERS_READ = "users.read"
    USERS_MANAGE = "users.manage"
    REGIONS_READ = "regions.read"
    REGIONS_MANAGE = "regions.manage"
    AUDIT_READ = "audit.read"
    POLICY_READ = "policy.read"
    POLICY_MANAGE = "policy.manage"
    JOBS_RUN = "jobs.run"
    PEOPLE_READ = "people.read"
    PEOPLE_WRITE = "people.write"
    PEOPLE_REVEAL = "people.reveal"
    PEOPLE_ACCESS_LOG = "people.access_log"
    PEOPLE_MERGE = "people.merge"
    # End the emergency (应急响应结束) and so start the retention countdown: city admins only.
    EMERGENCY_MANAGE = "emergency.manage"
    VENUES_READ = "venues.read"
    VENUES_MANAGE = "venues.manage"
    HEALTH_CODE_READ = "health_code.read"
    # Propose or approve a manual colour change (four eyes: never one's own proposal).
    HEALTH_CODE_CHANGE = "health_code.change"
    HEALTH_CODE_APPEALS = "health_code.appeals"
    # Venue door staff: check a citizen's personal code and record the entry.
    HEALTH_CODE_VERIFY = "health_code.verify"
    ENTRY_CHECK = "entry.check"
    SCANS_READ = "scans.read"
    SCANS_INGEST = "scans.ingest"
    # Nucleic-acid testing (核酸检测): lists, coverage and overdue lists; sites, labs and
    # rounds; sampling into tubes (采样); receiving tubes and uploading results (检测机构).
    TESTING_READ = "testing.read"
    TESTING_MANAGE = "testing.manage"
    TESTING_SAMPLE = "testing.sample"
    TESTING_RESULTS = "testing.results"
    # Arrivals (抵返报备) and zones: reading lists; importing pushed lists and reclassifying
    # trips; a grid worker's screening (排查); a checkpoint's scans (卡口); the national
    # risk-area list (city command office); declaring local zones and linking their cases;
    # deciding a zone's lifting or downgrade (the command office's risk-zone decisions).
    ARRIVALS_READ = "arrivals.read"
    ARRIVALS_MANAGE = "arrivals.manage"
    ARRIVALS_SCREEN = "arrivals.screen"
    ARRIVALS_CHECKPOINT = "arrivals.checkpoint"
    RISK_AREAS_MANAGE = "risk_areas.manage"
    ZONES_READ = "zones.read"
    ZONES_MANAGE = "zones.manage"
    ZONES_DECIDE = "zones.decide"
    # Cases, tracing and quarantine (issue 9): reading case files; creating, classifying and
    # closing cases, clusters and infector links; reading trajectories and contacts; building
    # trajectories, importing carriers' lists and deciding contacts (流调); publishing the
    # anonymised public trajectories; reading quarantine lists; running isolation sites and
    # placements through release; recording a person's daily check-in (the grid worker).
    CASES_READ = "cases.read"
    CASES_MANAGE = "cases.manage"
    TRACING_READ = "tracing.read"
    TRACING_MANAGE = "tracing.manage"
    TRACING_PUBLISH = "tracing.publish"
    QUARANTINE_READ = "quarantine.read"
    QUARANTINE_MANAGE = "quarantine.manage"
    QUARANTINE_CHECKIN = "quarantine.checkin"
    # Exports (导出, issue 10): ask for a list as a file (the list's own read permission is
    # checked too); approve or deny a subordinate's export of personal data above the threshold.
    EXPORTS_REQUEST = "exports.request"
    EXPORTS_APPROVE = "exports.approve"
    # Reports (issue 10): the daily bulletin (疫情通报) and the command dashboard (指挥大屏).
    REPORTS_READ = "reports.read"
    # Vaccination (疫苗接种, issue 11): coverage, booster-due and outreach lists; recording and
    # importing doses.
    VACCINATION_READ = "vaccination.read"
    VACCINATION_MANAGE = "vaccination.manage"
    # Sentinels (哨点): fever-clinic visits and four-drug sales; reporting them (the clinic's or
    # pharmacy's staff, venue operators of that venue); managing clinics, pharmacies and alerts.
    SENTINEL_READ = "sentinel.read"
    SENTINEL_REPORT = "sentinel.report"
    SENTINEL_MANAGE = "sentinel.manage"
    # Supervision (督导): inspections, rectification, property companies and their credit,
    # red and black lists, video points; recording an inspection and verifying a rectification
    # (inspectors); managing companies, credit actions and the video-point ledger.
    SUPERVISION_READ = "supervision.read"
    SUPERVISION_INSPECT = "supervision.inspect"
    SUPERVISION_MANAGE = "supervision.manage"
    # Care (民生保障): livelihood requests from sealed and controlled zones, volunteers and their
    # one-to-one pairings, responsibility teams (包保工作组); handling them.
    CARE_READ = "care.read"
    CARE_MANAGE = "care.manage"


_OFFICER = {
    Perm.USERS_READ,
    Perm.USERS_MANAGE,
    Perm.REGIONS_READ,
    Perm.REGIONS_MANAGE,
    Perm.POLICY_READ,
    Perm.PEOPLE_READ,
    Perm.PEOPLE_WRITE,
    Perm.PEOPLE_REVEAL,
    Perm.PEOPLE_ACCESS_LOG,
    Perm.PEOPLE_MERGE,
    Perm.VENUES_READ,
    Perm.VENUES_MANAGE,
    Perm.HEALTH_CODE_READ,
    Perm.HEALTH_CODE_CHANGE,
    Perm.HEALTH_CODE_APPEALS,
    Perm.SCANS_READ,
    Perm.SCANS_INGEST,
    Perm.TESTING_READ,
    Perm.TESTING_MANAGE,
    # Officers create samplers and lab accounts, so they hold every grant those have.
    Perm.TESTING_SAMPLE,
    Perm.TESTING_RESULTS,
    Perm.ARRIVALS_READ,
    Perm.ARRIVALS_MANAGE,
    Perm.ARRIVALS_SCREEN,
    Perm.ARRIVALS_CHECKPOINT,
    Perm.ZONES_READ,
    Perm.ZONES_MANAGE,
    # Officers create epidemiologists and isolation-site officers, so they hold their grants.
    Perm.CASES_READ,
    Perm.CASES_MANAGE,
    Perm.TRACING_READ,
    Perm.TRACING_MANAGE,
    Perm.TRACING_PUBLISH,
    Perm.QUARANTINE_READ,
    Perm.QUARANTINE_MANAGE,
    Perm.QUARANTINE_CHECKIN,
    Perm.REPORTS_READ,
    # Officers create venue operators, so they hold every grant an operator has.
    Perm.ENTRY_CHECK,
    Perm.HEALTH_CODE_VERIFY,
    Perm.EXPORTS_REQUEST,
    Perm.EXPORTS_APPROVE,
    # Officers create inspectors and the sentinels' operators, so they hold their grants.
    Perm.VACCINATION_READ,
    Perm.VACCINATION_MANAGE,
    Perm.SENTINEL_READ,
    Perm.SENTINEL_REPORT,
    Perm.SENTINEL_MANAGE,
    Perm.SUPERVISION_READ,
    Perm.SUPERVISION_INSPECT,
    Perm.SUPERVISION_MANAGE,
    Perm.CARE_READ,
    Perm.CARE_MANAGE,
}
_TRACER = {
    Perm.REGIONS_READ,
    Perm.TESTING_READ,
    Perm.POLICY_READ,
    Perm.PEOPLE_READ,
    Perm.PEOPLE_REVEAL,
    Perm.VENUES_READ,
    Perm.HEALTH_CODE_READ,
    Perm.SCANS_READ,
    Perm.ARRIVALS_READ,
    Perm.ZONES_READ,
    Perm.EXPORTS_REQUEST,
}

ROLE_PERMISSIONS: dict[Role, frozenset[Perm]] = {
    Role.CITY_ADMIN: frozenset(Perm),
    Role.DISTRICT_OFFICER: frozenset(_OFFICER),
    Role.STREET_OFFICER: frozenset(_OFFICER),
    # Grid workers read coverage and the not-yet-tested and overdue lists of their grids,
    # and screen (排查) the arrivals of their grids; they keep the home-isolation lists of
    # their grids and record the daily check-ins (体温、症状) of the people on them.
    Role.GRID_WORKER: frozenset(
        _TRACER - {Perm.SCANS_READ}
        | {
            Perm.PEOPLE_WRITE,
            Perm.TESTING_READ,
            Perm.ARRIVALS_SCREEN,
            Perm.QUARANTINE_READ,
            Perm.QUARANTINE_CHECKIN,
            # Outreach lists of the unvaccinated and booster-due, sentinel buyers pushed to the
            # grid, and the livelihood requests, volunteers and pairings of their grids.
            Perm.VACCINATION_READ,
            Perm.SENTINEL_READ,
            Perm.CARE_READ,
            Perm.CARE_MANAGE,
        }
    ),
    # Samplers look people up (masked, or by the ID card they scan) but never reveal numbers.
    Role.SAMPLER: frozenset(
        {Perm.REGIONS_READ, Perm.POLICY_READ, Perm.PEOPLE_READ, Perm.TESTING_SAMPLE}
    ),
    # Labs see tubes by barcode and upload results; they never see who is in a tube.
    Role.LAB: frozenset({Perm.POLICY_READ, Perm.TESTING_RESULTS}),
    # Epidemiologists own cases and their investigations (流调); isolation-site officers run
    # sites, placements, test days and releases, and read the cases they transfer.
    Role.EPIDEMIOLOGIST: frozenset(
        _TRACER
        | {
            Perm.CASES_READ,
            Perm.CASES_MANAGE,
            Perm.TRACING_READ,
            Perm.TRACING_MANAGE,
            Perm.QUARANTINE_READ,
            Perm.REPORTS_READ,
            Perm.VACCINATION_READ,
            Perm.SENTINEL_READ,
        }
    ),
    Role.ISOLATION_OFFICER: frozenset(
        _TRACER
        | {
            Perm.CASES_READ,
            Perm.TRACING_READ,
            Perm.QUARANTINE_READ,
            Perm.QUARANTINE_MANAGE,
            Perm.QUARANTINE_CHECKIN,
        }
    ),
    # Operators see and check in at their own venues only (venue_operators rows); staff of a
    # checkpoint (卡口、三站一场) are operators named in checkpoint_staff and scan arrivals there.
    Role.VENUE_OPERATOR: frozenset(
        {
            Perm.POLICY_READ,
            Perm.VENUES_READ,
            Perm.ENTRY_CHECK,
            Perm.HEALTH_CODE_VERIFY,
            Perm.ARRIVALS_CHECKPOINT,
            Perm.SENTINEL_REPORT,
        }
    ),
    # Inspection teams (督导组) inspect communities and verify rectifications.
    Role.INSPECTOR: frozenset(
        {Perm.REGIONS_READ, Perm.POLICY_READ, Perm.SUPERVISION_READ, Perm.SUPERVISION_INSPECT}
    ),
    Role.CITIZEN: frozenset(),
}

# Roles a user of each role may create, always inside the creator's own jurisdiction.
ASSIGNABLE_ROLES: dict[Role, frozenset[Role]] = {
    Role.CITY_ADMIN: frozenset(Role),
    Role.DISTRICT_OFFICER: frozenset(Role) - {Role.CITY_ADMIN},
    Role.STREET_OFFICER: frozenset(
        {Role.GRID_WORKER, Role.SAMPLER, Role.VENUE_OPERATOR, Role.CITIZEN}
    ),
}

# Region levels a user of a role may be placed at; roles not listed may sit at any level.
ROLE_LEVELS: dict[Role, frozenset[RegionLevel]] = {
    Role.CITY_ADMIN: frozenset({RegionLevel.CITY}),
    Role.DISTRICT_OFFICER: frozenset({RegionLevel.DISTRICT}),
    Role.STREET_OFFICER: frozenset({RegionLevel.STREET}),
    Role.GRID_WORKER: frozenset({RegionLevel.STREET, RegionLevel.COMMUNITY, RegionLevel.GRID}),
}


# Rank for managing existing accounts: a user manages only accounts of a strictly lower rank
# (city admins manage everyone else), so no officer can reset a peer's password or second
# factor and take the account over.
ROLE_RANK: dict[Role, int] = {Role.CITY_ADMIN: 0, Role.DISTRICT_OFFICER: 1, Role.STREET_OFFICER: 2}
OTHER_RANK = 3


def may_manage(actor_role: str, target_role: str) -> bool:
    """May a user of ``actor_role`` change, reset or deactivate an account of ``target_role``?"""
    if not may_assign(actor_role, target_role):
        return False
    actor_rank = ROLE_RANK.get(Role(actor_role), OTHER_RANK)
    return actor_rank == 0 or ROLE_RANK.get(Role(target_role), OTHER_RANK) > actor_rank


@cache
def permissions_of(role: str) -> frozenset[str]:
    return frozenset(str(p) for p in ROLE_PERMISSIONS.get(Role(role), frozenset()))


def requires_totp(role: str) -> bool:
    """City admins and every role that may reveal personal data need a second factor."""
    return role == Role.CITY_ADMIN or Perm.PEOPLE_REVEAL in ROLE_PERMISSIONS[Role(role)]


def may_assign(creator_role: str, role: str) -> bool:
    return Role(role) in ASSIGNABLE_ROLES.get(Role(creator_role), frozenset())


# Role names as msgids, so that pages show 市指挥部管理员 / "City administrator".
ROLE_LABELS = {
    Role.CITY_ADMIN: N_("city_admin"),
    Role.DISTRICT_OFFICER: N_("district_officer"),
    Role.STREET_OFFICER: N_("street_officer"),
    Role.GRID_WORKER: N_("grid_worker"),
    Role.SAMPLER: N_("sampler"),
    Role.LAB: N_("lab"),
    Role.EPIDEMIOLOGIST: N_("epidemiologist"),
    Role.ISOLATION_OFFICER: N_("isolation_officer"),
    Role.VENUE_OPERATOR: N_("venue_operator"),
    Role.INSPECTOR: N_("inspector"),
    Role.CITIZEN: N_("citizen"),
}
