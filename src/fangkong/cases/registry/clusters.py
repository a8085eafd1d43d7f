"""Verbs of clusters (聚集性疫情): create, rename, list with counts, and put a case in one or
take it out. A cluster lies in a region (by default the actor's) and is seen by whoever's
jurisdiction covers it."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from fangkong.audit import service as audit
from fangkong.cases.registry import errors, repository, service
from fangkong.cases.registry.schemas import ClusterCreate, ClusterOut, ClusterSet, ClusterUpdate
from fangkong.core.pagination import PageParams
from fangkong.core.principal import Principal
from fangkong.models.cases import Case, Cluster


def _audit(session: Session, actor: Principal, action: str, cluster: Cluster,
           before: dict[str, Any] | None) -> None:  # fmt: skip
    after = {"name": cluster.name, "note": cluster.note, "region_code": cluster.region_code}
    audit.record(session, actor=actor, action=action, object_type="cluster",
                 object_id=cluster.id, region_code=cluster.region_code, before=before,
                 after=after)  # fmt: skip


def get_cluster(session: Session, *, actor: Principal, cluster_id: int) -> Cluster:
    cluster = repository.get_cluster(session, actor, cluster_id)
    if cluster is None:
        raise errors.ClusterNotFound()
    return cluster


def create(session: Session, *, actor: Principal, data: ClusterCreate) -> Cluster:
    region = data.region_code or actor.region_code
    if not actor.covers(region):
        raise errors.ClusterNotFound()
    cluster = Cluster(name=data.name, region_code=region, note=data.note, created_by=actor.id)
    session.add(cluster)
    session.flush()
    _audit(session, actor, "cluster.create", cluster, None)
    return cluster


def update(session: Session, *, actor: Principal, cluster_id: int, data: ClusterUpdate) -> Cluster:
    cluster = get_cluster(session, actor=actor, cluster_id=cluster_id)
    before = {"name": cluster.name, "note": cluster.note, "region_code": cluster.region_code}
    cluster.name = data.name or cluster.name
    cluster.note = cluster.note if data.note is None else data.note
    session.flush()
    _audit(session, actor, "cluster.update", cluster, before)
    return cluster


def list_clusters(
    session: Session, *, actor: Principal, page: PageParams
) -> tuple[list[ClusterOut], str | None]:
    rows, cursor = repository.cluster_page(session, actor, page)
    counts = repository.cluster_counts(session, [c.id for c in rows])
    out = []
    for cluster in rows:
        item = ClusterOut.model_validate(cluster)
        found = counts.get(cluster.id, {})
        item.cases = sum(found.values())
        item.confirmed, item.asymptomatic = found.get("confirmed", 0), found.get("asymptomatic", 0)
        out.append(item)
    return out, cursor


def set_cluster(session: Session, *, actor: Principal, case_id: int, data: ClusterSet) -> Case:
    case = service.get_case(session, actor=actor, case_id=case_id)
    if data.cluster_id is not None:
        get_cluster(session, actor=actor, cluster_id=data.cluster_id)
    before = {"cluster_id": case.cluster_id}
    case.cluster_id = data.cluster_id
    service.add_event(session, case, "clustered", actor, cluster_id=data.cluster_id)
    session.flush()
    audit.record(session, actor=actor, action="case.cluster", object_type="case",
                 object_id=case.id, region_code=case.region_code, before=before,
                 after={"cluster_id": case.cluster_id})  # fmt: skip
    return case
