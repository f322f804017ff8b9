"""Cursor pagination and sorting, the same for every list endpoint.

`?limit=` (1-100, default 50), `?cursor=` (opaque: base64url of the sort key of the last row
returned), `?sort=field,-other` on a whitelist per endpoint. Lists are keyset-paginated on
the sort columns plus the row id, so pages stay stable while rows are added.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import msgspec
from psycopg import sql

from app.api.errors import ApiError

MAX_LIMIT = 100
DEFAULT_LIMIT = 50

T = TypeVar("T")


class Page(msgspec.Struct, Generic[T]):
    items: list[T]
    next_cursor: str | None


@dataclass(frozen=True)
class Order:
    columns: tuple[tuple[str, bool], ...]  # (sql column, descending), id last

    def order_by(self) -> sql.Composable:
        return sql.SQL(", ").join(
            sql.SQL("{} {}").format(sql.SQL(col), sql.SQL("DESC" if desc else "ASC"))
            for col, desc in self.columns
        )

    def after(self, cursor: list[Any] | None) -> tuple[sql.Composable, list[Any]]:
        """A keyset condition `rows strictly after the cursor` for mixed directions."""
        if cursor is None:
            return sql.SQL("true"), []
        if len(cursor) != len(self.columns):
            raise invalid_cursor()
        ors, params = [], []
        for i, (col, desc) in enumerate(self.columns):
            ands = [sql.SQL("{} = %s").format(sql.SQL(c)) for c, _ in self.columns[:i]]
            params.extend(cursor[:i])
            ands.append(sql.SQL("{} {} %s").format(sql.SQL(col), sql.SQL("<" if desc else ">")))
            params.append(cursor[i])
            ors.append(sql.SQL("(") + sql.SQL(" AND ").join(ands) + sql.SQL(")"))
        return sql.SQL("(") + sql.SQL(" OR ").join(ors) + sql.SQL(")"), params


def parse_sort(sort: str | None, allowed: dict[str, str], default: str, id_column: str) -> Order:
    """`name,-created_at` into an Order over whitelisted columns, ending on the row id."""
    fields = [f.strip() for f in (sort or default).split(",") if f.strip()]
    columns: list[tuple[str, bool]] = []
    for field in fields:
        desc = field.startswith("-")
        name = field.lstrip("-")
        if name not in allowed or any(c == allowed[name] for c, _ in columns):
            raise ApiError(
                400,
                "invalid_sort",
                f"Cannot sort by {name!r}.",
                {"allowed": sorted(allowed)},
            )
        columns.append((allowed[name], desc))
    last_desc = columns[-1][1] if columns else False
    columns.append((id_column, last_desc))
    return Order(tuple(columns))


def parse_limit(limit: int | None) -> int:
    if limit is None:
        return DEFAULT_LIMIT
    if not 1 <= limit <= MAX_LIMIT:
        raise ApiError(
            400,
            "validation_failed",
            f"limit must be between 1 and {MAX_LIMIT}.",
            {"fields": [{"field": "limit", "source": "query", "message": "out of range"}]},
        )
    return limit


def encode_cursor(values: list[Any]) -> str:
    return base64.urlsafe_b64encode(msgspec.json.encode(values)).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> list[Any] | None:
    if not cursor:
        return None
    if len(cursor) > 1024:
        raise invalid_cursor()
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = msgspec.json.decode(raw)
    except (binascii.Error, ValueError, msgspec.DecodeError):
        raise invalid_cursor() from None
    if not isinstance(values, list) or not all(
        isinstance(v, str | int | float | bool) or v is None for v in values
    ):
        raise invalid_cursor()
    return values


def invalid_cursor() -> ApiError:
    return ApiError(400, "invalid_cursor", "The pagination cursor is not valid.")


def contains_pattern(text: str) -> str:
    """An ILIKE pattern matching `text` anywhere, with its wildcards taken literally."""
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
