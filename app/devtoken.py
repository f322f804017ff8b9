"""`restartix dev-token`: a bearer token for a development database, signed by the dev key.

It makes sure the human exists (with the subject the token carries), optionally gives them a
role in an organization and a platform role, and prints a token the API started by
`make dev` accepts. Production never trusts the dev key: it verifies the identity provider's.
"""

from __future__ import annotations

import time

import jwt

from app import devkeys
from app.config import Settings
from app.db.admin import OWNER, connect
from app.errors import CommandError
from app.seed import HUMAN_SQL, MEMBER_SQL

TOKEN_HOURS = 12


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
            conn.execute(MEMBER_SQL, {"org": org[0], "principal": principal, "role": role})
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
