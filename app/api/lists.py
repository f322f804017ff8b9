"""Lists: limit, sort and signed, typed cursors, the same for every list endpoint.

`?limit=` (1-100, default 50), `?sort=field,-other` over the columns the catalogued query
names (`-- sort:`), `?cursor=` the opaque `next_cursor` of the previous page. Lists are
keyset-paginated on the sort columns plus the query's key column, so pages stay stable while
rows are added, and each page costs an index range scan, not a sort of everything.

A cursor is the sort values of the last row returned, bound to the query and the order it
was made for, and signed with HMAC-SHA256 under the one key every API process shares
(`CURSOR_SIGNING_KEY`): a client can neither forge one nor move one to another list, and
any process reads another's. Values are checked against the column types on the way in,
so nothing but a well-typed parameter ever reaches SQL.

A computed order works the same way. A search list sorts by its relevance (a `real` column
the query computes, `-- sort: -rank real`): the cursor holds the last row's relevance and
key, and the next page is the rows strictly after them in (relevance, key) order, computed
again from the same search. Such a cursor is also bound to what the order was computed from
(`scope`, the search text): a cursor of one search is refused by another, since its
relevance values mean nothing there. The cost of a page is then the cost of the search (the
matching rows are found through an index and the top of them sorted), not an index range
scan: that is the price of ordering by something no index holds.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import math
import types
import typing
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import Annotated, Any, Generic, TypeVar
from uuid import UUID

import msgspec
from litestar.params import QueryParameter

from app.api.errors import ApiError
from app.db.queries import Query, SortKey

MAX_LIMIT = 100
DEFAULT_LIMIT = 50
MAX_CURSOR_LENGTH = 1024
_MAC_BYTES = 16

T = TypeVar("T")


class Page(msgspec.Struct, Generic[T]):
    items: list[T]
    next_cursor: str | None


@dataclass(frozen=True)
class Listing:
    """What a client asked of a list: page size, order, where to continue."""

    limit: int = DEFAULT_LIMIT
    sort: str | None = None
    cursor: str | None = None


async def provide_listing(
    limit: Annotated[
        int | None, QueryParameter(ge=1, le=MAX_LIMIT, description="page size")
    ] = None,
    sort: Annotated[
        str | None,
        QueryParameter(max_length=100, description="`field,-other` (`-`: descending)"),
    ] = None,
    cursor: Annotated[
        str | None,
        QueryParameter(max_length=MAX_CURSOR_LENGTH, description="`next_cursor` of a page"),
    ] = None,
) -> Listing:
    """The list parameters of the query string (a dependency every list route takes)."""
    return Listing(limit or DEFAULT_LIMIT, sort, cursor)


@dataclass(frozen=True)
class Order:
    """The columns a page is ordered by, each (key, descending), the query's key last."""

    query: Query
    columns: tuple[tuple[SortKey, bool], ...]

    @property
    def signature(self) -> str:
        return ",".join(("-" if desc else "") + key.column for key, desc in self.columns)


def invalid_cursor() -> ApiError:
    return ApiError(400, "invalid_cursor", "The pagination cursor is not valid.")


def parse_sort(query: Query, sort: str | None) -> Order:
    """`name,-created_at` into an Order over the query's sort columns, ending on its key."""
    if query.key is None:
        raise RuntimeError(f"{query.qualified} is not a list query (no `-- key:` line)")
    fields = [f.strip() for f in (sort or query.default_sort).split(",") if f.strip()]
    columns: list[tuple[SortKey, bool]] = []
    for field in fields:
        desc = field.startswith("-")
        key = query.sort_key(field.removeprefix("-"))
        if key is None or any(k == key for k, _ in columns):
            raise ApiError(
                400,
                "invalid_sort",
                f"Cannot sort by {field.removeprefix('-')!r}.",
                {"allowed": sorted(k.column for k in query.sort)},
            )
        columns.append((key, desc))
    if not any(k.column == query.key.column for k, _ in columns):
        columns.append((query.key, columns[-1][1] if columns else False))
    return Order(query, tuple(columns))


