"""The driver as the expert group (专家组): at the end of each day every pending case is
classified as the group would from the clinical picture: confirmed (确诊) when the person has
had symptoms by then, else asymptomatic (无症状感染者), with the onset date when there is one;
then every open asymptomatic case whose person has had symptoms since is converted to
confirmed (无症状转确诊), with the onset date, which the bulletin counts apart.
The clinical picture is the model's truth, so the bulletin and the dashboard count the run's
cases as the command office would have seen them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from sqlalchemy.orm import Session

from fangkong.cases.registry import service as cases
from fangkong.cases.registry.schemas import ClassifyIn, ConvertIn, Kind
from fangkong.core.pagination import MAX_LIMIT, PageParams
from fangkong.core.principal import Principal
from fangkong.simulate.driver.caselist import every_case

NOTE = "expert group (simulated)"


def classify_pending(
    session: Session, *, actor: Principal, onset_of: Callable[[int], date | None]
) -> int:
    """Classify every pending case in the actor's jurisdiction; ``onset_of(person_id)`` is the
    person's symptom onset so far (None: no symptoms yet). Returns how many."""
    where = cases.CaseFilter(status="pending")
    classified = 0
    while True:
        rows, _ = cases.list_cases(session, actor=actor, page=PageParams(limit=MAX_LIMIT),
                                   where=where)  # fmt: skip
        if not rows:
            return classified
        for row in rows:
            onset = onset_of(row.person_id)
            kind = Kind.CONFIRMED if onset is not None else Kind.ASYMPTOMATIC
            data = ClassifyIn(kind=kind, onset_on=onset, note=NOTE)
            cases.classify(session, actor=actor, case_id=row.id, data=data)
        classified += len(rows)


def convert_onsets(
    session: Session, *, actor: Principal, onset_of: Callable[[int], date | None]
) -> int:
    """Convert every active asymptomatic case in the actor's jurisdiction whose person has had
    symptoms by now (``onset_of`` as above). Returns how many."""
    converted = 0
    where = cases.CaseFilter(kind="asymptomatic", status="active")
    for row in every_case(session, actor=actor, where=where):
        onset = onset_of(row.person_id)
        if onset is not None:
            data = ConvertIn(onset_on=onset, note=NOTE)
            cases.convert(session, actor=actor, case_id=row.id, data=data)
            converted += 1
    return converted
