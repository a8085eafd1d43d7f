"""The chain graph's data: readable cases, their links and contacts, compact, no names or ID
numbers, filtered by cluster, region and report date; the page draws it."""

from __future__ import annotations

from datetime import date

from factories import web_login
from fangkong.cases.chains import service
from fangkong.core.principal import SYSTEM
from fangkong.models.cases import CaseLink, Cluster
from outbreak_world import DAOLI, OTHER_GRID, at, make_case, make_contact, make_resident

API = "/api/v1/chains"


def _world(session, settings):
    cluster = Cluster(name="某浴池聚集", region_code=DAOLI)
    session.add(cluster)
    session.flush()
    people = [make_resident(session, settings, name="褚源头") for _ in range(3)]
    a = make_case(session, people[0], kind="confirmed", cluster_id=cluster.id)
    b = make_case(session, people[1], sampled_at=at(4), cluster_id=cluster.id,
                  reported_on=date(2022, 11, 4))  # fmt: skip
    session.add(CaseLink(infector_id=a.id, infectee_id=b.id, via="household", certainty="probable"))
    contact = make_contact(session, people[2], a)
    far = make_case(session, make_resident(session, settings, grid=OTHER_GRID))
    session.commit()
    return cluster, a, b, contact, far


def test_graph_data(app_client, session, settings, staff):
    cluster, a, b, contact, far = _world(session, settings)
    graph = app_client.get(API, headers=staff["epi"])
    assert graph.status_code == 200
    body = graph.json()
    assert set(body) == {"c", "k", "l", "e", "g"}
    assert [row[0] for row in body["c"]] == [a.id, b.id]
    assert body["c"][0] == [a.id, a.case_no, "confirmed", "active", cluster.id]
    assert body["l"] == [[a.id, b.id, "probable"]]
    assert body["k"] == [[contact.id, "close", "confirmed"]] and body["e"] == [[a.id, contact.id]]
    assert body["g"] == [[cluster.id, "某浴池聚集"]]
    assert "褚" not in graph.text
    everything = service.graph(session, actor=SYSTEM, where=service.GraphFilter())
    assert far.id in [row[0] for row in everything.c]
    since = app_client.get(API, params={"since": "2022-11-04"}, headers=staff["epi"]).json()
    assert [row[0] for row in since["c"]] == [b.id] and since["l"] == []
    nangang = app_client.get(API, params={"cluster_id": cluster.id}, headers=staff["nangang"])
    assert nangang.json()["c"] == []


def test_graph_page(app_client, session, settings, users):
    cluster, *_ = _world(session, settings)
    web_login(app_client, users["epi"].username)
    page = app_client.get("/chains", params={"cluster_id": cluster.id})
    assert (
        page.status_code == 200
        and "chain-graph" in page.text
        and "/static/js/chains.js" in page.text
    )
    data = app_client.get("/chains/data", params={"cluster_id": cluster.id})
    assert len(data.json()["c"]) == 2
