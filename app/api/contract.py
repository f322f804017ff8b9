"""The published contract: what `/schema/openapi.json` says beyond what Litestar derives.

Litestar builds the document from the routes (operation ids, bodies, the statuses each route's
router declares). This module finishes it once, when it is first served, so a frontend can
generate a typed client from it:

- every error response is the one envelope with `error.code` as an enum of the codes that
  status can carry on that route (the machinery's codes, each domain's `errors` map, the codes
  the SQL functions raise and the constraint names that become codes), and `error.details`
  with a schema per kind (validation fields, the 402 `kind` discriminator, constraints...);
- a route lists only the statuses it can answer (no 400 without input, no 409 on reads), and
  405, 413 and 415 where they can happen;
- the headers: `Idempotency-Key` on the POST routes the idempotency middleware honours,
  `Idempotent-Replayed`, `Retry-After` and `X-Request-Id` on the responses;
- schema names without module paths (`Page[Member]` is `MemberPage`).
"""

from __future__ import annotations

import copy
import re
from functools import cache
from pathlib import Path
from typing import Any

from litestar import Request
from litestar.openapi.plugins import JsonRenderPlugin

from app.api.errors import SQL_CODE_STATUS, SQLSTATE_STATUS
from app.api.i18n import message

ROOT = Path(__file__).resolve().parents[2]
WRITES = {"post", "put", "patch", "delete"}
METHODS = {"get", *WRITES}

# The codes the HTTP machinery answers, by status (app/api: errors, auth, scope, ratelimit).
MACHINERY_CODES: dict[int, tuple[str, ...]] = {
    400: ("validation_failed", "malformed_json", "bad_request"),
    401: ("unauthenticated", "invalid_token", "token_expired"),
    403: ("permission_denied", "human_blocked", "identity_conflict", "email_not_verified"),
    404: ("not_found", "organization_not_found"),
    405: ("method_not_allowed",),
    409: ("conflict",),
    413: ("payload_too_large",),
    415: ("unsupported_media_type",),
    422: tuple(sorted({kind for status, kind in SQLSTATE_STATUS.values() if status == 422})),
    429: ("rate_limited",),
    500: ("internal_error",),
    503: ("storage_unavailable",),
}
# Codes only some routes can answer: lists (app/api/lists.py), POST (app/api/idempotency.py).
LIST_CODES = {400: ("invalid_cursor", "invalid_sort")}
IDEMPOTENCY_CODES = {
    400: ("idempotency_key_invalid",),
    409: ("idempotency_in_progress",),
    422: ("idempotency_key_reused",),
    503: ("idempotency_unavailable",),
}
BODY_ONLY = {"malformed_json", "unsupported_media_type"}

DESCRIPTIONS = {
    400: "Malformed JSON or invalid parameters; `details.fields` names each field.",
    401: "Missing, invalid or expired bearer token.",
    402: "The plan lacks the feature or a limit is reached: `details.kind` says which.",
    403: "Blocked human, missing permission, or a feature switched off for the organization.",
    404: "Not found; also for organizations the caller is not a member of.",
    405: "This method is not served on this path.",
    409: "Conflicts with existing data or state (a unique constraint's name is the code).",
    410: "The invitation is used, revoked, expired or unknown.",
    413: "The request body is larger than 1 MiB.",
    415: "The request body is not `application/json`.",
    422: "Breaks a rule of the resource (the constraint or rule name is the code).",
    429: "Too many requests; `Retry-After` says when to retry (seconds).",
    500: "Unexpected failure: a generic message, logged with the request id.",
    503: "A dependency (file storage, the idempotency store) is unavailable; retry later.",
}

_REF = "#/components/schemas/"
_NULL = {"type": "null"}


def _obj(required: list[str], **properties: Any) -> dict[str, Any]:
    return {"type": "object", "required": required, "properties": properties}


