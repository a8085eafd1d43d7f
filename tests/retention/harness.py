"""The end-of-emergency switch in the generic harness: one city-wide row, no district records."""

from __future__ import annotations

from harness.registry import BadInput, District, Domain, Seeded, register


def seed(session, settings, district: District) -> Seeded:
    return Seeded()  # the emergency state and the retention rules are the city's, not a district's


END = "/api/v1/emergency/end"
BAD_INPUTS = (
    BadInput("an impossible end date", "post", END, 422, "request.invalid",
             json={"ended_on": "2026-02-30"}, role="city_admin"),
    BadInput("an end date that is not a date", "post", END, 422, "request.invalid",
             json={"ended_on": "soon"}, role="city_admin"),
    BadInput("an end date in the future", "post", END, 422, "emergency.end_in_future",
             json={"ended_on": "9999-12-31"}, role="city_admin"),
    BadInput("an end date whose countdown is long over", "post", END, 422,
             "emergency.end_too_long_ago", json={"ended_on": "0001-01-01"}, role="city_admin"),
    BadInput("undoing an end never declared", "delete", END, 409, "emergency.not_ended",
             role="city_admin"),
    BadInput("ending the emergency as a district officer", "post", END, 403, "auth.forbidden",
             json={"ended_on": "2026-01-01"}),
)  # fmt: skip


register(
    Domain(
        name="retention",
        prefixes=("/api/v1/emergency",),
        seed=seed,
        bad_inputs=BAD_INPUTS,
    )
)
