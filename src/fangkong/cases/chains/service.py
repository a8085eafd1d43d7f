"""Verbs of the transmission chains: add an infector link (refusing a self link, a duplicate,
an infectee sampled before the infector's trace-back window opened, and a cycle), remove one,
and the chain graph's data. Each change writes a history step on both cases and an audit row.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from fangkong.audit import service as audit
from fangkong.cases.chains import errors, repository
from fangkong.cases.chains.repository import GraphFilter
from fangkong.cases.chains.schemas import Graph, LinkCreate, Row
from fangkong.cases.registry import errors as case_errors
from fangkong.cases.registry import service as cases
from fangkong.core.principal import Principal
from fangkong.healthcode.service import current_edition
from fangkong.models.cases import Case, CaseLink
from fangkong.tracing.window import trace_window

__all__ = ["GraphFilter"]
SNAPSHOT = ("infector_id", "infectee_id", "via", "certainty", "note")


def _case(session: Session, actor: Principal, case_id: int) -> Case:
    case = repository.readable_case(session, actor, case_id)
    if case is None:
        raise case_errors.CaseNotFound()
    return case


def _audit(
    session: Session, actor: Principal, action: str, link: CaseLink, region: str,
    *, before: dict[str, object] | None, after: dict[str, object] | None,
) -> None:  # fmt: skip
    audit.record(session, actor=actor, action=action, object_type="case_link",
                 object_id=link.id, region_code=region, before=before, after=after)  # fmt: skip


def _descends(session: Session, start: int, target: int) -> bool:
    """True when ``target`` is reached from ``start`` following infector → infectee links."""
    seen, frontier = {start}, {start}
    while frontier:
        frontier = repository.infectees_of(session, frontier) - seen
        if target in frontier:
            return True
        seen |= frontier
    return False


def _check(session: Session, infector: Case, infectee: Case) -> None:
    if infector.id == infectee.id:
        raise errors.SelfLink()
    if repository.link_between(session, infector.id, infectee.id) is not None:
        raise errors.DuplicateLink()
    opens, _ = trace_window(infector, current_edition(session))
    if infectee.sampled_at < opens:
        raise errors.BeforeWindow()
    if _descends(session, infectee.id, infector.id):
        raise errors.Cycle()


def add_link(session: Session, *, actor: Principal, data: LinkCreate) -> CaseLink:
    infectee = _case(session, actor, data.infectee_id)
    infector = _case(session, actor, data.infector_id)
    _check(session, infector, infectee)
    link = CaseLink(
        infector_id=infector.id, infectee_id=infectee.id, via=data.via.value,
        certainty=data.certainty.value, note=data.note, created_by=actor.id,
    )  # fmt: skip
    session.add(link)
    session.flush()
    for case in (infector, infectee):
        cases.add_event(session, case, "linked", actor, data.note, link_id=link.id,
                        infector_id=infector.id, infectee_id=infectee.id)  # fmt: skip
    session.flush()
    after = {name: getattr(link, name) for name in SNAPSHOT}
    _audit(session, actor, "case_link.add", link, infectee.region_code, before=None, after=after)
    return link


def remove_link(session: Session, *, actor: Principal, link_id: int) -> None:
    link = repository.readable_link(session, actor, link_id)
    if link is None:
        raise errors.LinkNotFound()
    before = {name: getattr(link, name) for name in SNAPSHOT}
    infectee = _case(session, actor, link.infectee_id)
    for case_id in (link.infector_id, link.infectee_id):
        case = session.get(Case, case_id)
        if case is not None:
            cases.add_event(session, case, "linked", actor, removed_link=link.id)
    _audit(
        session, actor, "case_link.remove", link, infectee.region_code, before=before, after=None
    )
    session.delete(link)
    session.flush()


def links_of(session: Session, *, actor: Principal, case_id: int) -> Sequence[CaseLink]:
    _case(session, actor, case_id)
    return repository.links_of(session, case_id)


def graph(session: Session, *, actor: Principal, where: GraphFilter) -> Graph:
    """Nodes and edges of the readable chains; no names or ID numbers."""
    rows = repository.graph_cases(session, actor, where)
    ids = [row[0] for row in rows]
    contacts, exposures = repository.graph_contacts(session, ids)
    clusters = repository.cluster_names(session, {row[4] for row in rows if row[4] is not None})
    links = repository.graph_links(session, ids)
    return Graph.model_construct(c=list[Row](rows), k=contacts, l=links, e=exposures, g=clusters)