_STR = {"type": "string"}
_INT = {"type": "integer"}
DETAIL_SCHEMAS: dict[str, dict[str, Any]] = {
    "FieldError": _obj(
        ["field", "source", "message"],
        field=_STR,
        source={"type": "string", "enum": ["body", "query", "path", "header", "cookie"]},
        message=_STR,
    ),
    "ValidationDetails": _obj(
        ["fields"], fields={"type": "array", "items": {"$ref": _REF + "FieldError"}}
    ),
    "SortDetails": _obj(["allowed"], allowed={"type": "array", "items": _STR}),
    "LimitDetails": _obj(
        ["kind", "limit_code", "limit", "usage", "requested"],
        kind={"type": "string", "const": "limit"},
        limit_code=_STR,
        limit=_INT,
        usage=_INT,
        requested=_INT,
        source={"type": ["string", "null"]},
    ),
    "TierEntitlementDetails": _obj(
        ["kind", "entitlement"],
        kind={"type": "string", "const": "tier_entitlement"},
        entitlement=_STR,
    ),
    "OrgEntitlementDetails": _obj(
        ["kind", "entitlement"],
        kind={"type": "string", "const": "org_entitlement"},
        entitlement=_STR,
    ),
    "ConstraintDetails": _obj(["constraint"], constraint=_STR),
    "FileStatusDetails": _obj(["status"], status=_STR),
    "LegalBasisDetails": _obj(["purpose", "legal_basis"], purpose=_STR, legal_basis=_STR),
    "UploadRejectedDetails": _obj(
        ["file_id", "reason"],
        file_id={"type": "string", "format": "uuid"},
        reason=_STR,
        detected_mime={"type": ["string", "null"]},
        size_bytes={"type": ["integer", "null"]},
    ),
    "BodyLimitDetails": _obj(["max_bytes"], max_bytes=_INT),
    # The domains' own refusals (docs/<domain>.md says when each comes).
    "FieldDetails": _obj(["field"], field=_STR),
    "FieldReasonDetails": _obj(["field", "reason"], field=_STR, reason=_STR),
    "TemplateDetails": {
        "type": "object",
        "properties": {"field": _STR, "item": _STR, "section": _STR},
        "minProperties": 1,
    },
    "ItemErrorsDetails": _obj(
        ["items"],
        items={"type": "array", "items": {"type": "object"}},
        form_template_id={"type": "string", "format": "uuid"},
    ),
    "TransitionDetails": _obj(["from", "to"], **{"from": _STR, "to": _STR}),
    "ConsentRequiredDetails": _obj(
        ["consents"],
        consents={
            "type": "array",
            "items": _obj(
                ["purpose", "document_id", "document_version"],
                purpose=_STR,
                document_id={"type": "string", "format": "uuid"},
                document_version=_INT,
            ),
        },
    ),
    "FormsRequiredDetails": _obj(
        ["forms"],
        forms={
            "type": "array",
            "items": _obj(
                ["form_template_id", "form_template_version_id", "form_id"],
                form_template_id={"type": "string", "format": "uuid"},
                form_template_version_id={"type": "string", "format": "uuid"},
                form_id={"type": ["string", "null"], "format": "uuid"},
            ),
        },
    ),
    "SeriesUnavailableDetails": _obj(
        ["failed"],
        failed={
            "type": "array",
            "items": _obj(["start", "code", "reason"], start=_STR, code=_STR, reason=_STR),
        },
    ),
    "VideoRoomDetails": _obj(["status", "state"], status=_STR, state={"type": ["string", "null"]}),
    "RateLimitDetails": _obj(
        ["bucket", "limit", "window_seconds", "retry_after"],
        bucket=_STR,
        limit=_INT,
        window_seconds={"type": "number"},
        retry_after=_INT,
    ),
}


def _refs(*names: str) -> list[dict[str, str]]:
    return [{"$ref": _REF + name} for name in names]


