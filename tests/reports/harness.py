"""The reports in the generic harness (``tests/harness``): they own no records (the figures
are the other domains'), so the seed makes nothing; ``region`` is a region id, and the bad
inputs of issue 10 (a date that is not one, a date outside the calendar the platform keeps,
half a window, a window ending before it starts)."""

from __future__ import annotations

from harness.registry import BadInput, District, Domain, Seeded, register

REPORTS = "/api/v1/reports"
BULLETIN = f"{REPORTS}/bulletin"


def seed(session, settings, district: District) -> Seeded:
    return Seeded()


BAD_INPUTS = (
    BadInput("a bulletin of a date that is not one", "get", BULLETIN, 422, "request.invalid",
             params={"date": "2022-13-01"}),
    BadInput("a bulletin of a date before the platform's calendar", "get", BULLETIN, 422,
             "report.bad_window", params={"date": "1900-01-01"}),
    BadInput("a bulletin with half a window", "get", BULLETIN, 422, "report.bad_window",
             params={"start": "2022-11-03T00:00:00+08:00"}),
    BadInput("a bulletin whose window ends before it starts", "get", BULLETIN, 422,
             "report.bad_window",
             params={"start": "2022-11-04T00:00:00+08:00", "end": "2022-11-03T00:00:00+08:00"}),
)  # fmt: skip


DOMAIN = register(
    Domain(
        name="reports",
        prefixes=(REPORTS,),
        seed=seed,
        order=95,
        id_names={"region": "region"},
        bad_inputs=BAD_INPUTS,
    )
)
