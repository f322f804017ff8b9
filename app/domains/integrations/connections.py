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

from app.api.common import IN_ORG, Body
from app.api.errors import ApiError
from app.api.scope import Db
from app.domains.integrations.credentials import integration_context, seal

Kind = Literal["google_calendar", "microsoft_calendar"]
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
    id: str
    kind: str
    account_label: str
    scopes: list[str]
    status: str
    last_error: str | None
    last_error_at: datetime | None
    has_credentials: bool
    connected_by: str | None
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


# Every column but the ciphertext: the request pool has no SELECT grant on it.
COLUMNS = """
id::text, kind, account_label, scopes, status, last_error, last_error_at, has_credentials,
connected_by::text, connected_at, updated_at
"""


def check_credentials_size(credentials: dict[str, str]) -> None:
    """Refuse oversize credentials before sealing (shared with the console's providers)."""
    if len(msgspec.json.encode(credentials)) > MAX_CREDENTIALS_BYTES:
        raise ApiError(
            400,
            "validation_failed",
            f"Credentials are at most {MAX_CREDENTIALS_BYTES} bytes of JSON.",
            {"fields": [{"field": "credentials", "source": "body", "message": "too large"}]},
        )


async def _require_manage(db: Db) -> None:
    await db.require_permission("integrations.manage")


async def _sealed(request: Request, db: Db, row_id: str, credentials: dict[str, str]) -> bytes:
    check_credentials_size(credentials)
    cipher = request.app.state.resources.field_cipher()
    context = integration_context(row_id, db.org_id)
    return await asyncio.to_thread(seal, cipher, credentials, context)


@get("/v1/orgs/{org_id:uuid}/integrations", **IN_ORG, tags=["integrations"])
async def list_integrations(db: NamedDependency[Db]) -> list[Integration]:
    """The organization's connected accounts (`integrations.manage`); never their secrets."""
    await _require_manage(db)
    rows = await db.all(
        f"SELECT {COLUMNS} FROM integrations.organization_integrations"
        " WHERE organization_id = %s ORDER BY kind, account_label, id",
        (db.org_id,),
    )
    return [Integration(*row) for row in rows]


@post("/v1/orgs/{org_id:uuid}/integrations", **IN_ORG, tags=["integrations"])
async def connect_integration(
    db: NamedDependency[Db], data: JSONBody[ConnectIntegration], request: Request
) -> Response[Integration]:
    """Connect an account (`integrations.manage`); the credentials are encrypted with the
    organization's key and can be replaced, never read back."""
    await _require_manage(db)
    row_id = str(uuid.uuid4())
    sealed = await _sealed(request, db, row_id, data.credentials)
    row = await db.one(
        f"""
        INSERT INTO integrations.organization_integrations
            (id, organization_id, kind, account_label, scopes, credentials_encrypted, connected_by)
        VALUES (%s, %s, %s, %s, %s, %s, iam.current_principal_id())
        RETURNING {COLUMNS}
        """,
        (row_id, db.org_id, data.kind, data.account_label, data.scopes, sealed),
    )
    return Response(Integration(*row), status_code=201)


@patch("/v1/orgs/{org_id:uuid}/integrations/{integration_id:uuid}", **IN_ORG, tags=["integrations"])
async def update_integration(
    db: NamedDependency[Db],
    integration_id: FromPath[UUID],
    data: JSONBody[UpdateIntegration],
    request: Request,
) -> Integration:
    """Rename, change scopes or status, or replace the credentials (`integrations.manage`).
    Setting `disconnected` also forgets the credentials."""
    await _require_manage(db)
    changes: dict[str, object] = {}
    if data.account_label is not None:
        changes["account_label"] = data.account_label
    if data.scopes is not None:
        changes["scopes"] = data.scopes
    if data.status is not None:
        changes["status"] = data.status
        if data.status == "connected":
            changes["last_error"] = None
            changes["last_error_at"] = None
    if data.credentials is not None:
        changes["credentials_encrypted"] = await _sealed(
            request, db, str(integration_id), data.credentials
        )
    assignments = (
        ", ".join(f"{column} = %s" for column in changes) or "account_label = account_label"
    )
    row = await db.one(
        f"UPDATE integrations.organization_integrations SET {assignments}"
        f" WHERE id = %s AND organization_id = %s RETURNING {COLUMNS}",
        (*changes.values(), str(integration_id), db.org_id),
    )
    if row is None:
        raise ApiError(404, "not_found", "No such integration in this organization.")
    return Integration(*row)


@delete(
    "/v1/orgs/{org_id:uuid}/integrations/{integration_id:uuid}",
    **IN_ORG,
    tags=["integrations"],
    status_code=204,
)
async def remove_integration(
    db: NamedDependency[Db], integration_id: FromPath[UUID]
) -> Response[None]:
    """Disconnect and forget an account (`integrations.manage`)."""
    await _require_manage(db)
    removed = await db.value(
        "DELETE FROM integrations.organization_integrations WHERE id = %s AND organization_id = %s"
        " RETURNING id",
        (str(integration_id), db.org_id),
    )
    if removed is None:
        raise ApiError(404, "not_found", "No such integration in this organization.")
    return Response(None, status_code=204)
