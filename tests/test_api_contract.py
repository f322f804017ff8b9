"""The shared contract through the real app: the error envelope for malformed and oversize
requests, redacted logs of unexpected failures, the URL-equals-scope guard on every per-org
route, the OpenAPI document, and activity tracking."""

from __future__ import annotations

import io
import json
import logging
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from litestar.routes import HTTPRoute

from app.api.main import create_app, operations
from app.api.scope import provide_db, provide_org_db
from app.logs import json_handler
from tests.api_client import Api, mint
from tests.api_world import clinic, error_code

ORG_PREFIX = "/v1/orgs/{org_id:uuid}"


def test_malformed_json_is_400(api: Api) -> None:
    a = clinic(api, "clinic-a", roles=("owner",))
    for raw in (b'{"name": ', b"not json", b'{"name": "x"} trailing', b"\xff\xfe"):
        response = api.patch(
            a.url(), as_=a.owner, content=raw, headers={"Content-Type": "application/json"}
        )
        assert response.status_code == 400, (raw, response.text)
        assert error_code(response) == "malformed_json"
    assert api.get(a.url(), as_=a.owner).json()["name"] == "Clinic A"


def test_validation_errors_name_the_field(api: Api) -> None:
    a = clinic(api, "clinic-a", roles=("owner",))
    response = api.post(a.url("/roles"), as_=a.owner, json={"code": "ok_code", "name": 42})
    assert response.status_code == 400
    assert error_code(response) == "validation_failed"
    fields = response.json()["error"]["details"]["fields"]
    assert any("name" in f["field"] and f["source"] == "body" for f in fields), fields
    unknown = api.post(
        a.url("/roles"), as_=a.owner, json={"code": "ok_code", "name": "X", "colour": "red"}
    )
    assert unknown.status_code == 400
    assert "colour" in json.dumps(unknown.json()["error"]["details"])
    query = api.get(a.url("/members"), as_=a.owner, params={"limit": "many"})
    assert query.status_code == 400
    assert any(f["source"] == "query" for f in query.json()["error"]["details"]["fields"])


def test_wrong_shapes_and_oversize_strings(api: Api) -> None:
    a = clinic(api, "clinic-a", roles=("owner",))
    for body in (
        None,
        [],
        "a string",
        42,
        {"name": None, "status": None, "extra": 1},
        {"name": ["Clinic"]},
        {"name": {"en": "Clinic"}},
        {"name": "x" * 201},
        {"name": "x" * 100_000},
    ):
        response = api.patch(a.url(), as_=a.owner, json=body)
        assert response.status_code == 400, (body, response.text[:200])
        assert error_code(response) in {"validation_failed", "malformed_json"}
    long_query = api.get(a.url("/members"), as_=a.owner, params={"q": "x" * 5000})
    assert long_query.status_code == 400
    # PostgreSQL text cannot hold NUL: refused as a bad value, not a server fault.
    nul = api.patch(a.url(), as_=a.owner, json={"name": "Clinic\u0000A"})
    assert nul.status_code == 422
    assert error_code(nul) == "invalid_value"
    nul_query = api.get(a.url("/members"), as_=a.owner, params={"q": "a\u0000"})
    assert nul_query.status_code == 422


