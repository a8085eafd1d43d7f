"""Testing's part of a person's timeline: the tubes the person was sampled into (with the
result once resulted), antigen self-reports and retest tasks."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from sqlalchemy.orm import Session

from fangkong.auth.permissions import Perm
from fangkong.core.errors import N_
from fangkong.core.principal import Principal
from fangkong.models.testing import AntigenReport
from fangkong.people.timeline import Entry, Msg, source
from fangkong.testing.citizen import service
from fangkong.testing.citizen.schemas import MyResultOut
from fangkong.testing.sampling.labels import KIND_LABELS, PURPOSE_LABELS

RESULTS = {"negative": N_("negative"), "positive": N_("positive")}
TONES = {"negative": "ok", "positive": "alert"}
TASKS = {
    "pool_retest": N_("Asked for a single-tube retest of a positive pool"),
    "antigen_confirm": N_("Asked for a test to confirm a positive antigen"),
}
DOMAIN = "testing"
_KINDS: dict[str, str] = {str(kind): label for kind, label in KIND_LABELS.items()}
_PURPOSES: dict[str, str] = {str(kind): label for kind, label in PURPOSE_LABELS.items()}


@source
def testing_entries(session: Session, actor: Principal, person_id: int) -> Iterable[Entry]:
    if not actor.can(Perm.TESTING_READ):
        return []
    mine = service.my_testing(session, person_id)
    return [
        *_tubes(mine.results),
        *_antigens(service.my_reports(session, person_id)),
        *(
            Entry(task.created_at, DOMAIN, TASKS.get(task.kind, task.kind), tone="warn")
            for task in mine.open_tasks
        ),
    ]


def _tubes(results: Iterable[MyResultOut]) -> Iterator[Entry]:
    for tube in results:
        params = {
            "kind": Msg(_KINDS.get(tube.kind, tube.kind)),
            "purpose": Msg(_PURPOSES.get(tube.purpose, tube.purpose)),
        }
        if tube.result is None:
            text = N_("Sampled (%(kind)s tube, %(purpose)s), waiting for the result")
            yield Entry(tube.sampled_at, DOMAIN, text, params)
            continue
        text = N_("Sampled (%(kind)s tube, %(purpose)s): %(result)s")
        params["result"] = Msg(RESULTS.get(tube.result, tube.result))
        yield Entry(tube.sampled_at, DOMAIN, text, params, tone=TONES.get(tube.result, ""))


def _antigens(reports: Iterable[AntigenReport]) -> Iterator[Entry]:
    for report in reports:
        params = {"result": Msg(RESULTS.get(report.result, report.result))}
        text = N_("Antigen self-test: %(result)s")
        yield Entry(report.tested_at, DOMAIN, text, params, tone=TONES.get(report.result, ""))
