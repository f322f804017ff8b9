"""415 for a request body that is not JSON: every route that takes a body reads JSON, so a
body declared as anything else (or not declared at all) is refused in the error envelope
instead of being parsed as JSON regardless of what the client said it sent."""

from __future__ import annotations

from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Receive, Scope, Send

from app.api.errors import ApiError

BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})


def is_json(content_type: bytes) -> bool:
    """`application/json` or a `+json` type, any parameters (`; charset=utf-8`) aside."""
    media = content_type.split(b";", 1)[0].strip().lower()
    return media == b"application/json" or (
        media.startswith(b"application/") and media.endswith(b"+json")
    )


class JsonBodyMiddleware(ASGIMiddleware):
    """A route that takes a body (`data`) answers 415 `unsupported_media_type` when a
    non-empty body comes with a Content-Type other than JSON, or with none."""

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        if scope["method"] in BODY_METHODS and _takes_body(scope):
            headers = dict(scope.get("headers", ()))
            content_type = headers.get(b"content-type")
            length = headers.get(b"content-length")
            has_body = b"transfer-encoding" in headers or (length not in (None, b"0"))
            if has_body and (content_type is None or not is_json(content_type)):
                raise ApiError(
                    415,
                    "unsupported_media_type",
                    "Send the request body as JSON (`Content-Type: application/json`).",
                )
        await next_app(scope, receive, send)


def _takes_body(scope: Scope) -> bool:
    handler = scope.get("route_handler")
    signature = getattr(handler, "parsed_fn_signature", None)
    return signature is not None and "data" in signature.parameters
