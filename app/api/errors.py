"""The API's error exception and the handler that turns it into the one JSON error envelope."""

from __future__ import annotations

import re
import uuid
from typing import Any

import msgspec
from litestar import Request
from litestar.response import Response

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
    ) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.details = details
        self.headers = headers or {}


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


def api_error_handler(request: Request, exc: ApiError) -> Response[ErrorEnvelope]:
    body = ErrorEnvelope(
        ErrorBody(
            code=exc.code,
            message=exc.message,
            details=exc.details,
            request_id=request_id_of(request),
        )
    )
    return Response(body, status_code=exc.status, headers=exc.headers)


exception_handlers = {ApiError: api_error_handler}
