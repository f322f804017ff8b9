"""Invitations: create with an expiry and a single-use token, list, revoke, accept."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

import msgspec
from litestar import Response, delete, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from app.api.common import (
    ERRORS,
    GONE,
    HUMAN,
    IN_ORG,
    PAYMENT_REQUIRED,
    UNSCOPED,
    Body,
    Email,
)
from app.api.ratelimit import RATE_LIMIT_RESPONSES, rate_limited
from app.api.scope import Db

Hours = Annotated[int, msgspec.Meta(ge=1, le=720)]
Token = Annotated[str, msgspec.Meta(min_length=16, max_length=128)]


class Invitation(msgspec.Struct):
    id: str
    email: str
    role_id: str
    invited_by: str
    expires_at: datetime
    accepted_at: datetime | None
    revoked_at: datetime | None
    created_at: datetime


class CreatedInvitation(msgspec.Struct):
    invitation: Invitation
    token: str  # shown once; the link the invitee follows carries it


class CreateInvitation(Body):
    email: Email
    role_id: UUID
    expires_in_hours: Hours = 168


class AcceptInvitation(Body):
    token: Token


class Accepted(msgspec.Struct):
    organization_id: str


INVITATION_SQL = """
SELECT id::text, email::text, role_id::text, invited_by::text, expires_at, accepted_at,
       revoked_at, created_at
FROM tenancy.invitations WHERE organization_id = %s
"""


@get(
    "/v1/orgs/{org_id:uuid}/invitations",
    **IN_ORG,
    tags=["members"],
)
async def list_invitations(db: NamedDependency[Db]) -> list[Invitation]:
    """Invitations of the organization, newest first (`members.read`)."""
    await db.require_permission("members.read")
    rows = await db.all(INVITATION_SQL + " ORDER BY created_at DESC, id LIMIT 500", (db.org_id,))
    return [Invitation(*row) for row in rows]


@post(
    "/v1/orgs/{org_id:uuid}/invitations",
    **{**IN_ORG, "responses": {**ERRORS, **PAYMENT_REQUIRED}},
    tags=["members"],
)
async def create_invitation(
    db: NamedDependency[Db], data: JSONBody[CreateInvitation]
) -> Response[CreatedInvitation]:
    """Invite an email to a role (`members.invite`); the token is returned once."""
    row = await db.one(
        "SELECT id::text, token FROM tenancy.create_invitation(%s, %s, make_interval(hours => %s))",
        (data.email, str(data.role_id), data.expires_in_hours),
    )
    invitation_id, token = row
    created = await db.one(INVITATION_SQL + " AND id = %s", (db.org_id, invitation_id))
    return Response(CreatedInvitation(Invitation(*created), token), status_code=201)


@delete(
    "/v1/orgs/{org_id:uuid}/invitations/{invitation_id:uuid}",
    **{**IN_ORG, "responses": {**ERRORS, **GONE}},
    tags=["members"],
    status_code=204,
)
async def revoke_invitation(
    db: NamedDependency[Db], invitation_id: FromPath[UUID]
) -> Response[None]:
    """Revoke a pending invitation (`members.manage`)."""
    await db.value("SELECT tenancy.revoke_invitation(%s)", (str(invitation_id),))
    return Response(None, status_code=204)


@post(
    "/v1/invitations/accept",
    dependencies=UNSCOPED,
    guards=[*HUMAN, rate_limited("auth")],
    responses={**ERRORS, **GONE, **RATE_LIMIT_RESPONSES},
    tags=["members"],
    status_code=200,
)
async def accept_invitation(db: NamedDependency[Db], data: JSONBody[AcceptInvitation]) -> Accepted:
    """The signed-in invitee joins the organization (single use, unexpired, same email)."""
    org_id = await db.value("SELECT tenancy.accept_invitation(%s)", (data.token,))
    return Accepted(str(org_id))
