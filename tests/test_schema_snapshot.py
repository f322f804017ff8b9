"""db/schema.sql is the migrated schema; reviewers read the whole schema in one file."""

from __future__ import annotations

import psycopg
import pytest

from app.db import snapshot
from app.db.paths import SCHEMA_SNAPSHOT
from tests.databases import ScratchDatabase


def test_snapshot_equals_the_schema_built_from_migrations(migrated_database: ScratchDatabase):
    built = snapshot.dump_schema(migrated_database.owner_url)
    difference = snapshot.diff(SCHEMA_SNAPSHOT.read_text(), built)
    if difference:
        pytest.fail("db/schema.sql is stale; run `make schema`\n" + difference, pytrace=False)


def test_checker_reports_a_column_the_snapshot_lacks(fresh_database: ScratchDatabase):
    with psycopg.connect(fresh_database.owner_url, autocommit=True) as conn:
        conn.execute("ALTER TABLE tenancy.organizations ADD COLUMN sneaky text")
    built = snapshot.dump_schema(fresh_database.owner_url)
    difference = snapshot.diff(SCHEMA_SNAPSHOT.read_text(), built)
    assert '+    "sneaky" "text"' in difference


def test_normalize_drops_volatile_lines_and_monthly_partitions():
    dump = "\n".join(
        [
            "\\restrict AbC123",
            "-- Dumped from database version 15.20",
            "--",
            "-- Name: audit_log_p2026_11; Type: TABLE; Schema: audit; Owner: restartix_owner",
            "--",
            'CREATE TABLE "audit"."audit_log_p2026_11" (id uuid);',
            "--",
            "-- Name: organizations; Type: TABLE; Schema: tenancy; Owner: restartix_owner",
            "--",
            'CREATE TABLE "tenancy"."organizations" (id uuid);',
            "\\unrestrict AbC123",
        ]
    )
    normalized = snapshot.normalize(dump)
    assert "restrict" not in normalized
    assert "Dumped" not in normalized
    assert "audit_log_p2026_11" not in normalized
    assert '"tenancy"."organizations"' in normalized


def test_normalize_sorts_role_lists_so_the_snapshot_is_the_same_on_every_cluster():
    """Issue 14, finding 11: pg_dump writes a policy's roles (and an object's grants) in
    the order of the cluster's role OIDs, so a cluster whose roles were created in another
    order produced another snapshot."""
    policy = (
        'CREATE POLICY "p" ON "util"."t" FOR SELECT TO {roles} USING (true);\n'
        'CREATE POLICY "q" ON "util"."t" AS RESTRICTIVE TO {roles} WITH CHECK (true);\n'
    )
    grants = [
        'GRANT SELECT ON TABLE "util"."t" TO "restartix_system";',
        'GRANT SELECT ON TABLE "util"."t" TO "restartix_analyst";',
        'GRANT SELECT,INSERT ON TABLE "util"."t" TO "restartix_app";',
    ]
    one = snapshot.normalize(
        policy.format(roles='"restartix_app", "restartix_system", "restartix_analyst"')
        + "\n".join(grants)
    )
    other = snapshot.normalize(
        policy.format(roles='"restartix_system", "restartix_analyst", "restartix_app"')
        + "\n".join(reversed(grants))
    )
    assert one == other
    assert 'TO "restartix_analyst", "restartix_app", "restartix_system" USING' in one
    # A REVOKE stays before the GRANTs it precedes.
    revoked = snapshot.normalize(
        'REVOKE ALL ON TABLE "util"."t" FROM PUBLIC;\n' + "\n".join(grants)
    )
    assert revoked.splitlines()[0].startswith("REVOKE")