DETAILS_BY_STATUS: dict[int, dict[str, Any]] = {
    400: {"anyOf": [*_refs("ValidationDetails", "SortDetails"), _NULL]},
    402: {
        "oneOf": _refs("LimitDetails", "TierEntitlementDetails"),
        "discriminator": {
            "propertyName": "kind",
            "mapping": {
                "limit": _REF + "LimitDetails",
                "tier_entitlement": _REF + "TierEntitlementDetails",
            },
        },
    },
    403: {"anyOf": [*_refs("OrgEntitlementDetails"), _NULL]},
    404: {"anyOf": [*_refs("FieldDetails"), _NULL]},
    409: {
        "anyOf": [
            *_refs(
                "ConstraintDetails",
                "FileStatusDetails",
                "VideoRoomDetails",
                "TransitionDetails",
                "ConsentRequiredDetails",
                "FormsRequiredDetails",
                "SeriesUnavailableDetails",
            ),
            _NULL,
        ]
    },
    422: {
        "anyOf": [
            *_refs(
                "ConstraintDetails",
                "UploadRejectedDetails",
                "LegalBasisDetails",
                "FieldReasonDetails",
                "ItemErrorsDetails",
                "TemplateDetails",
            ),
            _NULL,
        ]
    },
    413: {"anyOf": [*_refs("BodyLimitDetails"), _NULL]},
    429: {"$ref": _REF + "RateLimitDetails"},
}

EXAMPLE_DETAILS: dict[str, Any] = {
    "validation_failed": {
        "fields": [{"field": "name", "source": "body", "message": "Expected `str`, got `int`"}]
    },
    "limit_exceeded": {
        "kind": "limit",
        "limit_code": "members",
        "limit": 5,
        "usage": 5,
        "requested": 1,
        "source": "tier",
    },
    "tier_entitlement_unavailable": {"kind": "tier_entitlement", "entitlement": "custom_domains"},
    "org_entitlement_disabled": {"kind": "org_entitlement", "entitlement": "custom_domains"},
    "rate_limited": {"bucket": "public", "limit": 60, "window_seconds": 60, "retry_after": 12},
}
EXAMPLE_MESSAGES = {
    "validation_failed": "The request is not valid.",
    "limit_exceeded": "The members limit of 5 is reached (in use: 5).",
    "tier_entitlement_unavailable": "The organization's plan does not include custom_domains.",
    "last_owner": "An organization keeps at least one active owner.",
    "rate_limited": "Too many requests; retry later.",
}
# The code an example shows for a status, when the route can answer it.
EXAMPLE_CODE = {
    400: "validation_failed",
    402: "limit_exceeded",
    403: "permission_denied",
    404: "not_found",
    409: "last_owner",
    410: "invitation_invalid",
    422: "constraint_violated",
}

HEADERS = {
    "X-Request-Id": {
        "description": "The request's id (the client's well-formed `X-Request-Id`, else a new "
        "one); quote it when reporting a problem.",
        "required": True,
        "schema": {"type": "string", "maxLength": 128},
    },
    "Idempotent-Replayed": {
        "description": "`true` when this is the stored outcome of an earlier request with the "
        "same `Idempotency-Key`.",
        "required": False,
        "schema": {"type": "string", "enum": ["true"]},
    },
    "Retry-After": {
        "description": "Seconds to wait before retrying.",
        "required": False,
        "schema": {"type": "string", "pattern": "^[0-9]+$"},
    },
}
IDEMPOTENCY_KEY = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "description": "Makes a retried POST safe: the same key and request within a day get the "
    "stored outcome (`Idempotent-Replayed: true`) instead of a second run.",
    "schema": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[\\x21-\\x7e]+$"},
}

_RAISE = re.compile(r"RAISE EXCEPTION '([a-z][a-z0-9_]*)'")
_API_ERROR = re.compile(r"ApiError\(\s*(\d{3}),\s*\"([a-z][a-z0-9_]*)\"")
_CONSTRAINT = re.compile(
    r'CONSTRAINT "?([a-z][a-z0-9_]*)"? (UNIQUE|PRIMARY KEY|EXCLUDE|CHECK|FOREIGN KEY)'
)
_UNIQUE_INDEX = re.compile(r'CREATE UNIQUE INDEX "?([a-z][a-z0-9_]*)"? ')


