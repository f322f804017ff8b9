"""Invitations: create with an expiry and a single-use token, list, revoke, accept."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

import msgspec
from litestar import Response, delete, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from app.api.common import GONE, PAYMENT_REQUIRED, Body, Email
from app.api.ratelimit import RATE_LIMIT_RESPONSES, rate_limited
from app.api.scope import Db, requires
from app.db.queries import catalogue

Q = catalogue("tenancy")

Hours = Annotated[int, msgspec.Meta(ge=1, le=720)]
Token = Annotated[str, msgspec.Meta(min_length=16, max_length=128)]


class Invitation(msgspec.Struct):
    id: UUID
    email: str
    role_id: UUID
    invited_by: UUID
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
    organization_id: UUID


class _Created(msgspec.Struct):
    id: UUID
    token: str


@get(
    "/v1/orgs/{org_id:uuid}/invitations",
    operation_id="invitations_list",
    tags=["members"],
    opt=requires("members.read"),
)
async def list_invitations(db: NamedDependency[Db]) -> list[Invitation]:
    """Invitations of the organization, newest first (`members.read`)."""
    return await db.rows(Q.invitations_list, Invitation)


@post(
    "/v1/orgs/{org_id:uuid}/invitations",
    operation_id="invitations_create",
    tags=["members"],
    responses=PAYMENT_REQUIRED,
)
async def create_invitation(
    db: NamedDependency[Db], data: JSONBody[CreateInvitation]
) -> Response[CreatedInvitation]:
    """Invite an email to a role (`members.invite`); the token is returned once."""
    created = await db.row(
        Q.invitation_create,
        _Created,
        email=data.email,
        role=data.role_id,
        hours=data.expires_in_hours,
    )
    invitation = await db.row(Q.invitation_by_id, Invitation, id=created.id)
    return Response(CreatedInvitation(invitation, created.token), status_code=201)


@delete(
    "/v1/orgs/{org_id:uuid}/invitations/{invitation_id:uuid}",
    operation_id="invitations_revoke",
    responses=GONE,
    tags=["members"],
    status_code=204,
)
async def revoke_invitation(
    db: NamedDependency[Db], invitation_id: FromPath[UUID]
) -> Response[None]:
    """Revoke a pending invitation (`members.manage`)."""
    await db.execute(Q.invitation_revoke, id=invitation_id)
    return Response(None, status_code=204)


@post(
    "/v1/invitations/accept",
    operation_id="invitations_accept",
    guards=[rate_limited("auth")],
    responses={**GONE, **RATE_LIMIT_RESPONSES},
    tags=["members"],
    status_code=200,
)
async def accept_invitation(db: NamedDependency[Db], data: JSONBody[AcceptInvitation]) -> Accepted:
    """The signed-in invitee joins the organization (single use, unexpired, same email)."""
    return await db.row(Q.invitation_accept, Accepted, token=data.token)
