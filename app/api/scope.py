"""Request scope: one transaction per request on the request pool, opened in one round trip.

`iam.begin_request` sets who, where and why transaction-locally before any query (so every
policy and audit row sees them), and answers three questions the route would otherwise ask
one by one: is the human blocked, is the organization in the URL visible to them, and does
the route's requirement hold. A route declares its requirement once, as `opt`
(`requires("members.read")`, `PLATFORM_ADMIN`), usually on its router; the check itself is
SQL (`iam.holds`). Per-org routes take the organization from the URL; a principal who is
not a member (and is not platform staff) gets 404, so the existence of an organization
never leaks.

The BEGIN and the call travel in one pipeline, so opening costs one round trip. A read
request (GET or HEAD) sends its list page and the COMMIT in one pipeline too, so a list read
costs two round trips in all; should the handler query again after that, the next query
reopens the scope first (the same `iam.begin_request`, the same answers or the same refusal).
Under READ COMMITTED every statement reads its own snapshot anyway, so ending a read's
transaction at its page changes nothing it can see. Every SQL text comes from the query
catalogue (`db/queries/`) and rows come back by column name into msgspec structs.
"""

from __future__ import annotations

import ipaddress
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar
from uuid import UUID

from litestar import MediaType, Request, Response
from litestar.params import FromPath
from psycopg import AsyncConnection
from psycopg.rows import kwargs_row, tuple_row

from app.api.auth import current_identity
from app.api.errors import ApiError, request_id_of
from app.api.lists import (
    CursorSigner,
    Listing,
    Page,
    json_page_body,
    page_json_sql,
    page_sql,
    parse_sort,
)
from app.api.requester import client_ip
from app.db.queries import Query, catalogue

T = TypeVar("T")

Q = catalogue("iam")

PLATFORM_ADMIN = {"requires": "platform:admin"}
PLATFORM_STAFF = {"requires": "platform:staff"}


def requires(*permissions: str) -> dict[str, str]:
    """The `opt` of a route that needs a permission (any one of several) in the organization
    of its URL."""
    return {"requires": "|".join(permissions)}


@dataclass
class Db:
    """The request's connection, inside its transaction, and the scope it acts in.

    Every method takes a catalogued `Query` and named parameters; `org` and `principal` are
    always available to a query as `%(org)s` and `%(principal)s`.
    """

    conn: AsyncConnection
    principal_id: str
    org_id: FromPath[str] | None
    request_id: str
    cursors: CursorSigner
    # Opens (or reopens) the request transaction: BEGIN and iam.begin_request, refusing as
    # the first opening would. Set for read requests, whose list page ends the transaction.
    reopen: Callable[[], Awaitable[None]] | None = None
    open: bool = True

    def _params(self, params: dict[str, Any]) -> dict[str, Any]:
        return {"org": self.org_id, "principal": self.principal_id, **params}

    async def _ready(self) -> None:
        if not self.open:
            await self.reopen()
            self.open = True

    async def rows(self, query: Query, into: type[T], **params: Any) -> list[T]:
        await self._ready()
        async with self.conn.cursor(row_factory=kwargs_row(into)) as cursor:
            await cursor.execute(query.sql, self._params(params))
            return await cursor.fetchall()

    async def row(self, query: Query, into: type[T], **params: Any) -> T | None:
        await self._ready()
        async with self.conn.cursor(row_factory=kwargs_row(into)) as cursor:
            await cursor.execute(query.sql, self._params(params))
            return await cursor.fetchone()

    async def scalar(self, query: Query, **params: Any) -> Any:
        await self._ready()
        cursor = await self.conn.execute(query.sql, self._params(params))
        row = await cursor.fetchone()
        return row[0] if row else None

    async def execute(self, query: Query, **params: Any) -> None:
        await self._ready()
        await self.conn.execute(query.sql, self._params(params))

    async def page(
        self,
        query: Query,
        into: type[T],
        listing: Listing,
        cursor_scope: str | None = None,
        **params: Any,
    ) -> Page[T]:
        """One page of a list query in the order the client asked, with its next cursor.
        `cursor_scope` binds the cursors to what a computed order depends on (a search text).

        In a read request the page ends the transaction: the query and the COMMIT go in one
        pipeline (one round trip). Should the query fail, PostgreSQL skips the COMMIT and the
        error surfaces here, and the request's transaction is rolled back as any other.
        """
        order, nulls, bound = self._window(query, listing, cursor_scope, params)
        text = page_sql(order, nulls)
        items, more = await self._page_rows(text, bound, listing, kwargs_row(into))
        return Page(items, self.cursors.encode(order, items[-1], cursor_scope) if more else None)

    def _window(
        self, query: Query, listing: Listing, cursor_scope: str | None, params: dict[str, Any]
    ) -> tuple[Any, tuple[bool, ...] | None, dict[str, Any]]:
        """What both page encodings share: the order asked, which cursor values are null, and
        the parameters (the cursor's values and one row more than the page, to know whether
        another page follows)."""
        order = parse_sort(query, listing.sort)
        after = self.cursors.decode(order, listing.cursor, cursor_scope)
        values = {f"_c{i}": v for i, v in enumerate(after or ())}
        nulls = None if after is None else tuple(v is None for v in after)
        return order, nulls, self._params({**params, **values, "_limit": listing.limit + 1})

    async def _page_rows(
        self, text: str, bound: dict[str, Any], listing: Listing, row_factory: Any = None
    ) -> tuple[list, bool]:
        """A page's rows and whether more follow; in a read request the COMMIT rides in the
        same pipeline."""
        await self._ready()
        async with self.conn.cursor(row_factory=row_factory or tuple_row) as cursor:
            if self.reopen is None:
                await cursor.execute(text, bound)
            else:
                async with self.conn.pipeline():
                    await cursor.execute(text, bound)
                    # What connection.commit() sends, queued behind the query instead of
                    # waiting for its rows first (commit() inside a pipeline syncs at once).
                    await self.conn.execute(_COMMIT, prepare=False)
                self.open = False
            rows = await cursor.fetchall()
        return rows[: listing.limit], len(rows) > listing.limit

    async def json_page(
        self, query: Query, into: type, listing: Listing, **params: Any
    ) -> Response[bytes]:
        """The same page as `page`, as a ready JSON response: PostgreSQL renders each row as
        msgspec would render `into` (see `app.api.lists.json_row_sql`), so no row object is
        built in Python. The route keeps `Page[into]` as its declared return type, which is
        what its OpenAPI schema shows."""
        order, nulls, bound = self._window(query, listing, None, params)
        rows, more = await self._page_rows(page_json_sql(order, nulls, into), bound, listing)
        cursor = self.cursors.encode_values(order, list(rows[-1][1:])) if more else None
        return Response(json_page_body([r[0] for r in rows], cursor), media_type=MediaType.JSON)

    async def set_context(self, context: str) -> None:
        """Why this request acts (e.g. org_entitlement_change), carried into the audit log."""
        await self._ready()
        await self.conn.execute(Q.set_action_context.sql, {"context": context})


