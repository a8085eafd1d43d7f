"""Nucleic-acid testing (核酸检测): sampling sites and tubes (``sampling``), labs and results
(``results``), screening rounds and key-group schedules (``campaigns``), antigen self-reports,
a citizen's own results and the pool-size planner (``citizen``).

Importing the package registers its event handlers (``fangkong.core.events``) and its part of
the person timeline (``fangkong.people.timeline``).
"""

import fangkong.testing.citizen.timeline
import fangkong.testing.handlers  # noqa: F401
