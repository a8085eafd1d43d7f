"""Exports in the generic harness (``tests/harness``): per district a grid worker's export
of the people list awaiting the district's approval, with a marker in its filters; the id
kind of the routes, the request the probe cannot build, and the bad inputs."""

from __future__ import annotations

from typing import Any

from factories import make_user
from fangkong.auth.service import principal_of
from fangkong.exports import service
from fangkong.exports.schemas import ExportCreate, ExportParams
from fangkong.models.exports import ExportStatus
from harness.registry import BadInput, District, Domain, Ids, Seeded, register

EXPORTS = "/api/v1/exports"


def seed(session, settings, district: District) -> Seeded:
    worker = make_user(session, role="grid_worker", region_code=district.grid)
    marker = f"{district.tag}导出"
    data = ExportCreate(kind="people", format="csv", params=ExportParams(q=marker))
    export = service.request_export(session, settings, actor=principal_of(worker), data=data)
    export.status = ExportStatus.AWAITING_APPROVAL  # whatever the estimate, it waits
    session.flush()
    return Seeded(ids={"export": str(export.id)}, markers=(marker,))


def _export_in(ids: Ids) -> dict[str, Any]:
    return {"json": {"kind": "people", "format": "csv", "params": {"region": ids["region"]}}}


BAD_INPUTS = (
    BadInput("a list that cannot be exported", "post", EXPORTS, 422, "export.unknown_kind",
             json={"kind": "passwords", "format": "csv"}),
    BadInput("a format that does not exist", "post", EXPORTS, 422, "export.unknown_format",
             json={"kind": "people", "format": "pdf"}),
    BadInput("a region outside the jurisdiction", "post", EXPORTS, 403,
             "export.region_out_of_jurisdiction",
             json={"kind": "people", "format": "csv", "params": {"region": "230103"}}),
    BadInput("a download of someone else's export", "get", EXPORTS + "/{export}/file", 404,
             "export.not_found"),
    BadInput("a decision note too long", "post", EXPORTS + "/{export}/deny", 422,
             "request.invalid", json={"note": "长" * 501}),
)  # fmt: skip


register(
    Domain(
        name="exports",
        prefixes=(EXPORTS,),
        seed=seed,
        order=95,
        id_names={"export_id": "export"},
        requests={"POST /api/v1/exports": _export_in},
        bad_inputs=BAD_INPUTS,
    )
)
