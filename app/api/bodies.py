"""Request bodies: JSON nesting is capped before anything decodes it.

msgspec (like every recursive decoder) turns a body nested a hundred thousand levels deep into
a RecursionError, which would be a 500. `Request.json()` of the app's request class first
measures the depth in a few passes of C code (escapes, then strings, then everything but
brackets are dropped; the running sum of +1/-1 gives the depth) and refuses a body deeper
than `MAX_JSON_DEPTH` with 400 `malformed_json`. No request the API serves nests nearly
that deep.
"""

from __future__ import annotations

import re
from itertools import accumulate
from typing import Any

from litestar import Request

from app.api.errors import ApiError

MAX_JSON_DEPTH = 64

_ESCAPE = re.compile(rb"\\.", re.DOTALL)
_STRING = re.compile(rb'"[^"]*"')
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
_STEP = [0] * 256
for _open in b"[{":
    _STEP[_open] = 1
for _close in b"]}":
    _STEP[_close] = -1


def json_depth(body: bytes) -> int:
    """How deeply `body` nests arrays and objects (brackets inside strings do not count)."""
    if body.count(b"[") + body.count(b"{") <= MAX_JSON_DEPTH:
        return min(body.count(b"[") + body.count(b"{"), MAX_JSON_DEPTH)
    # Escapes first (left to right, so `\\"` is an escaped backslash and then a quote),
    # then whole strings, which can then contain no quote.
    structure = _STRING.sub(b"", _ESCAPE.sub(b"", body)).translate(None, _NOT_BRACKETS)
    return max(accumulate(map(_STEP.__getitem__, structure)), default=0)


def too_deep() -> ApiError:
    return ApiError(
        400,
        "malformed_json",
        f"The request body nests more than {MAX_JSON_DEPTH} levels deep.",
        message_code="json_too_deep",
    )


class BoundedJsonRequest(Request):
    """The app's request class: `json()` refuses bodies nested deeper than MAX_JSON_DEPTH."""

    async def json(self) -> Any:
        if json_depth(await self.body()) > MAX_JSON_DEPTH:
            raise too_deep()
        return await super().json()
