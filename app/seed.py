"""`restartix seed demo`: a demo clinic with one person per system role; safe to run again."""

from __future__ import annotations

import sys

from app.db.admin import OWNER, connect

DEMO_SLUG = "demo-clinic"
DEMO_PEOPLE = (
    ("owner", "owner@demo-clinic.test", "Olivia Owner"),
    ("admin", "admin@demo-clinic.test", "Adrian Admin"),
    ("specialist", "specialist@demo-clinic.test", "Sofia Specialist"),
    ("receptionist", "reception@demo-clinic.test", "Radu Reception"),
    ("billing", "billing@demo-clinic.test", "Bianca Billing"),
)
PLATFORM_ADMIN = ("superadmin@restartix.test", "Petra Platform")

SEED_SQL = """
WITH org AS (
    INSERT INTO tenancy.organizations (slug, name) VALUES (%(slug)s, 'Demo Physio Clinic')
    ON CONFLICT (slug) WHERE deleted_at IS NULL DO UPDATE SET name = EXCLUDED.name
    RETURNING id
)
SELECT id FROM org
"""

HUMAN_SQL = """
WITH existing AS (
    SELECT principal_id FROM iam.humans WHERE email = %(email)s
), new_principal AS (
    INSERT INTO iam.principals (kind) SELECT 'human' WHERE NOT EXISTS (SELECT 1 FROM existing)
    RETURNING id
), new_human AS (
    INSERT INTO iam.humans (principal_id, idp_subject, email, display_name)
    SELECT id, 'dev|' || %(email)s, %(email)s, %(name)s FROM new_principal
    RETURNING principal_id
)
SELECT principal_id FROM existing UNION ALL SELECT principal_id FROM new_human
"""

MEMBER_SQL = """
INSERT INTO tenancy.organization_memberships
    (organization_id, principal_id, role_id, status, invited_at, accepted_at)
SELECT %(org)s, %(principal)s, r.id, 'active', util.now(), util.now()
FROM iam.roles AS r WHERE r.organization_id IS NULL AND r.code = %(role)s
ON CONFLICT ON CONSTRAINT organization_memberships_one_hat DO NOTHING
"""


def seed_demo(migrate_url: str) -> None:
    with connect(migrate_url, autocommit=False, role=OWNER) as conn:
        org_id = conn.execute(SEED_SQL, {"slug": DEMO_SLUG}).fetchone()[0]
        for role, email, name in DEMO_PEOPLE:
            principal = conn.execute(HUMAN_SQL, {"email": email, "name": name}).fetchone()[0]
            conn.execute(MEMBER_SQL, {"org": org_id, "principal": principal, "role": role})
        email, name = PLATFORM_ADMIN
        admin = conn.execute(HUMAN_SQL, {"email": email, "name": name}).fetchone()[0]
        conn.execute(
            "INSERT INTO iam.platform_memberships (principal_id, role) VALUES (%s, 'superadmin') "
            "ON CONFLICT (principal_id) DO NOTHING",
            (admin,),
        )
        conn.commit()
    print(f"demo clinic {DEMO_SLUG} ({org_id}) is ready", file=sys.stderr)
