"""``/openapi.json`` declares the problem+json answers the API really gives, once for all routes."""

from __future__ import annotations

from factories import auth_headers, make_tree, make_user
from fangkong.core.openapi import declare_problems

PROBLEM = {"$ref": "#/components/schemas/ProblemDetails"}


def _operations(document):
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            yield path, method, operation


def _problem_schema(document, path, method, status):
    response = document["paths"][path][method]["responses"][status]
    assert list(response["content"]) == ["application/problem+json"]
    assert response["content"]["application/problem+json"]["schema"] == PROBLEM
    return document["components"]["schemas"]["ProblemDetails"]


# Reads that may answer 409 of their own, declared by their route: an export's file before it
# is ready (or after it expired). Every other read must not claim a conflict.
READS_WITH_CONFLICT = {("get", "/api/v1/exports/{export_id}/file")}


def test_every_api_operation_declares_its_problem_answers(app_client):
    document = app_client.get("/openapi.json").json()
    api = [(p, m, o) for p, m, o in _operations(document) if p.startswith("/api/")]
    assert len(api) > 40
    for path, method, operation in api:
        declared = set(operation["responses"])
        assert {"401", "403", "422", "429", "500", "503"} <= declared, (method, path)
        assert ("404" in declared) == bool(operation.get("security")), (method, path)
        assert ("413" in declared) == ("requestBody" in operation), (method, path)
        conflict = method != "get" or (method, path) in READS_WITH_CONFLICT
        assert ("409" in declared) == conflict, (method, path)
        for status in declared - {"200", "201", "202", "204"}:
            _problem_schema(document, path, method, status)
    assert "HTTPValidationError" not in document["components"]["schemas"]


def test_pages_and_health_are_left_alone(app_client):
    document = app_client.get("/openapi.json").json()
    assert set(document["paths"]["/healthz"]["get"]["responses"]) == {"200"}
    assert set(document["paths"]["/readyz"]["get"]["responses"]) == {"200", "503"}


def test_sent_problems_match_the_declared_schema(app_client, session, settings):
    document = app_client.get("/openapi.json").json()
    make_tree(session, "230102")
    user = make_user(session, role="grid_worker", region_code="230102001002003")
    session.commit()
    headers = auth_headers(settings, user)
    answers = {
        "401": app_client.get("/api/v1/people"),
        "403": app_client.get("/api/v1/users", headers=headers),
        "404": app_client.get("/api/v1/people/999999", headers=headers),
        "422": app_client.get("/api/v1/people?limit=0", headers=headers),
    }
    for status, response in answers.items():
        assert str(response.status_code) == status, response.text
        assert response.headers["content-type"] == "application/problem+json"
        path = "/api/v1/users" if status == "403" else "/api/v1/people"
        path += "/{person_id}" if status == "404" else ""
        schema = _problem_schema(document, path, "get", status)
        body = response.json()
        assert set(schema["required"]) <= set(body), body
        assert body["status"] == response.status_code
        assert all(isinstance(body[key], str) for key in ("type", "title", "detail", "code"))


def test_a_route_declared_without_the_hook_is_completed():
    document = {
        "paths": {
            "/api/v1/things": {"post": {"requestBody": {}, "responses": {"201": {}}}},
            "/healthz": {"get": {"responses": {"200": {}}}},
        },
        "components": {"schemas": {"HTTPValidationError": {}, "ValidationError": {}}},
    }
    declared = declare_problems(document)
    responses = declared["paths"]["/api/v1/things"]["post"]["responses"]
    problems = ["400", "401", "403", "409", "413", "422", "429", "500", "503"]
    assert sorted(responses) == ["201", *problems]
    assert "Retry-After" in responses["429"]["headers"]
    assert declared["paths"]["/healthz"]["get"]["responses"] == {"200": {}}
    assert set(declared["components"]["schemas"]) == {"ProblemDetails"}
