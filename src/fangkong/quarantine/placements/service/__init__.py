"""Verbs of placements; callers use them as ``service.<verb>``. The modules: ``placing`` (from
contacts, arrivals and by hand; cancel; transfer), ``rooms`` (one room, or in bulk),
``release`` (the queue, the certificate, the follow-on), ``daily`` (test days, check-ins),
``queries`` (lists, detail, certificate) and ``common`` (audit, schedule, events, counts).
Services flush and never commit; every change writes an audit row."""

from fangkong.quarantine.placements.repository import PlacementFilter
from fangkong.quarantine.placements.service.common import (
    get_placement,
    person_merged,
    recount,
    recount_all,
)
from fangkong.quarantine.placements.service.daily import (
    check_in,
    fever_from,
    mark_missed,
    self_check_in,
    test_negative,
    tests_sampled,
    tests_sampled_many,
)
from fangkong.quarantine.placements.service.placing import (
    ContactTerms,
    cancel_contact,
    place,
    place_contact,
    place_contacts,
    place_trip,
    place_trips,
    transfer_person,
)
from fangkong.quarantine.placements.service.queries import (
    Certificate,
    active_of_person,
    certificate,
    count_for_export,
    detail,
    export_rows,
    list_placements,
    outs,
    placements_of_person,
    release_queue,
)
from fangkong.quarantine.placements.service.release import release, release_due
from fangkong.quarantine.placements.service.rooms import (
    FreeRoom,
    assign_bulk,
    assign_room,
    free_rooms,
)
from fangkong.quarantine.placements.service.roster import (
    people_due_for_test,
    people_placed,
    placement_spans,
)

__all__ = [
    "Certificate",
    "ContactTerms",
    "FreeRoom",
    "PlacementFilter",
    "active_of_person",
    "assign_bulk",
    "assign_room",
    "cancel_contact",
    "certificate",
    "check_in",
    "count_for_export",
    "detail",
    "export_rows",
    "fever_from",
    "free_rooms",
    "get_placement",
    "list_placements",
    "mark_missed",
    "outs",
    "people_due_for_test",
    "people_placed",
    "person_merged",
    "place",
    "place_contact",
    "place_contacts",
    "place_trip",
    "place_trips",
    "placement_spans",
    "placements_of_person",
    "recount",
    "recount_all",
    "release",
    "release_due",
    "release_queue",
    "self_check_in",
    "test_negative",
    "tests_sampled",
    "tests_sampled_many",
    "transfer_person",
]