# Transaction control, not a query: the catalogue holds statements a handler runs.
_COMMIT = "COMMIT"
# Requests that only read: their list page may end the transaction (see Db.page).
READ_METHODS = frozenset({"GET", "HEAD"})


def _ip(request: Request) -> str:
    """The peer address for the audit log's inet column, or '' when the peer is not an IP
    (a unix socket, a test transport): a non-address would fail every audited write."""
    ip = client_ip(request.scope).split("/")[0]
    try:
        ipaddress.ip_address(ip)
    except ValueError:
        return ""
    return ip


async def _open(request: Request, org_id: str | None) -> AsyncIterator[Db]:
    identity = current_identity(request)
    resources = request.app.state.resources
    requirement = request.route_handler.opt.get("requires")
    request_id = request_id_of(request)
    scope = {
        "principal": identity.principal_id,
        "org": org_id,
        "request_id": request_id,
        "ip": _ip(request),
        "agent": (request.headers.get("user-agent") or "")[:512],
        "requires": requirement,
        # The path, never the query string (a search term may be a name).
        "route": f"{request.method} {request.url.path}"[:512],
    }
    async with resources.app_pool.connection() as conn:

        async def begin() -> None:
            # The implicit BEGIN and the call share one pipeline sync: one round trip.
            async with conn.pipeline():
                cursor = await conn.execute(Q.begin_request.sql, scope)
            blocked, visible, allowed = await cursor.fetchone()
            if not (visible and allowed):
                await conn.rollback()
            if blocked:
                resources.identities.forget(identity)
                raise ApiError(403, "human_blocked", "This account is blocked.")
            if not visible:
                raise ApiError(404, "organization_not_found", "Organization not found.")
            if not allowed:
                raise _refusal(requirement)

        await begin()
        if org_id is not None:
            request.state.org_id = org_id
        await resources.activity.touch(identity.principal_id, org_id)
        reads = request.method in READ_METHODS
        db = Db(
            conn,
            identity.principal_id,
            org_id,
            request_id,
            resources.cursors,
            reopen=begin if reads else None,
        )
        try:
            yield db
        except BaseException:
            await conn.rollback()
            raise
        await conn.commit()  # no round trip when the page already committed


def _refusal(requirement: str) -> ApiError:
    if requirement == "platform:admin":
        return ApiError(403, "permission_denied", "This is for platform administrators.")
    if requirement == "platform:staff":
        return ApiError(403, "permission_denied", "This is for platform staff.")
    needed = " or ".join(requirement.split("|"))
    return ApiError(403, "permission_denied", f"This needs the {needed} permission.")


async def provide_db(request: Request) -> AsyncIterator[Db]:
    """The request transaction for routes outside an organization (me, console, accept)."""
    async for db in _open(request, None):
        yield db


async def provide_org_db(request: Request, org_id: FromPath[UUID]) -> AsyncIterator[Db]:
    """The request transaction scoped to the organization named in the URL."""
    async for db in _open(request, str(org_id)):
        yield db
