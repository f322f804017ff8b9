"""Pages that PostgreSQL serializes: each row's JSON text is what msgspec writes for its struct.

`Db.json_page` hands a list's rows from PostgreSQL to the client as JSON, so the SQL
rendering (`app.api.lists.json_row_sql`) must agree with msgspec byte for byte, whatever the
values: timestamps with and without microseconds, NULLs, quotes, control characters and
non-ASCII text.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal
from uuid import UUID

import msgspec
import psycopg
import pytest
from psycopg.rows import kwargs_row

from app.api.lists import json_page_body, json_row_sql
from app.domains.tenancy.members import Member
from tests.databases import ScratchDatabase


class Row(msgspec.Struct):
    id: UUID
    name: str | None
    status: Literal["active", "suspended"]
    at: datetime | None
    day: date | None
    n: int
    flag: bool


ROWS = """
SELECT * FROM (VALUES
    ('6f1c1c64-1d1f-4a55-9d2c-7f3a0e5b9c01'::uuid, 'plain'::text, 'active'::text,
     '2026-01-02 03:04:05+00'::timestamptz, '2026-01-02'::date, 1, true),
    ('00000000-0000-0000-0000-000000000000'::uuid, NULL, 'suspended',
     '2026-06-30 23:59:59.123400+00'::timestamptz, NULL, -7, false),
    ('ffffffff-ffff-ffff-ffff-ffffffffffff'::uuid, 'quote " back \\ slash / é ✓ ' || chr(1)
     || chr(10) || chr(9) || chr(31), 'active',
     '1999-12-31 22:00:00.000001+02'::timestamptz, '1999-01-01', 2147483647, true),
    ('6f1c1c64-1d1f-4a55-9d2c-7f3a0e5b9c02'::uuid, '', 'active', NULL, NULL, 0, false)
) AS page (id, name, status, at, day, n, flag)
"""


def _both(url: str, timezone: str) -> tuple[list[bytes], list[bytes]]:
    with psycopg.connect(url) as conn:
        conn.execute("SELECT set_config('TimeZone', %s, false)", (timezone,))
        with conn.cursor(row_factory=kwargs_row(Row)) as cursor:
            cursor.execute(ROWS)
            structs = cursor.fetchall()
        rendered = conn.execute(
            f"SELECT row_to_json(j)::text FROM ({ROWS}) AS page "
            f"CROSS JOIN LATERAL (SELECT {json_row_sql(Row)}) AS j",
            {},
        ).fetchall()
    return [msgspec.json.encode(s) for s in structs], [r[0].encode() for r in rendered]


def test_rows_render_as_msgspec_encodes_them_in_a_utc_session(
    migrated_database: ScratchDatabase,
):
    expected, rendered = _both(migrated_database.app_url, "UTC")
    assert rendered == expected


def test_timestamps_are_utc_whatever_the_session_time_zone(migrated_database: ScratchDatabase):
    expected, rendered = _both(migrated_database.app_url, "UTC")
    _, elsewhere = _both(migrated_database.app_url, "Europe/Bucharest")
    assert elsewhere == expected
    assert b'"at":"1999-12-31T20:00:00.000001Z"' in rendered[2]


def test_a_page_body_is_what_msgspec_writes_for_the_page():
    from app.api.lists import Page

    row = Row(UUID(int=5), "a", "active", None, None, 1, True)
    for cursor in (None, "abc.def"):
        expected = msgspec.json.encode(Page([row, row], cursor))
        text = msgspec.json.encode(row).decode()
        assert json_page_body([text, text], cursor) == expected
    assert json_page_body([], None) == msgspec.json.encode(Page([], None))


def test_the_members_row_renders_in_sql():
    assert json_row_sql(Member).startswith('page.id AS "id", page.principal_id AS "principal_id"')


def test_a_field_sql_cannot_render_as_msgspec_would_is_refused():
    class Nested(msgspec.Struct):
        tags: list[str]

    class Mixed(msgspec.Struct):
        value: int | datetime

    with pytest.raises(TypeError, match="tags"):
        json_row_sql(Nested)
    with pytest.raises(TypeError, match="value"):
        json_row_sql(Mixed)


def test_the_members_json_page_prepares_in_every_order(migrated_database: ScratchDatabase):
    from app.api.lists import page_json_sql, parse_sort
    from app.db.queries import catalogue
    from tests.test_queries import _numbered

    query = catalogue("tenancy").members_list
    with psycopg.connect(migrated_database.app_url, autocommit=True) as conn:
        for i, key in enumerate(query.sort):
            for desc in (False, True):
                order = parse_sort(query, ("-" if desc else "") + key.column)
                for nulls in (None, tuple(False for _ in order.columns)):
                    name = f"members_json_{i}_{int(desc)}_{nulls is None}"
                    text = _numbered(page_json_sql(order, nulls, Member))
                    conn.execute(f"PREPARE {name} AS {text}")
