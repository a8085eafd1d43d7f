"""Arrivals and risk zones (抵返报备、风险区): the national risk-area list (``riskareas``),
local sealed, controlled and precaution zones (``zones``), arrival reports from three channels
merged into trips and classified (``intake``), and the screening deadlines, escalation and
daily figures (``screening``). ``places`` resolves places of origin by GB/T 2260 code.

Importing the package registers its event handlers (``fangkong.core.events``) and its part of
the person timeline (``fangkong.people.timeline``).
"""

import fangkong.arrivals.handlers
import fangkong.arrivals.intake.timeline  # noqa: F401
