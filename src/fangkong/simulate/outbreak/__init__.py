"""A pure, seeded, agent-based outbreak model on numpy arrays (docs/outbreak-model.md).

No database and no other fangkong domain: the driver fills a ``Population`` from the platform,
passes the platform's measures as ``Controls`` each day, and feeds the ``Day`` outputs back in.
"""

from fangkong.simulate.outbreak.controls import Controls
from fangkong.simulate.outbreak.errors import OutbreakError
from fangkong.simulate.outbreak.model import Outbreak, simulate
from fangkong.simulate.outbreak.outputs import CHANNELS, SETTINGS, Day
from fangkong.simulate.outbreak.parameters import KINDS, Parameters
from fangkong.simulate.outbreak.population import Population, synthetic
from fangkong.simulate.outbreak.truth import TruthWriter

__all__ = [
    "CHANNELS", "KINDS", "SETTINGS", "Controls", "Day", "Outbreak", "OutbreakError",
    "Parameters", "Population", "TruthWriter", "simulate", "synthetic",
]  # fmt: skip