def test_a_body_over_one_megabyte_is_413(api: Api) -> None:
    a = clinic(api, "clinic-a", roles=("owner",))
    blob = json.dumps({"name": "x" * (1024 * 1024 + 10)}).encode()
    response = api.patch(
        a.url(), as_=a.owner, content=blob, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413
    assert error_code(response) == "payload_too_large"


def test_unknown_routes_and_methods_use_the_envelope(api: Api) -> None:
    api.human("ana@clinic.test")
    missing = api.get("/v1/nothing-here", as_="ana@clinic.test")
    assert missing.status_code == 404
    assert error_code(missing) == "not_found"
    wrong_method = api.delete("/v1/me", as_="ana@clinic.test")
    assert wrong_method.status_code == 405
    assert error_code(wrong_method) == "method_not_allowed"


@pytest.fixture
def log_lines() -> Iterator[io.StringIO]:
    """What the production handler (redacting filter + JSON formatter) writes."""
    stream = io.StringIO()
    handler = json_handler(stream)
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    try:
        yield stream
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


def test_an_unexpected_failure_is_a_generic_500_and_a_redacted_log_line(
    api: Api, log_lines: io.StringIO
) -> None:
    a = clinic(api, "clinic-a", roles=("owner",))
    # A server fault whose text carries personal data: the acting human's email and the
    # bearer token the client sent (here as its user agent).
    api.sql(
        """
        CREATE OR REPLACE FUNCTION tenancy.update_organization(
            p_name text, p_status text DEFAULT NULL
        )
        RETURNS void LANGUAGE plpgsql SET search_path = '' AS $$
        BEGIN
            RAISE EXCEPTION 'rename failed for % via %',
                (SELECT h.email FROM iam.humans AS h
                 WHERE h.principal_id = iam.current_principal_id()),
                pg_catalog.current_setting('app.user_agent')
                USING ERRCODE = 'XX000';
        END $$
        """
    )
    token = mint(a.owner)
    response = api.patch(
        a.url(),
        json={"name": "New"},
        headers={
            "Authorization": f"Bearer {token}",
            "User-Agent": f"Bearer {token}",
            "X-Request-Id": "boom-1",
        },
    )
    assert response.status_code == 500
    assert response.json() == {
        "error": {
            "code": "internal_error",
            "message": "Something went wrong on our side.",
            "details": None,
            "request_id": "boom-1",
        }
    }
    lines = [json.loads(line) for line in log_lines.getvalue().splitlines()]
    failures = [line for line in lines if line["level"] == "ERROR"]
    assert len(failures) == 1, lines
    failure = failures[0]
    assert failure["request_id"] == "boom-1"
    assert "rename failed" in failure["exc"]
    assert "[REDACTED:email]" in failure["exc"]
    written = log_lines.getvalue()
    assert a.owner not in written
    assert token not in written
    assert token.split(".")[1] not in written


def test_log_lines_written_while_serving_carry_the_request_id(
    api: Api, log_lines: io.StringIO
) -> None:
    response = api.get(
        "/v1/me",
        headers={"Authorization": f"Bearer {mint('new@clinic.test')}", "X-Request-Id": "r-9"},
    )
    assert response.status_code == 200
    lines = [json.loads(line) for line in log_lines.getvalue().splitlines()]
    provisioned = [line for line in lines if "provisioned" in line["message"]]
    assert len(provisioned) == 1
    assert provisioned[0]["request_id"] == "r-9"
    assert "new@clinic.test" not in log_lines.getvalue()


def _handlers():
    app = create_app()
    for route in app.routes:
        if isinstance(route, HTTPRoute):
            for handler in route.route_handlers:
                yield route.path_format, handler


def test_every_per_org_route_resolves_membership_for_the_url_org() -> None:
    """A route under /v1/orgs/{org_id} must take its transaction from provide_org_db, which
    checks the caller's membership in exactly that organization; anything else could read or
    write another clinic's rows with the caller's own scope."""
    checked = 0
    for path, handler in _handlers():
        if handler.http_methods == {"OPTIONS"}:  # Litestar's own preflight answer
            continue
        dependencies = handler.resolve_dependencies()
        provider = dependencies.get("db")
        wants_db = "db" in handler.parsed_fn_signature.parameters
        if path.startswith("/v1/orgs/{org_id}"):
            assert provider is not None and provider.dependency is provide_org_db, path
            assert wants_db, f"{path}: the handler must take `db`, or the check never runs"
            checked += 1
        elif provider is not None:
            assert provider.dependency is provide_db, path
            # An organization named outside /v1/orgs is a platform console target only.
            if "org_id" in handler.parsed_fn_signature.parameters:
                assert path.startswith("/v1/console/"), path
    assert checked >= 18


def test_openapi_is_3_1_and_lists_every_route_with_its_errors(api: Api) -> None:
    response = api.get("/schema/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.1")
    served = {
        (path, method.upper()): operation
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in {"get", "post", "put", "patch", "delete"}
    }
    assert document["components"]["schemas"]["ErrorEnvelope"]
    for method, path in operations(create_app()):
        openapi_path = path.replace(":uuid", "").replace(":str", "")
        operation = served.get((openapi_path, method))
        assert operation is not None, (openapi_path, method)
        responses = operation["responses"]
        if openapi_path in ("/healthz", "/readyz"):
            continue
        required = ("401", "403", "500") if "security" not in operation else ("500",)
        for status in required:
            assert status in responses, (openapi_path, method, status)
        for status, response in responses.items():
            if int(status) >= 400:
                assert "ErrorEnvelope" in json.dumps(response), (openapi_path, method, status)
    assert "503" in served[("/readyz", "GET")]["responses"]
    assert "429" in served[("/v1/public/resolve", "GET")]["responses"]
    assert "429" in served[("/v1/invitations/accept", "POST")]["responses"]
    # Anonymous routes say so; the rest inherit the document's bearer requirement.
    assert document["security"] == [{"bearer": []}]
    for path in ("/v1/public/resolve", "/healthz", "/readyz"):
        assert served[(path, "GET")]["security"] == [{}], path
    assert "security" not in served[("/v1/me", "GET")]


def test_docs_api_md_lists_every_route() -> None:
    text = (Path(__file__).resolve().parents[1] / "docs" / "api.md").read_text()
    missing = [
        f"{method} {path}"
        for method, path in operations(create_app())
        if f"| `{method}` | `{path.replace(':uuid', '').replace(':str', '')}` |" not in text
    ]
    assert not missing, f"add these routes to docs/api.md: {missing}"


def test_activity_is_written_once_per_window(api: Api) -> None:
    a = clinic(api, "clinic-a", roles=("owner",))
    pid = a.principals["owner"]
    assert (
        api.value("SELECT last_activity_at FROM iam.humans WHERE principal_id = %s", (pid,)) is None
    )

    def stamps() -> tuple:
        return api.sql(
            "SELECT h.last_activity_at, m.last_used_at FROM iam.humans AS h "
            "JOIN tenancy.organization_memberships AS m ON m.principal_id = h.principal_id "
            "WHERE h.principal_id = %s",
            (pid,),
        )[0]

    assert api.get(a.url("/members"), as_=a.owner).status_code == 200
    first = stamps()
    assert None not in first
    for _ in range(3):
        api.get(a.url("/members"), as_=a.owner)
        api.get("/v1/me", as_=a.owner)
    assert stamps() == first
    # The audit log is not flooded by activity stamps.
    assert (
        api.value(
            "SELECT count(*) FROM audit.audit_log WHERE action = 'update' AND "
            "('last_used_at' = ANY(changed_columns) OR 'last_activity_at' = ANY(changed_columns))"
        )
        == 0
    )
    # The throttle lives in the process: one deadline per principal and per membership.
    tracker = api.client.app.state.resources.activity
    for key in ((pid, None), (pid, a.id)):
        assert 290 <= tracker.due_at[key] - time.monotonic() <= 300
    # Once the window has passed, the next request writes again.
    tracker.due_at.clear()
    api.get(a.url("/members"), as_=a.owner)
    second = stamps()
    assert second[0] > first[0] and second[1] > first[1]
