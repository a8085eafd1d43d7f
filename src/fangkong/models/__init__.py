"""Every table, one module per aggregate. Importing this package registers them all."""

from fangkong.models.audit import AuditLog
from fangkong.models.base import Base
from fangkong.models.person import (
    DuplicateCandidate,
    DuplicateStatus,
    GridCounts,
    Household,
    IdType,
    KeyGroup,
    KeyGroupMembership,
    Person,
    PersonAccess,
    PersonStatus,
)
from fangkong.models.region import GridAssignment, Region, RegionLevel
from fangkong.models.retention import EmergencyState
from fangkong.models.system import DemoMarker, JobLock, JobRun, PolicyState
from fangkong.models.user import LoginAttempt, User, WebSession

__all__ = [
    "AuditLog",
    "Base",
    "DemoMarker",
    "DuplicateCandidate",
    "DuplicateStatus",
    "EmergencyState",
    "GridAssignment",
    "GridCounts",
    "Household",
    "IdType",
    "JobLock",
    "JobRun",
    "KeyGroup",
    "KeyGroupMembership",
    "LoginAttempt",
    "Person",
    "PersonAccess",
    "PersonStatus",
    "PolicyState",
    "Region",
    "RegionLevel",
    "User",
    "WebSession",
]

# Domains import their own tables from their modules (``fangkong.models.venue``, ...); these
# imports, last so that those modules may import the names above, register the tables.
import fangkong.models.arrivals
import fangkong.models.care
import fangkong.models.cases
import fangkong.models.citizen
import fangkong.models.contacts
import fangkong.models.exports
import fangkong.models.healthcode
import fangkong.models.quarantine
import fangkong.models.scan
import fangkong.models.sentinel
import fangkong.models.supervision
import fangkong.models.testing
import fangkong.models.tracing
import fangkong.models.vaccination
import fangkong.models.venue
import fangkong.models.zones  # noqa: F401
