"""`restartix dev-token`: a bearer token for a development database, signed by the dev key.

It makes sure the human exists (with the subject the token carries), optionally gives them a
role in an organization and a platform role, and prints a token the API started by
`make dev` accepts. Production never trusts the dev key: it verifies the identity provider's.
"""

from __future__ import annotations

import sys
import time

import jwt

from app import devkeys
from app.config import Settings
from app.db.admin import OWNER, connect
from app.errors import CommandError
from app.seed import HUMAN_SQL

TOKEN_HOURS = 12

# A system role template or one of the organization's custom roles, by code.
ROLE_SQL = """
SELECT r.id FROM iam.roles AS r
WHERE r.code = %(role)s AND (r.organization_id IS NULL OR r.organization_id = %(org)s)
ORDER BY r.organization_id NULLS LAST LIMIT 1
"""
# The member's current role (NULL when not a member yet) and whether they are the last
# active owner of the organization.
CURRENT_SQL = """
SELECT m.id, r.code, (
    r.code = 'owner' AND m.status = 'active' AND (
        SELECT count(*) FROM tenancy.organization_memberships AS o
        JOIN iam.roles AS ro ON ro.id = o.role_id
        WHERE o.organization_id = m.organization_id AND o.status = 'active' AND ro.code = 'owner'
    ) = 1
) AS last_owner
FROM tenancy.organization_memberships AS m JOIN iam.roles AS r ON r.id = m.role_id
WHERE m.organization_id = %(org)s AND m.principal_id = %(principal)s
"""
JOIN_SQL = """
INSERT INTO tenancy.organization_memberships
    (organization_id, principal_id, role_id, status, invited_at, accepted_at)
VALUES (%(org)s, %(principal)s, %(role_id)s, 'active', util.now(), util.now())
"""
CHANGE_ROLE_SQL = """
UPDATE tenancy.organization_memberships SET role_id = %(role_id)s WHERE id = %(id)s
"""


def dev_token(
    settings: Settings, email: str, org_slug: str | None, role: str, platform_admin: bool
) -> str:
    if settings.auth_jwks_url or settings.auth_public_key:
        raise CommandError(
            "AUTH_JWKS_URL or AUTH_PUBLIC_KEY is set, so the API would not trust a dev token"
        )
    if "@" not in email or len(email) > 254:
        raise CommandError(f"not an email address: {email!r}")
    key_path = devkeys.ensure_jwt_key()
    with connect(settings.migrate_database_url, autocommit=False, role=OWNER) as conn:
        conn.execute("SELECT set_config('app.action_context', 'dev_token', true)")
        principal = conn.execute(
            HUMAN_SQL, {"email": email, "name": email.split("@")[0]}
        ).fetchone()[0]
        if org_slug:
            org = conn.execute(
                "SELECT id FROM tenancy.organizations WHERE slug = %s AND deleted_at IS NULL",
                (org_slug,),
            ).fetchone()
            if org is None:
                raise CommandError(f"no organization with slug {org_slug!r}")
            _give_role(conn, org[0], org_slug, principal, email, role)
        if platform_admin:
            conn.execute(
                "INSERT INTO iam.platform_memberships (principal_id, role)"
                " VALUES (%s, 'superadmin')"
                " ON CONFLICT (principal_id) DO UPDATE SET role = 'superadmin'",
                (principal,),
            )
        subject = conn.execute(
            "SELECT idp_subject FROM iam.humans WHERE principal_id = %s", (principal,)
        ).fetchone()[0]
        conn.commit()
    now = int(time.time())
    claims = {
        "sub": subject,
        "email": email,
        "iss": settings.auth_issuer,
        "aud": settings.auth_audience,
        "iat": now,
        "nbf": now,
        "exp": now + TOKEN_HOURS * 3600,
    }
    return jwt.encode(claims, devkeys.load_private_key(key_path), algorithm="RS256")


def _give_role(conn, org_id, org_slug: str, principal, email: str, role: str) -> None:
    """Make `email` a member of the organization with `role`, changing the role of an
    existing member; the last active owner keeps the owner role (say so, never ignore)."""
    found = conn.execute(ROLE_SQL, {"org": org_id, "role": role}).fetchone()
    if found is None:
        raise CommandError(f"no role {role!r} in {org_slug} (a system role or a custom role code)")
    role_id = found[0]
    current = conn.execute(CURRENT_SQL, {"org": org_id, "principal": principal}).fetchone()
    if current is None:
        conn.execute(JOIN_SQL, {"org": org_id, "principal": principal, "role_id": role_id})
        return
    membership, old_role, last_owner = current
    if old_role == role:
        return
    if last_owner:
        raise CommandError(
            f"{email} is the last active owner of {org_slug}, so their role stays owner; "
            "make another member owner first"
        )
    conn.execute(CHANGE_ROLE_SQL, {"role_id": role_id, "id": membership})
    print(f"changed {email}'s role in {org_slug} from {old_role} to {role}", file=sys.stderr)
