"""This part's routes under the generic cross-jurisdiction probe (``tests/harness``): each is
owned, each path parameter has an id kind, and an officer of one district neither reads nor
counts the other district's antigen reports (404 with its ids)."""

from __future__ import annotations

import pytest

from factories import auth_headers, make_user
from harness import probe
from harness.probe import OTHER, OWN
from harness.registry import owner
from harness.test_jurisdiction_probe import Probe, _answer, _check_read
from testing.citizen.harness_part import PART


@pytest.fixture
def document(app_client):
    return app_client.get("/openapi.json").json()


def mine(document):
    return [op for op in probe.operations(document) if owner([PART], op.path) is PART]


def test_every_route_is_owned_with_id_kinds(document):
    operations = mine(document)
    assert len(operations) == 8
    for operation in operations:
        if operation.key not in PART.unscoped:
            assert set(operation.parameters("path")) <= set(PART.id_names), operation.key


def test_an_officer_reads_nothing_of_another_district(
    app_client, session, settings, document, world
):
    officer = make_user(session, role="district_officer", region_code=OWN.code)
    session.commit()
    run = Probe(app_client, auth_headers(settings, officer), document, [PART])
    own = PART.seed(session, settings, OWN).ids
    session.commit()
    reads = [op for op in mine(document) if op.method == "get" and op.key not in PART.unscoped]
    before = {op.key: _answer(run.get(op, own)) for op in reads}
    seeded = PART.seed(session, settings, OTHER)
    session.commit()
    for operation in reads:
        _check_read(run, operation, own, seeded.ids, seeded.markers, before[operation.key])
    assert run.failures == []


def test_bad_inputs(app_client, staff):
    for bad in PART.bad_inputs:
        response = app_client.request(
            bad.method, bad.path, params=bad.params, headers=staff["officer"]
        )
        assert (response.status_code, response.json()["code"]) == (bad.status, bad.code), bad.name
