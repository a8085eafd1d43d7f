"""The process probes in the generic harness: no records at all."""

from __future__ import annotations

from harness.registry import District, Domain, Seeded, register


def seed(session, settings, district: District) -> Seeded:
    return Seeded()


register(
    Domain(
        name="site",
        prefixes=("/healthz", "/readyz"),
        seed=seed,
        unscoped={
            "GET /healthz": "liveness: no data",
            "GET /readyz": "readiness: no data",
        },
    )
)
