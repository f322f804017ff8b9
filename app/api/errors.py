"""The one JSON error envelope, and the mapping of every failure onto it.

`{"error": {"code", "message", "details", "request_id"}}`: the code is stable and never
translated; the message follows Accept-Language; details carry field paths or limits. A
client never sees SQL, a stack trace or an exception's text: unexpected failures are logged
with the request id and answered with a generic 500.
"""

from __future__ import annotations

import logging
import re
import uuid
from typing import Any

import msgspec
import psycopg
from botocore.exceptions import BotoCoreError, ClientError
from litestar import Request
from litestar.exceptions import (
    HTTPException,
    MethodNotAllowedException,
    NotFoundException,
    SerializationException,
    ValidationException,
)
from litestar.response import Response

from app.api.i18n import language_of, message
from app.domains.storage.client import StorageUnavailable

log = logging.getLogger("restartix.api")

REQUEST_ID_HEADER = "x-request-id"
# A client-supplied id is echoed into logs and bodies, so only a short, plain token is taken.
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


class ApiError(Exception):
    """A failure the client sees as `{"error": {...}}` with this status and stable code."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        details: Any = None,
        headers: dict[str, str] | None = None,
        message_code: str | None = None,
    ) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.details = details
        self.headers = headers or {}
        # Which translated message to show when the code itself has none (e.g. a constraint
        # name as the code, the generic "conflict" text as the message).
        self.message_code = message_code or code


class ErrorBody(msgspec.Struct):
    code: str
    message: str
    details: Any
    request_id: str


class ErrorEnvelope(msgspec.Struct):
    error: ErrorBody


def request_id_of(request: Request) -> str:
    """The request's id: already assigned, else a well-formed `X-Request-Id`, else a new one.

    The result is stored on `request.state` so later readers see the same id.
    """
    request_id = request.state.get("request_id")
    if not request_id:
        supplied = request.headers.get(REQUEST_ID_HEADER, "")
        request_id = supplied if _REQUEST_ID.match(supplied) else uuid.uuid4().hex
        request.state.request_id = request_id
    return request_id


def envelope(request: Request, error: ApiError) -> Response[ErrorEnvelope]:
    lang = language_of(request.headers.get("accept-language"))
    body = ErrorEnvelope(
        ErrorBody(
            code=error.code,
            message=message(error.message_code, lang, error.message),
            details=error.details,
            request_id=request_id_of(request),
        )
    )
    headers = {**error.headers, "X-Request-Id": request_id_of(request)}
    return Response(body, status_code=error.status, headers=headers)


def api_error_handler(request: Request, exc: ApiError) -> Response[ErrorEnvelope]:
    return envelope(request, exc)


def _validation_details(exc: ValidationException) -> list[dict[str, str]]:
    fields = []
    for item in exc.extra or []:
        if isinstance(item, dict):
            # Litestar gives the source as a ParamType enum for parameters, "body" for bodies.
            source = getattr(item.get("source"), "value", item.get("source")) or "body"
            fields.append(
                {
                    "field": str(item.get("key") or source),
                    "source": str(source),
                    "message": str(item.get("message") or ""),
                }
            )
    return fields


def http_exception_handler(request: Request, exc: HTTPException) -> Response[ErrorEnvelope]:
    if isinstance(exc, ValidationException):
        detail = str(exc.detail or "")
        if "decode" in detail.lower() or "malformed" in detail.lower() or "JSON" in detail:
            error = ApiError(400, "malformed_json", "The request body is not valid JSON.")
        else:
            error = ApiError(
                400,
                "validation_failed",
                "The request is not valid.",
                {"fields": _validation_details(exc)},
            )
    elif isinstance(exc.__cause__, SerializationException):
        # Litestar wraps a body that does not decode as a plain 400 ClientException.
        error = ApiError(400, "malformed_json", "The request body is not valid JSON.")
    elif isinstance(exc, NotFoundException):
        error = ApiError(404, "not_found", "Not found.")
    elif isinstance(exc, MethodNotAllowedException):
        error = ApiError(405, "method_not_allowed", "This method is not allowed here.")
    elif exc.status_code == 413:
        error = ApiError(413, "payload_too_large", "The request body is too large.")
    elif exc.status_code == 401:
        error = ApiError(401, "unauthenticated", "Sign in to continue.")
    elif exc.status_code == 403:
        error = ApiError(403, "permission_denied", "You do not have permission to do this.")
    elif exc.status_code < 500:
        error = ApiError(exc.status_code, "bad_request", str(exc.detail or "Bad request."))
    else:
        return internal_error_handler(request, exc)
    return envelope(request, error)


# SQL functions raise `RAISE EXCEPTION '<code>' USING DETAIL = '<text>'`; the code is the
# contract and picks the status here (422 when not listed).
# The machinery's own codes; each domain adds its map (`Domain.errors`).
SQL_CODE_STATUS = {
    "not_found": 404,
    "permission_denied": 403,
    "idempotency_key_reused": 409,
}


def sql_code_status(code: str) -> int:
    """The status of a code an SQL function raised: the machinery's, a domain's, else 422."""
    from app import domains

    return SQL_CODE_STATUS.get(code) or domains.error_statuses().get(code, 422)


# Constraint and trigger names are part of the contract: they become the error code.
SQLSTATE_STATUS = {
    "23505": (409, "conflict"),
    "23P01": (409, "conflict"),
    "23514": (422, "constraint_violated"),
    "23502": (422, "constraint_violated"),
    "23503": (422, "reference_not_found"),
    "22001": (422, "value_too_long"),
    "22P02": (422, "invalid_value"),
    "22P05": (422, "invalid_value"),  # \u0000 in JSON text
    "22021": (422, "invalid_value"),
    "54000": (422, "value_too_long"),
    "22007": (422, "invalid_value"),
    "22008": (422, "invalid_value"),
    "22003": (422, "invalid_value"),
    "22023": (422, "invalid_value"),
    "42501": (403, "permission_denied"),
    "P0002": (404, "not_found"),
}


GENERIC_MESSAGES = {
    "conflict": "This conflicts with existing data.",
    "constraint_violated": "The data breaks a rule of this resource.",
    "reference_not_found": "A referenced resource does not exist.",
    "value_too_long": "A value is too long.",
    "invalid_value": "A value is not valid.",
    "not_found": "Not found.",
}


def database_error(exc: psycopg.Error) -> ApiError | None:
    """The envelope error for an SQL failure a client caused, or None for a server fault.

    Functions raise with MESSAGE = a stable snake_case code (optionally `code: text`) and
    DETAIL = the human text; constraints are reported by name.
    """
    state = exc.sqlstate or ""
    if not state and isinstance(exc, psycopg.DataError):
        # Refused before reaching the server: a NUL character in a text parameter.
        return ApiError(422, "invalid_value", GENERIC_MESSAGES["invalid_value"])
    diag = exc.diag
    if state == "P0001" or (state == "42501" and diag.message_primary == "permission_denied"):
        code = (diag.message_primary or "rejected").strip()
        status = sql_code_status(code)
        message = (diag.message_detail or code).strip()
        details = _hint_details(diag)
        if status == 400 and isinstance(details, dict) and isinstance(details.get("field"), str):
            # A 400 names its fields as the request validation does (ValidationDetails).
            details = {
                "fields": [{"field": details["field"], "source": "body", "message": message}]
            }
        return ApiError(status, code, message, details)
    mapped = SQLSTATE_STATUS.get(state)
    if not mapped:
        return None
    status, kind = mapped
    if state == "42501":
        return ApiError(status, "permission_denied", "You do not have permission to do this.")
    constraint = diag.constraint_name
    details = {"constraint": constraint} if constraint else None
    # The server's own text quotes values and SQL ("Key (email)=(…)", "invalid input syntax
    # for type inet: …"), so the client gets the generic message of the kind, in its language.
    return ApiError(status, constraint or kind, GENERIC_MESSAGES[kind], details, message_code=kind)


def _hint_details(diag) -> Any:
    """Structured details a function put in HINT as a JSON object (limits, usage...)."""
    hint = diag.message_hint
    if hint and hint.startswith("{"):
        try:
            return msgspec.json.decode(hint)
        except msgspec.DecodeError:
            return None
    return None


def psycopg_error_handler(request: Request, exc: psycopg.Error) -> Response[ErrorEnvelope]:
    error = database_error(exc)
    if error is None:
        return internal_error_handler(request, exc)
    return envelope(request, error)


def _server_fault(request: Request, exc: Exception, what: str, error: ApiError) -> Response:
    """Log a failure on our side with the request id; the client gets only `error`."""
    log.error(
        "%s on %s %s",
        what,
        request.method,
        request.url.path,
        exc_info=exc,
        extra={"request_id": request_id_of(request)},
    )
    return envelope(request, error)


def internal_error_handler(request: Request, exc: Exception) -> Response[ErrorEnvelope]:
    error = ApiError(500, "internal_error", "Something went wrong on our side.")
    return _server_fault(request, exc, "unhandled error", error)


def storage_error_handler(request: Request, exc: Exception) -> Response[ErrorEnvelope]:
    error = ApiError(503, "storage_unavailable", "File storage is unavailable; try again later.")
    return _server_fault(request, exc, "object store failed", error)


exception_handlers = {
    ApiError: api_error_handler,
    StorageUnavailable: storage_error_handler,
    BotoCoreError: storage_error_handler,
    ClientError: storage_error_handler,
    HTTPException: http_exception_handler,
    psycopg.Error: psycopg_error_handler,
    Exception: internal_error_handler,
}