@cache
def domain_codes() -> dict[int, frozenset[str]]:
    """Every code a domain can answer, by status: the domains' `errors` maps, the codes the SQL
    functions raise (422 when no map lists them), the codes the domain handlers raise, and the
    constraint names that become codes (unique keys 409; checks and references 422)."""
    from app import domains

    found: dict[int, set[str]] = {}

    def add(status: int, code: str) -> None:
        found.setdefault(status, set()).add(code)

    for code, status in {**domains.error_statuses(), **SQL_CODE_STATUS}.items():
        add(status, code)
    for path in sorted((ROOT / "db" / "functions").rglob("*.sql")):
        for code in _RAISE.findall(path.read_text()):
            if code != "code":
                add(_sql_status(code), code)
    for path in sorted((ROOT / "app" / "domains").rglob("*.py")):
        for status, code in _API_ERROR.findall(path.read_text()):
            add(int(status), code)
    schema = ROOT / "db" / "schema.sql"
    if schema.exists():
        text = schema.read_text()
        for name, kind in _CONSTRAINT.findall(text):
            add(409 if kind in {"UNIQUE", "PRIMARY KEY", "EXCLUDE"} else 422, name)
        for name in _UNIQUE_INDEX.findall(text):
            add(409, name)
    return {status: frozenset(codes) for status, codes in found.items()}


def _sql_status(code: str) -> int:
    from app.api.errors import sql_code_status

    return sql_code_status(code)


def _statuses(method: str, op: dict[str, Any]) -> set[int]:
    """The statuses the operation can answer, from what the route declares and takes."""
    declared = {int(s) for s in op["responses"]}
    params = op.get("parameters", [])
    has_body = "requestBody" in op
    has_query = any(p["in"] == "query" for p in params)
    secured = op.get("security") != [{}]
    statuses = {s for s in declared if s < 400 or s in {402, 410, 429, 503}}
    statuses.add(405)
    if not declared & {400, 401, 403}:  # the probes: nothing but their own answers
        return statuses
    statuses.add(500)
    if params or has_body or method == "post":
        statuses.add(400)
    if secured:
        statuses |= {401, 403}
    if 404 in declared:
        statuses.add(404)
    if method in WRITES:
        statuses |= {409, 422}
    elif has_query:
        statuses.add(422)
    if has_body:
        statuses |= {413, 415}
    if method == "post":
        statuses |= {413, 503}
    return statuses


def _codes(status: int, method: str, op: dict[str, Any]) -> list[str]:
    codes = set(MACHINERY_CODES.get(status, ())) | domain_codes().get(status, frozenset())
    if any(p["name"] == "cursor" for p in op.get("parameters", [])):
        codes |= set(LIST_CODES.get(status, ()))
    if method == "post":
        codes |= set(IDEMPOTENCY_CODES.get(status, ()))
    if "requestBody" not in op:
        codes -= BODY_ONLY
    if status == 503 and "503" not in op["responses"]:
        codes.discard("storage_unavailable")
    return sorted(codes)


def _error_response(status: int, codes: list[str], description: str) -> dict[str, Any]:
    code = EXAMPLE_CODE.get(status)
    if code not in codes:
        code = codes[0]
    example = {
        "error": {
            "code": code,
            "message": EXAMPLE_MESSAGES.get(code) or message(code, "en", description),
            "details": EXAMPLE_DETAILS.get(code),
            "request_id": "4f1c2b9e8a7d4e0f9b6a5c3d2e1f0a9b",
        }
    }
    if status == 422 and code == "constraint_violated":
        example["error"]["details"] = {"constraint": "roles_code_check"}
    body: dict[str, Any] = {"code": {"type": "string", "enum": codes}}
    body["details"] = DETAILS_BY_STATUS.get(status, _NULL)
    headers = {"X-Request-Id": {"$ref": "#/components/headers/X-Request-Id"}}
    if status in {409, 429, 503}:
        headers["Retry-After"] = {"$ref": "#/components/headers/Retry-After"}
    return {
        "description": description,
        "headers": headers,
        "content": {
            "application/json": {
                "schema": {
                    "allOf": [
                        {"$ref": _REF + "ErrorEnvelope"},
                        _obj(["error"], error=_obj(["code", "details"], **body)),
                    ]
                },
                "example": example,
            }
        },
    }


