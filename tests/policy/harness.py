"""Policy editions in the generic harness: city-wide rules, no district records."""

from __future__ import annotations

from harness.registry import District, Domain, Seeded, register


def seed(session, settings, district: District) -> Seeded:
    return Seeded()  # editions are files and the active one is city-wide: nothing per district


register(
    Domain(
        name="policy",
        prefixes=("/api/v1/policy",),
        seed=seed,
        unscoped={
            "GET /api/v1/policy/editions/{edition_id}": "editions are the same for every district",
        },
    )
)
