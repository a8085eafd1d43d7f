"""The synthetic city as a stream of rows, drawn from one ``random.Random(seed)``.

``generate`` reads no database and writes none: it takes a ``CitySpec`` (what the database
already holds: districts, next free ids) and yields the region tree, then batches of
households, people and key-group memberships, then the grid workers, then the ``Summary``.
The draws happen in a fixed order (tree, then households grid by grid, then workers), so the
same spec gives the same city wherever the stream is consumed. Personal data is sealed with
the platform's ``Protector``, as a registration through the API would seal it.

The package is split by stage: ``constants`` (sizes and shares, with their sources),
``messages`` (the spec and what is yielded), ``plan`` (the region tree), ``people`` (drawing
persons), ``households`` (rows and flags), ``workers`` (grid workers) and ``stream``
(``generate`` and the child-process side ``produce``).
"""

from fangkong.simulate.generate.constants import (
    HOUSEHOLD_COLUMNS,
    MAX_PEOPLE,
    MEMBERSHIP_COLUMNS,
    PERSON_COLUMNS,
)
from fangkong.simulate.generate.messages import (
    Batch,
    CityError,
    CitySpec,
    District,
    Failure,
    Message,
    Regions,
    Summary,
    Workers,
)
from fangkong.simulate.generate.stream import generate, produce

__all__ = [
    "HOUSEHOLD_COLUMNS",
    "MAX_PEOPLE",
    "MEMBERSHIP_COLUMNS",
    "PERSON_COLUMNS",
    "Batch",
    "CityError",
    "CitySpec",
    "District",
    "Failure",
    "Message",
    "Regions",
    "Summary",
    "Workers",
    "generate",
    "produce",
]
