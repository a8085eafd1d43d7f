"""Cases (阳性感染者): positives from detection to outcome (``registry``: cases, their
classification and conversion, closed-loop transfer, outcomes, clusters, line-list entry and
the counts the daily bulletin needs), and the transmission chains (``chains``: infector
links between cases and the chain graph).

Importing the package registers its event handlers (``fangkong.core.events``) and its part of
the person timeline (``fangkong.people.timeline``).
"""

import fangkong.cases.handlers
import fangkong.cases.registry.timeline  # noqa: F401
