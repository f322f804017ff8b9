"""Types and dependencies every route module shares."""

from __future__ import annotations

from typing import Annotated

import msgspec
from litestar import Router
from litestar.di import Provide
from litestar.openapi.datastructures import ResponseSpec

from app.api.auth import require_human
from app.api.errors import ErrorEnvelope
from app.api.lists import provide_listing
from app.api.scope import PLATFORM_ADMIN, provide_db, provide_org_db

Name = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
Slug = Annotated[str, msgspec.Meta(min_length=3, max_length=63, pattern=r"^[a-z0-9][a-z0-9-]*$")]
Email = Annotated[
    str, msgspec.Meta(min_length=3, max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
]
Description = Annotated[str, msgspec.Meta(max_length=1000)]
Code = Annotated[str, msgspec.Meta(min_length=2, max_length=63, pattern=r"^[a-z][a-z0-9_]*$")]
Limit = Annotated[int, msgspec.Meta(ge=1, le=100)]


class Body(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """Request bodies refuse unknown fields, so a typo is an error, not a silent no-op."""


ORG_SCOPED = {"db": Provide(provide_org_db)}
UNSCOPED = {"db": Provide(provide_db)}
HUMAN = [require_human]


def _error(description: str) -> ResponseSpec:
    return ResponseSpec(data_container=ErrorEnvelope, description=description)


ERRORS = {
    400: _error("Malformed JSON or invalid parameters (`validation_failed`, `malformed_json`)."),
    401: _error("Missing, invalid or expired bearer token."),
    403: _error("Blocked human or missing permission (`permission_denied`)."),
    404: _error("Not found; also for organizations the caller is not a member of."),
    409: _error("Conflicts with existing data (the constraint name is the code)."),
    422: _error("Breaks a rule of the resource (the constraint or rule name is the code)."),
    500: _error("Unexpected failure: a generic message, logged with the request id."),
}


# Added to the routes that can answer them.
GONE = {410: _error("The invitation is used, revoked, expired or unknown (`invitation_invalid`).")}
STORAGE = {503: _error("File storage is unavailable or not configured (`storage_unavailable`).")}
PAYMENT_REQUIRED = {
    402: _error("The plan lacks the feature or the limit is reached (`kind` in `details`).")
}


# What every route of a kind declares: its transaction, its guard, its documented errors.
IN_ORG = {"dependencies": ORG_SCOPED, "guards": HUMAN, "responses": ERRORS}
SIGNED_IN = {"dependencies": UNSCOPED, "guards": HUMAN, "responses": ERRORS}


def _router(provider, handlers: list, opt: dict | None = None) -> Router:
    for handler in handlers:
        # Litestar layers no `responses`: every route documents the shared errors itself.
        handler.responses = {**ERRORS, **(handler.responses or {})}
    return Router(
        path="/",
        route_handlers=handlers,
        dependencies={"db": Provide(provider), "listing": Provide(provide_listing)},
        guards=HUMAN,
        opt=opt or {},
    )


def org_router(*handlers) -> Router:
    """Routes under /v1/orgs/{org_id}: a signed-in human, the transaction scoped to that org."""
    return _router(provide_org_db, list(handlers))


def signed_in_router(*handlers) -> Router:
    """Routes of a signed-in human outside any organization (me, accept an invitation)."""
    return _router(provide_db, list(handlers))


def console_router(*handlers) -> Router:
    """The platform console: platform administrators, unless a route asks for less
    (`opt=PLATFORM_STAFF` for what support staff may read)."""
    return _router(provide_db, list(handlers), PLATFORM_ADMIN)
