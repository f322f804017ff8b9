"""A clinic's connected accounts (Cat B, e.g. a calendar): connect, list, change, disconnect.
Credentials are write-only: sealed here with the clinic's key, never selected back."""

from __future__ import annotations

import asyncio
import uuid
from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

import msgspec
from litestar import Request, Response, delete, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from app.api.common import Body
from app.api.errors import ApiError
from app.api.scope import Db, requires
from app.db.queries import catalogue
from app.domains.integrations.credentials import integration_context, seal

Q = catalogue("integrations")
MANAGE = requires("integrations.manage")

Kind = Literal["google_calendar", "microsoft_calendar"]
Status = Literal["connected", "error", "disconnected"]
Label = Annotated[str, msgspec.Meta(min_length=1, max_length=254)]
Scope = Annotated[str, msgspec.Meta(min_length=1, max_length=200, pattern=r"^[A-Za-z0-9._:/-]+$")]
Scopes = Annotated[list[Scope], msgspec.Meta(max_length=50)]
SecretName = Annotated[
    str, msgspec.Meta(min_length=1, max_length=64, pattern=r"^[A-Za-z][A-Za-z0-9_]*$")
]
SecretValue = Annotated[str, msgspec.Meta(min_length=1, max_length=4096)]
Credentials = Annotated[dict[SecretName, SecretValue], msgspec.Meta(min_length=1, max_length=20)]

# Sealed, the column holds at most 16 KiB (a check constraint); JSON over this is refused here.
MAX_CREDENTIALS_BYTES = 8192


class Integration(msgspec.Struct):
    id: UUID
    kind: Kind
    account_label: str
    scopes: list[str]
    status: Status
    last_error: str | None
    last_error_at: datetime | None
    has_credentials: bool
    connected_by: UUID | None
    connected_at: datetime
    updated_at: datetime


class ConnectIntegration(Body):
    kind: Kind
    account_label: Label
    credentials: Credentials
    scopes: Scopes = msgspec.field(default_factory=list)


class UpdateIntegration(Body):
    account_label: Label | None = None
    scopes: Scopes | None = None
    status: Literal["connected", "disconnected"] | None = None
    credentials: Credentials | None = None


def check_credentials_size(credentials: dict[str, str]) -> None:
    """Refuse oversize credentials before sealing (shared with the console's providers)."""
    if len(msgspec.json.encode(credentials)) > MAX_CREDENTIALS_BYTES:
        raise ApiError(
            400,
            "validation_failed",
            f"Credentials are at most {MAX_CREDENTIALS_BYTES} bytes of JSON.",
            {"fields": [{"field": "credentials", "source": "body", "message": "too large"}]},
        )


async def _sealed(request: Request, db: Db, row_id: UUID, credentials: dict[str, str]) -> bytes:
    check_credentials_size(credentials)
    cipher = request.app.state.resources.field_cipher()
    context = integration_context(row_id, db.org_id)
    return await asyncio.to_thread(seal, cipher, credentials, context)


@get(
    "/v1/orgs/{org_id:uuid}/integrations",
    operation_id="integrations_list",
    tags=["integrations"],
    opt=MANAGE,
)
async def list_integrations(db: NamedDependency[Db]) -> list[Integration]:
    """The organization's connected accounts (`integrations.manage`); never their secrets."""
    return await db.rows(Q.integrations_list, Integration)


@post(
    "/v1/orgs/{org_id:uuid}/integrations",
    operation_id="integrations_connect",
    tags=["integrations"],
    opt=MANAGE,
)
async def connect_integration(
    db: NamedDependency[Db], data: JSONBody[ConnectIntegration], request: Request
) -> Response[Integration]:
    """Connect an account (`integrations.manage`); the credentials are encrypted with the
    organization's key and can be replaced, never read back."""
    row_id = uuid.uuid4()
    sealed = await _sealed(request, db, row_id, data.credentials)
    integration = await db.row(
        Q.integration_connect,
        Integration,
        id=row_id,
        kind=data.kind,
        account_label=data.account_label,
        scopes=data.scopes,
        credentials=sealed,
    )
    return Response(integration, status_code=201)


@patch(
    "/v1/orgs/{org_id:uuid}/integrations/{integration_id:uuid}",
    operation_id="integrations_update",
    tags=["integrations"],
    opt=MANAGE,
)
async def update_integration(
    db: NamedDependency[Db],
    integration_id: FromPath[UUID],
    data: JSONBody[UpdateIntegration],
    request: Request,
) -> Integration:
    """Rename, change scopes or status, or replace the credentials (`integrations.manage`).
    Setting `disconnected` also forgets the credentials."""
    changes = {
        "id": integration_id,
        "account_label": data.account_label,
        "scopes": data.scopes,
        "status": data.status,
    }
    if data.credentials is None:
        integration = await db.row(Q.integration_update, Integration, **changes)
    else:
        sealed = await _sealed(request, db, integration_id, data.credentials)
        integration = await db.row(
            Q.integration_update_with_credentials, Integration, **changes, credentials=sealed
        )
    if integration is None:
        raise ApiError(404, "not_found", "No such integration in this organization.")
    return integration


@delete(
    "/v1/orgs/{org_id:uuid}/integrations/{integration_id:uuid}",
    operation_id="integrations_remove",
    tags=["integrations"],
    status_code=204,
    opt=MANAGE,
)
async def remove_integration(
    db: NamedDependency[Db], integration_id: FromPath[UUID]
) -> Response[None]:
    """Disconnect and forget an account (`integrations.manage`)."""
    if await db.scalar(Q.integration_remove, id=integration_id) is None:
        raise ApiError(404, "not_found", "No such integration in this organization.")
    return Response(None, status_code=204)
