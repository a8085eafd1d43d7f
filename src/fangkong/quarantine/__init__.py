"""Quarantine (隔离管控): isolation sites and rooms (``sites``), and each person's periods
under control (``placements``): centralized isolation, home isolation and home health
monitoring, test days, daily check-ins, release with its certificate, transfer when positive.

Importing the package registers its event handlers (``fangkong.core.events``) and its part of
the person timeline (``fangkong.people.timeline``).
"""

import fangkong.quarantine.handlers
import fangkong.quarantine.placements.timeline  # noqa: F401