class CursorSigner:
    """Signs and opens cursors with the key every API process shares."""

    def __init__(self, key: bytes) -> None:
        if len(key) < 16:
            raise ValueError("the cursor signing key needs at least 16 bytes")
        self._key = key

    def _mac(self, payload: bytes) -> bytes:
        return hmac.new(self._key, payload, hashlib.sha256).digest()[:_MAC_BYTES]

    def encode(self, order: Order, row: Any, scope: str | None = None) -> str:
        return self.encode_values(
            order, [getattr(row, key.column) for key, _ in order.columns], scope
        )

    def encode_values(self, order: Order, sort_values: list[Any], scope: str | None = None) -> str:
        """The cursor after a row whose sort columns (in the order's order) hold these."""
        values = [_dump(v, key) for v, (key, _) in zip(sort_values, order.columns, strict=True)]
        payload = msgspec.json.encode([order.query.qualified, _made_for(order, scope), values])
        return _b64(payload) + "." + _b64(self._mac(payload))

    def decode(
        self, order: Order, cursor: str | None, scope: str | None = None
    ) -> list[Any] | None:
        """The typed sort values of a cursor made for this order (and scope), or 400
        `invalid_cursor`."""
        if not cursor:
            return None
        if len(cursor) > MAX_CURSOR_LENGTH or cursor.count(".") != 1:
            raise invalid_cursor()
        body, mac = cursor.split(".")
        try:
            payload, signature = _unb64(body), _unb64(mac)
        except (binascii.Error, ValueError):
            raise invalid_cursor() from None
        if not hmac.compare_digest(signature, self._mac(payload)):
            raise invalid_cursor()
        try:
            name, made_for, values = msgspec.json.decode(payload, type=tuple[str, str, list])
        except (msgspec.DecodeError, msgspec.ValidationError):
            raise invalid_cursor() from None
        if name != order.query.qualified or made_for != _made_for(order, scope):
            raise ApiError(
                400, "invalid_cursor", "The cursor belongs to another list or another sort order."
            )
        if len(values) != len(order.columns):
            raise invalid_cursor()
        return [_load(v, key) for v, (key, _) in zip(values, order.columns, strict=True)]


def _made_for(order: Order, scope: str | None) -> str:
    """What a cursor is bound to: the order, and a digest of the scope when there is one."""
    if scope is None:
        return order.signature
    return order.signature + "@" + hashlib.sha256(scope.encode()).hexdigest()[:16]


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _dump(value: Any, key: SortKey) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)  # UUID


def _load(value: Any, key: SortKey) -> Any:
    """A cursor value as the Python type its column binds as; anything else is refused."""
    if value is None:
        if key.nullable:
            return None
        raise invalid_cursor()
    try:
        match key.type:
            case "text" if isinstance(value, str):
                return value
            case "uuid" if isinstance(value, str):
                return UUID(value)
            case "timestamptz" if isinstance(value, str):
                parsed = datetime.fromisoformat(value)
                if parsed.tzinfo is None:
                    raise ValueError
                return parsed
            case "date" if isinstance(value, str):
                return date.fromisoformat(value)
            case "integer" | "bigint" if isinstance(value, int) and not isinstance(value, bool):
                if abs(value) >= 2**63:
                    raise ValueError
                return value
            case "boolean" if isinstance(value, bool):
                return value
            case "real" if isinstance(value, int | float) and not isinstance(value, bool):
                if not math.isfinite(value):
                    raise ValueError
                return float(value)
    except ValueError:
        pass
    raise invalid_cursor()


def page_sql(order: Order, nulls: tuple[bool, ...] | None) -> str:
    """The query wrapped with the keyset condition, ORDER BY and LIMIT.

    `nulls` says which cursor values are NULL (None on the first page). The wrapper selects
    from the catalogued query as a subquery, which PostgreSQL flattens, so the conditions
    and the order reach the underlying indexes.
    """
    return _page_sql(order, nulls)


@cache
def _page_sql(order: Order, nulls: tuple[bool, ...] | None) -> str:
    ordering = ", ".join(
        f"page.{key.column} {'DESC NULLS FIRST' if desc else 'ASC NULLS LAST'}"
        for key, desc in order.columns
    )
    where = "true" if nulls is None else _after(order, nulls)
    return (
        f"SELECT * FROM (\n{order.query.sql}\n) AS page\n"
        f"WHERE {where}\nORDER BY {ordering}\nLIMIT %(_limit)s"
    )


def _after(order: Order, nulls: tuple[bool, ...]) -> str:
    """Rows strictly after the cursor's row in this order (NULLs last ascending, first
    descending, as PostgreSQL sorts them)."""
    columns = [
        (f"page.{key.column}", f"%(_c{i})s", desc) for i, (key, desc) in enumerate(order.columns)
    ]
    if (
        not any(nulls)
        and len({desc for *_, desc in columns}) == 1
        and not any(key.nullable for key, _ in order.columns)
    ):
        # One direction, no NULLs possible: a row comparison the index answers directly.
        op = "<" if columns[0][2] else ">"
        left = ", ".join(c for c, _, _ in columns)
        right = ", ".join(p for _, p, _ in columns)
        return f"({left}) {op} ({right})"
    ors = []
    for i, (column, param, desc) in enumerate(columns):
        ands = [
            f"{c} IS NULL" if nulls[j] else f"{c} = {p}" for j, (c, p, _) in enumerate(columns[:i])
        ]
        nullable = order.columns[i][0].nullable
        if nulls[i]:
            # After a NULL: ascending, nothing (NULLs come last); descending, every value.
            if not desc:
                continue
            ands.append(f"{column} IS NOT NULL")
        elif desc:
            ands.append(f"{column} < {param}")
        else:
            ands.append(
                f"({column} > {param} OR {column} IS NULL)" if nullable else f"{column} > {param}"
            )
        ors.append("(" + " AND ".join(ands) + ")")
    return "(" + (" OR ".join(ors) or "false") + ")"