_PAGE = re.compile(r"^Page_(?:[A-Za-z0-9_]+\.)*([A-Za-z0-9]+)_$")


def _schema_names(document: dict[str, Any]) -> None:
    """Component names without module paths: `Page_app.x.Member_` becomes `MemberPage`."""
    schemas = document["components"]["schemas"]
    renames = {}
    for name in list(schemas):
        match = _PAGE.match(name)
        new = f"{match.group(1)}Page" if match else name.rsplit(".", 1)[-1]
        if new != name:
            if new in schemas or new in renames.values():
                raise RuntimeError(f"two schemas would be named {new}")
            renames[name] = new
    for old, new in renames.items():
        schemas[new] = schemas.pop(old)
        schemas[new]["title"] = new
    document["components"]["schemas"] = dict(sorted(schemas.items()))
    refs = {_REF + old: _REF + new for old, new in renames.items()}

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref in refs:
                node["$ref"] = refs[ref]
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(document)


def _formats(schemas: dict[str, Any]) -> None:
    """Formats msgspec cannot say: money in minor units, sizes in bytes (64-bit integers)."""
    for schema in schemas.values():
        for name, prop in schema.get("properties", {}).items():
            if name.endswith(("_cents", "_bytes")):
                for variant in prop.get("oneOf", [prop]):
                    if variant.get("type") == "integer":
                        variant["format"] = "int64"
                if name.endswith("_cents"):
                    prop.setdefault("description", "An amount in minor units (cents).")


def refine(document: dict[str, Any]) -> dict[str, Any]:
    """The finished contract of a Litestar-generated document (a JSON-ready copy)."""
    document = copy.deepcopy(document)
    _schema_names(document)
    _formats(document["components"]["schemas"])
    components = document["components"]
    components["schemas"].update(DETAIL_SCHEMAS)
    components["headers"] = {name: dict(spec) for name, spec in HEADERS.items()}
    body = components["schemas"]["ErrorBody"]["properties"]
    body["code"] = {"type": "string", "description": "Stable, never translated."}
    body["message"] = {"type": "string", "description": "Follows `Accept-Language`."}
    body["details"] = {"description": "Per kind; each error response gives its schema."}
    body["request_id"] = {"type": "string", "maxLength": 128}
    for item in document["paths"].values():
        for method, op in item.items():
            if method not in METHODS:
                continue
            statuses = _statuses(method, op)
            probe = not {"400", "401", "403"} & set(op["responses"])
            responses = {}
            for status in sorted(statuses):
                key = str(status)
                if status < 400 or (probe and key in op["responses"]):
                    # The route's own answer (a probe's 503 included), with the id header.
                    response = op["responses"][key]
                    response.setdefault("headers", {})["X-Request-Id"] = {
                        "$ref": "#/components/headers/X-Request-Id"
                    }
                    responses[key] = response
                    continue
                codes = _codes(status, method, op)
                if not codes:
                    continue
                responses[key] = _error_response(status, codes, DESCRIPTIONS[status])
            if method == "post":
                op.setdefault("parameters", []).append(dict(IDEMPOTENCY_KEY))
                for key, response in responses.items():
                    if 200 <= int(key) < 500:
                        response.setdefault("headers", {})["Idempotent-Replayed"] = {
                            "$ref": "#/components/headers/Idempotent-Replayed"
                        }
            op["responses"] = responses
    return document


class ContractJsonPlugin(JsonRenderPlugin):
    """Serves `/schema/openapi.json` as `refine` finishes it (computed once per app)."""

    def __init__(self) -> None:
        super().__init__()
        self._rendered: bytes | None = None

    def render(self, request: Request, openapi_schema: dict[str, Any]) -> bytes:
        if self._rendered is None:
            self._rendered = self.render_json(request, refine(openapi_schema))
        return self._rendered


def document(app: Any) -> dict[str, Any]:
    """The finished document of `app`, as `/schema/openapi.json` serves it."""
    import msgspec

    return refine(msgspec.json.decode(msgspec.json.encode(app.openapi_schema.to_schema())))
