"""Errors of exports, each with a stable code (problem+json, CLI exit 2, page alert)."""

from __future__ import annotations

from fangkong.core.errors import N_, Conflict, InvalidInput, NotFound, PermissionDenied


class ExportNotFound(NotFound):
    code = "export.not_found"
    title = N_("The export does not exist or is not yours.")


class UnknownKind(InvalidInput):
    code = "export.unknown_kind"
    title = N_("This list cannot be exported.")


class UnknownFormat(InvalidInput):
    code = "export.unknown_format"
    title = N_("Export as xlsx or csv.")


class ListNotAllowed(PermissionDenied):
    code = "export.list_not_allowed"
    title = N_("Your role may not read this list, so it may not export it.")


class RegionOutOfScope(PermissionDenied):
    code = "export.region_out_of_jurisdiction"
    title = N_("The region is outside your jurisdiction.")


class NotReady(Conflict):
    code = "export.not_ready"
    title = N_("The export's file is not ready for download.")


class NotAwaitingApproval(Conflict):
    code = "export.not_awaiting_approval"
    title = N_("The export is not waiting for an approval.")


class SelfApproval(PermissionDenied):
    code = "export.self_approval"
    title = N_("You cannot approve or deny your own export.")


class NotSuperior(PermissionDenied):
    code = "export.not_superior"
    title = N_("Only a superior whose jurisdiction covers the requester's may decide.")
