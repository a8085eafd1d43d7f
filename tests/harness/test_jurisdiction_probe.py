"""The cross-jurisdiction probe: every operation of ``/openapi.json``, as the officer of one
district, against records every domain's factory made in two districts.

- every GET answers the same before and after the other district got its records (nothing of
  it read or counted), and shows none of its markers; with the other district's ids in its
  path it answers 404; with them in its query it shows none of its markers;
- every POST/PUT/PATCH/DELETE with the other district's ids in its path and body changes no
  row (log tables aside) and shows none of its markers;
- an operation no registered domain owns, or a parameter no domain names an id kind for,
  fails the test, naming the route: a new route cannot be forgotten.
"""

from __future__ import annotations

from typing import Any

import pytest

from factories import auth_headers, make_user
from harness import probe
from harness.probe import OTHER, OWN, Operation, Unplaceable
from harness.registry import Domain, load, merged, owner


@pytest.fixture
def domains() -> list[Domain]:
    return load()


@pytest.fixture
def document(app_client) -> dict[str, Any]:
    return app_client.get("/openapi.json").json()


def test_every_operation_is_owned_and_its_parameters_have_id_kinds(document, domains):
    id_names, unscoped = merged(domains, "id_names"), merged(domains, "unscoped")
    kinds = set(id_names.values())
    problems = []
    for operation in probe.operations(document):
        if owner(domains, operation.path) is None:
            problems.append(f"{operation.key}: no domain in tests/*/harness.py owns this path")
        elif operation.key not in unscoped:
            for name in operation.parameters("path"):
                if name not in id_names:
                    problems.append(f"{operation.key}: no id kind for path parameter {name!r}")
    assert not problems, "\n".join(problems)
    assert {"region", "person", "household", "user"} <= kinds


class Probe:
    def __init__(self, client, headers, document, domains) -> None:
        self.client, self.headers, self.document = client, headers, document
        self.id_names = merged(domains, "id_names")
        self.unscoped = merged(domains, "unscoped")
        self.volatile = merged(domains, "volatile")
        self.requests = merged(domains, "requests")
        self.failures: list[str] = []
        self.refusals: dict[int, int] = {}

    def scoped(self, method: str) -> list[Operation]:
        return [
            op
            for op in probe.operations(self.document)
            if op.key not in self.unscoped and (op.method == "get") == (method == "get")
        ]

    def get(self, operation: Operation, ids, params=None):
        path = probe.filled_path(operation, ids, self.id_names)
        return self.client.get(path, params=params, headers=self.headers)

    def fail(self, operation: Operation, what: str) -> None:
        self.failures.append(f"{operation.key}: {what}")


def _answer(response) -> Any:
    if "json" in response.headers.get("content-type", ""):
        return response.status_code, response.json()
    return response.status_code, None  # files: compared by what they show


def test_an_officer_reads_counts_and_changes_nothing_of_another_district(
    app_client, session, settings, document, domains
):
    officer = make_user(session, role="district_officer", region_code=OWN.code)
    session.commit()
    run = Probe(app_client, auth_headers(settings, officer), document, domains)
    own, _ = probe.seed(session, settings, domains, OWN)
    reads = run.scoped("get")
    before = {op.key: _answer(run.get(op, own)) for op in reads}
    other, markers = probe.seed(session, settings, domains, OTHER)
    for operation in reads:
        _check_read(run, operation, own, other, markers, before[operation.key])
    for operation in run.scoped("post"):
        _check_change(run, session, operation, other, markers, domains)
    assert not run.failures, "\n".join(run.failures)
    assert run.refusals, "no change was even attempted"


def _check_read(run: Probe, operation, own, other, markers, before) -> None:
    response = run.get(operation, own)
    if response.status_code >= 500:
        run.fail(operation, f"answered {response.status_code}")
    if leaked := probe.leaked(response, markers):
        run.fail(operation, f"shows the other district's {leaked}")
    elif operation.key not in run.volatile and _answer(response) != before:
        run.fail(operation, "answers differently once the other district has records")
    if operation.parameters("path"):
        status = run.get(operation, other).status_code
        if status != 404:
            run.fail(operation, f"with the other district's ids answered {status}, not 404")
    query = probe.id_query(operation, other, run.id_names)
    if query:
        response = run.get(operation, own, params=query)
        if leaked := probe.leaked(response, markers):
            run.fail(operation, f"with {sorted(query)} of the other district shows {leaked}")


def _check_change(run: Probe, session, operation, other, markers, domains) -> None:
    try:
        path = probe.filled_path(operation, other, run.id_names)
    except Unplaceable as error:
        run.failures.append(str(error))
        return
    builder = run.requests.get(operation.key)
    if builder is not None:
        kwargs = builder(other)
    else:
        body = probe.json_body(run.document, operation, other, run.id_names)
        kwargs = {"json": body} if body is not None else {}
    before = probe.checksums(session)
    response = run.client.request(operation.method, path, headers=run.headers, **kwargs)
    changed = probe.changed_tables(before, probe.checksums(session))
    run.refusals[response.status_code] = run.refusals.get(response.status_code, 0) + 1
    if response.status_code >= 500:
        run.fail(operation, f"answered {response.status_code}")
    if changed:
        run.fail(operation, f"answered {response.status_code} and changed {changed}")
    if leaked := probe.leaked(response, markers):
        run.fail(operation, f"shows the other district's {leaked}")
