"""The audit log in the generic harness: one row per district, placed in its grid."""

from __future__ import annotations

from fangkong.audit import service as audit
from fangkong.core.principal import SYSTEM
from harness.registry import BadInput, District, Domain, Seeded, register


def seed(session, settings, district: District) -> Seeded:
    marker = f"{district.tag}审计"
    audit.record(
        session,
        actor=SYSTEM,
        action="probe.seed",
        object_type="probe",
        object_id=marker,
        region_code=district.grid,
    )
    return Seeded(markers=(marker,))


BAD_INPUTS = (
    BadInput("a huge actor id", "get", "/api/v1/audit", 422, "request.invalid",
             params={"actor_id": str(10**20)}, role="city_admin"),
    BadInput("a time with no UTC equivalent (late)", "get", "/api/v1/audit", 422,
             "request.invalid", params={"since": "9999-12-31T23:59:59-23:59"}, role="city_admin"),
    BadInput("a time with no UTC equivalent (early)", "get", "/api/v1/audit", 422,
             "request.invalid", params={"until": "0001-01-01T00:00:00+23:59"}, role="city_admin"),
)  # fmt: skip


register(
    Domain(
        name="audit",
        prefixes=("/api/v1/audit",),
        seed=seed,
        order=90,
        volatile={"GET /api/v1/audit": "the probe's own calls add rows (exports, reads)"},
        bad_inputs=BAD_INPUTS,
    )
)
