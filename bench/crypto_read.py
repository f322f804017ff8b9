"""Reading 10,000 rows with one encrypted column (each value decrypted) vs the same rows without.

Run: .venv/bin/python bench/crypto_read.py [--rows 10000] [--rounds 7]
Two tenant tables in one scratch database, identical but for one column: a plaintext national
id, or the same value sealed by the FieldCipher (local KEK, data key cached as in a running
process). Each round reads every row of both through the request pool, under RLS as a member,
and builds the records the repository layer would return; rounds alternate so both sides see
the same machine. Prints the median time of each and the ratio.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
import uuid
from collections.abc import Callable
from typing import Any

import psycopg
from _db import scratch_database

from app.crypto import FieldCipher, FieldContext, Keyring
from app.crypto.local import LocalKeyProvider
from app.crypto.store import PostgresKeyStore

SETUP = """
SET ROLE restartix_owner;
CREATE SCHEMA bench;
GRANT USAGE ON SCHEMA bench TO restartix_app;
CREATE TABLE bench.patients_plain (
    id uuid PRIMARY KEY,
    organization_id uuid NOT NULL REFERENCES tenancy.organizations (id),
    name text NOT NULL,
    national_id text
);
CREATE TABLE bench.patients_sealed (
    id uuid PRIMARY KEY,
    organization_id uuid NOT NULL REFERENCES tenancy.organizations (id),
    name text NOT NULL,
    national_id_encrypted bytea
);
CREATE INDEX patients_plain_org_idx ON bench.patients_plain (organization_id, id);
CREATE INDEX patients_sealed_org_idx ON bench.patients_sealed (organization_id, id);
GRANT SELECT ON bench.patients_plain, bench.patients_sealed TO restartix_app;
SELECT util.reset_policies('bench.patients_plain');
SELECT util.reset_policies('bench.patients_sealed');
CREATE POLICY "members read their organization's patients" ON bench.patients_plain
FOR SELECT TO restartix_app USING (organization_id = (SELECT iam.current_member_org_id()));
CREATE POLICY "members read their organization's patients" ON bench.patients_sealed
FOR SELECT TO restartix_app USING (organization_id = (SELECT iam.current_member_org_id()));
RESET ROLE;
"""

PEOPLE = """
WITH org AS (INSERT INTO tenancy.organizations (slug, name) VALUES ('bench-clinic', 'Bench')
             RETURNING id),
     p AS (INSERT INTO iam.principals (kind) VALUES ('human') RETURNING id),
     h AS (INSERT INTO iam.humans (principal_id, idp_subject, email)
           SELECT id, 'bench|owner', 'owner@bench.test' FROM p RETURNING principal_id)
INSERT INTO tenancy.organization_memberships (organization_id, principal_id, role_id, status)
SELECT org.id, h.principal_id, r.id, 'active'
FROM org, h, iam.roles AS r WHERE r.code = 'owner' AND r.organization_id IS NULL
RETURNING organization_id, principal_id
"""

TABLE = "bench.patients_sealed"
COLUMN = "national_id_encrypted"


def load(owner_url: str, system_url: str, rows: int) -> tuple[uuid.UUID, uuid.UUID, FieldCipher]:
    with psycopg.connect(owner_url, autocommit=True) as conn:
        conn.execute(SETUP)
        org, member = conn.execute(PEOPLE).fetchone()
    cipher = FieldCipher(
        Keyring(
            PostgresKeyStore(lambda: psycopg.connect(system_url)),
            LocalKeyProvider([os.urandom(32)]),
            cache_ttl=3600,
        )
    )
    records = [(uuid.uuid4(), f"Patient {n}", f"{1850101000000 + n}") for n in range(rows)]
    with psycopg.connect(owner_url) as conn, conn.cursor() as cur:
        with cur.copy(
            "COPY bench.patients_plain (id, organization_id, name, national_id) FROM STDIN"
        ) as copy:
            for row_id, name, national_id in records:
                copy.write_row((row_id, org, name, national_id))
        with cur.copy(
            "COPY bench.patients_sealed (id, organization_id, name, national_id_encrypted) "
            "FROM STDIN"
        ) as copy:
            for row_id, name, national_id in records:
                context = FieldContext(TABLE, COLUMN, org, row_id)
                copy.write_row((row_id, org, name, cipher.encrypt_text(national_id, context)))
        cur.execute("ANALYZE bench.patients_plain")
        cur.execute("ANALYZE bench.patients_sealed")
    return org, member, cipher


def timed(read: Callable[[], list[dict[str, Any]]], rows: int) -> float:
    started = time.perf_counter()
    records = read()
    elapsed = time.perf_counter() - started
    assert len(records) == rows, f"read {len(records)} rows, expected {rows}"
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()

    with scratch_database() as db:
        org, member, cipher = load(db.owner_url, db.system_url, args.rows)
        with psycopg.connect(db.app_url, autocommit=True) as conn:
            # Session-wide (not per transaction as the API does) so each read is one statement.
            conn.execute(
                "select set_config('app.current_principal_id', %s, false), "
                "set_config('app.current_org_id', %s, false)",
                (str(member), str(org)),
            )

            def read_plain() -> list[dict[str, Any]]:
                rows = conn.execute(
                    "select id, name, national_id from bench.patients_plain"
                ).fetchall()
                return [{"id": i, "name": n, "national_id": v} for i, n, v in rows]

            def read_sealed() -> list[dict[str, Any]]:
                rows = conn.execute(
                    "select id, name, national_id_encrypted from bench.patients_sealed"
                ).fetchall()
                return [
                    {
                        "id": i,
                        "name": n,
                        "national_id": cipher.decrypt_text(v, FieldContext(TABLE, COLUMN, org, i)),
                    }
                    for i, n, v in rows
                ]

            assert read_sealed()[0]["national_id"].startswith("185")  # warm: key cached
            read_plain()
            plain, sealed = [], []
            for _ in range(args.rounds):
                plain.append(timed(read_plain, args.rows))
                sealed.append(timed(read_sealed, args.rows))

    p, s = statistics.median(plain), statistics.median(sealed)
    print(f"rows per read:            {args.rows:,} ({args.rounds} rounds, median)")
    print(f"without encrypted column: {p * 1000:8.1f} ms  ({args.rows / p:,.0f} rows/s)")
    print(f"with one, decrypted:      {s * 1000:8.1f} ms  ({args.rows / s:,.0f} rows/s)")
    print(f"ratio:                    {s / p:8.2f}x")


if __name__ == "__main__":
    main()
