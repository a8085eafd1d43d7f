"""Verbs of sampling: sites and their queue, tubes and their members; callers use them as
``service.<verb>``. Services flush and never commit; every change writes an audit row."""

from fangkong.testing.sampling.repository import SiteFilter, TubeFilter
from fangkong.testing.sampling.service.alone import single_tube_reason, single_tube_reasons
from fangkong.testing.sampling.service.households import sample_households
from fangkong.testing.sampling.service.members import (
    add_member,
    find_person,
    remove_member,
    scanned,
    seal_tube,
)
from fangkong.testing.sampling.service.pools import sample_pools
from fangkong.testing.sampling.service.singles import sample_singles
from fangkong.testing.sampling.service.sites import (
    create_site,
    deactivate_site,
    district_names,
    get_site,
    list_sites,
    open_at,
    queue_board,
    queue_view,
    update_queue,
    update_site,
    wait_minutes,
)
from fangkong.testing.sampling.service.tubes import (
    allowed_sizes,
    day_range,
    get_tube,
    list_tubes,
    members,
    open_campaigns,
    open_tube,
    tube_by_barcode,
)

__all__ = [
    "SiteFilter",
    "TubeFilter",
    "add_member",
    "allowed_sizes",
    "create_site",
    "day_range",
    "deactivate_site",
    "district_names",
    "find_person",
    "get_site",
    "get_tube",
    "list_sites",
    "list_tubes",
    "members",
    "open_at",
    "open_campaigns",
    "open_tube",
    "queue_board",
    "queue_view",
    "remove_member",
    "sample_households",
    "sample_pools",
    "sample_singles",
    "scanned",
    "seal_tube",
    "single_tube_reason",
    "single_tube_reasons",
    "tube_by_barcode",
    "update_queue",
    "update_site",
    "wait_minutes",
]