def contains_pattern(text: str) -> str:
    """An ILIKE pattern matching `text` anywhere, with its wildcards taken literally."""
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


# --- pages serialized by PostgreSQL ---------------------------------------------------------
#
# A list of plain rows is turned into JSON by PostgreSQL instead of row objects in Python:
# each row arrives as its JSON text, shaped exactly as msgspec encodes the row's struct
# (same keys in the same order; UUIDs, strings, numbers, booleans and nulls as they are;
# timestamps as RFC 3339 in UTC with a `Z` and microseconds only when there are any), and
# the page is the texts joined. This costs PostgreSQL little and saves Python a row object,
# a struct and its encoding per row. `tests/test_lists_json.py` holds the two encodings equal.

# msgspec's rendering of an aware datetime in UTC: microseconds only when there are any.
# One to_char and a replace ('.000000Z' can only be the end): the cheapest exact form found
# (about 0.8 µs a value; to_char twice with an extract() test cost 3.4 µs).
_TIMESTAMP_JSON = (
    "replace(to_char(({0}) AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'), "
    "'.000000Z', 'Z')"
)
_PLAIN = (UUID, str, int, bool, date)


def _json_value(column: str, annotation: Any) -> str:
    """The SQL rendering of one column of a row struct, or TypeError for a type it does not
    render as msgspec would."""
    kinds = set()
    for kind in _flatten(annotation):
        if kind is type(None):
            continue
        if kind is datetime:
            kinds.add("timestamp")
        elif isinstance(kind, type) and issubclass(kind, _PLAIN) and kind is not datetime:
            kinds.add("plain")
        elif getattr(kind, "__origin__", None) is None and isinstance(kind, str):
            kinds.add("plain")  # a Literal's value
        else:
            raise TypeError(f"{column}: {annotation!r} is not rendered in SQL")
    if kinds == {"timestamp"}:
        return _TIMESTAMP_JSON.format(f"page.{column}")
    if kinds == {"plain"}:
        return f"page.{column}"
    raise TypeError(f"{column}: {annotation!r} mixes types SQL renders differently")


def _flatten(annotation: Any) -> list[Any]:
    origin = typing.get_origin(annotation)
    if origin is typing.Literal:
        return list(typing.get_args(annotation))
    if origin in (typing.Union, types.UnionType):
        return [k for arg in typing.get_args(annotation) for k in _flatten(arg)]
    if origin is typing.Annotated:
        return _flatten(typing.get_args(annotation)[0])
    return [annotation]


@cache
def json_row_sql(into: type) -> str:
    """The select list of a row struct's JSON fields, read from `page.<field>`: selected as
    `j` and turned into text by `row_to_json(j)`, it is the struct as msgspec encodes it
    (row_to_json writes no spaces; json_build_object would)."""
    info = msgspec.inspect.type_info(into)
    if not isinstance(info, msgspec.inspect.StructType):
        raise TypeError(f"{into!r} is not a msgspec struct")
    hints = typing.get_type_hints(into, include_extras=True)
    columns = []
    for field in info.fields:
        if not field.encode_name.isidentifier():
            raise TypeError(f"{into.__name__}.{field.name}: a plain field name is needed")
        columns.append(f'{_json_value(field.name, hints[field.name])} AS "{field.encode_name}"')
    return ", ".join(columns)


def page_json_sql(order: Order, nulls: tuple[bool, ...] | None, into: type) -> str:
    """`page_sql` whose rows are (the row's JSON text, then the order's sort values)."""
    return _page_json_sql(order, nulls, into)


@cache
def _page_json_sql(order: Order, nulls: tuple[bool, ...] | None, into: type) -> str:
    # Rendered over the page only (the inner LIMIT), and in the page's order: the inner
    # query is already sorted that way, so the outer ORDER BY costs no sort.
    keys = ", ".join(f"page.{key.column} AS _k{i}" for i, (key, _) in enumerate(order.columns))
    ordering = ", ".join(
        f"page.{key.column} {'DESC NULLS FIRST' if desc else 'ASC NULLS LAST'}"
        for key, desc in order.columns
    )
    return (
        f"SELECT row_to_json(j)::text AS _json, {keys}\n"
        f"FROM (\n{_page_sql(order, nulls)}\n) AS page\n"
        f"CROSS JOIN LATERAL (SELECT {json_row_sql(into)}) AS j\n"
        f"ORDER BY {ordering}"
    )


def json_page_body(items: list[str], next_cursor: str | None) -> bytes:
    """The bytes msgspec would write for `Page(items, next_cursor)` from JSON row texts."""
    return b"".join(
        (
            b'{"items":[',
            ",".join(items).encode(),
            b'],"next_cursor":',
            msgspec.json.encode(next_cursor),
            b"}",
        )
    )
