"""The consents ledger over HTTP: a human's own consents, an organization's view of who
consented to what, and publishing terms, notices and consent texts (docs/consents.md)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

import msgspec
from litestar import Response, Router, get, post
from litestar.di import NamedDependency
from litestar.params import FromQuery, JSONBody, QueryParameter
from psycopg import sql

from app.api.common import IN_ORG, SIGNED_IN, Body
from app.api.errors import ApiError
from app.api.pagination import Page, decode_cursor, encode_cursor, parse_limit
from app.api.scope import Db
from app.domains.consent.events import ConsentPurpose as Purpose

Status = Literal["granted", "stale", "withdrawn"]
Title = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
Url = Annotated[str, msgspec.Meta(min_length=9, max_length=2000, pattern=r"^https://\S+$")]
Sha256 = Annotated[str, msgspec.Meta(pattern=r"^[0-9a-fA-F]{64}$")]


class ConsentState(msgspec.Struct):
    organization_id: str | None
    purpose: str
    status: str
    legal_basis: str
    withdrawable: bool
    document_id: str | None
    document_version: int | None
    latest_document_version: int | None
    consent_id: str
    source: str
    since: datetime


class SubjectConsentState(msgspec.Struct):
    subject_principal_id: str
    purpose: str
    status: str
    legal_basis: str
    withdrawable: bool
    document_id: str | None
    document_version: int | None
    latest_document_version: int | None
    consent_id: str
    source: str
    since: datetime


class LedgerEntry(msgspec.Struct):
    id: str
    organization_id: str | None
    purpose: str
    action: str
    legal_basis: str
    withdrawable: bool
    document_id: str | None
    document_version: int | None
    source: str
    created_at: datetime


class Document(msgspec.Struct):
    id: str
    organization_id: str | None
    scope: str
    purpose: str
    version: int
    title: str
    url: str
    content_sha256: str
    requires_reconsent: bool
    published_at: datetime


class GrantConsent(Body):
    purpose: Purpose
    organization_id: UUID | None = None
    document_id: UUID | None = None


class WithdrawConsent(Body):
    purpose: Purpose
    organization_id: UUID | None = None


class PublishDocument(Body):
    purpose: Purpose
    title: Title
    url: Url
    content_sha256: Sha256
    requires_reconsent: bool = True


STATE_COLUMNS = """
organization_id::text, purpose, status, legal_basis, withdrawable, document_id::text,
document_version, latest_document_version, consent_id::text, source, since
"""

DOCUMENT_COLUMNS = """
id::text, organization_id::text, scope, purpose, version, title, url, content_sha256,
requires_reconsent, published_at
"""
DOCUMENT_SQL = f"SELECT {DOCUMENT_COLUMNS} FROM consent.documents"


async def _own_state(db: Db, org_id: UUID | None, purpose: str) -> ConsentState:
    row = await db.one(
        f"SELECT {STATE_COLUMNS} FROM consent.current_state(iam.current_principal_id(), %s)"
        " WHERE purpose = %s AND organization_id IS NOT DISTINCT FROM %s",
        (str(org_id) if org_id else None, purpose, str(org_id) if org_id else None),
    )
    if row is None:
        raise ApiError(404, "not_found", "No consent recorded for this purpose.")
    return ConsentState(*row)


@get("/v1/me/consents", **SIGNED_IN, tags=["consents"])
async def list_my_consents(db: NamedDependency[Db]) -> list[ConsentState]:
    """The current state of every purpose the signed-in human has granted or withdrawn."""
    rows = await db.all(
        f"SELECT {STATE_COLUMNS} FROM consent.current_state(iam.current_principal_id(), NULL)"
        " ORDER BY organization_id NULLS FIRST, purpose"
    )
    return [ConsentState(*row) for row in rows]


@get("/v1/me/consents/history", **SIGNED_IN, tags=["consents"])
async def my_consent_history(
    db: NamedDependency[Db],
    limit: Annotated[int | None, QueryParameter(ge=1, le=100)] = None,
    cursor: Annotated[str | None, QueryParameter(max_length=1024)] = None,
) -> Page[LedgerEntry]:
    """Every grant and withdrawal of the signed-in human, newest first (append-only)."""
    size = parse_limit(limit)
    after = decode_cursor(cursor)
    if after is not None and (len(after) != 1 or not isinstance(after[0], int)):
        raise ApiError(400, "invalid_cursor", "The pagination cursor is not valid.")
    rows = await db.all(
        """
        SELECT id::text, organization_id::text, purpose, action, legal_basis, withdrawable,
               document_id::text, document_version, source, created_at, seq
        FROM consent.consents
        WHERE subject_principal_id = iam.current_principal_id()
          AND (%(after)s::bigint IS NULL OR seq < %(after)s::bigint)
        ORDER BY seq DESC LIMIT %(limit)s
        """,
        {"after": after[0] if after else None, "limit": size + 1},
    )
    items = [LedgerEntry(*row[:-1]) for row in rows[:size]]
    next_cursor = encode_cursor([rows[size - 1][-1]]) if len(rows) > size else None
    return Page(items, next_cursor)


@post("/v1/me/consents", **SIGNED_IN, tags=["consents"])
async def grant_consent(
    db: NamedDependency[Db], data: JSONBody[GrantConsent]
) -> Response[ConsentState]:
    """Grant (or acknowledge) a purpose, for the platform or for one organization; the
    newest published document unless `document_id` names the version that was shown."""
    await db.value(
        "SELECT consent.grant_consent(%s, %s, %s)",
        (
            str(data.organization_id) if data.organization_id else None,
            data.purpose,
            str(data.document_id) if data.document_id else None,
        ),
    )
    return Response(await _own_state(db, data.organization_id, data.purpose), status_code=201)


@post("/v1/me/consents/withdraw", **SIGNED_IN, tags=["consents"], status_code=200)
async def withdraw_consent(
    db: NamedDependency[Db], data: JSONBody[WithdrawConsent]
) -> ConsentState:
    """Withdraw a consent-based grant; terms and notices (contract, legal obligation) are
    refused with `consent_not_withdrawable`."""
    await db.value(
        "SELECT consent.withdraw_consent(%s, %s)",
        (str(data.organization_id) if data.organization_id else None, data.purpose),
    )
    return await _own_state(db, data.organization_id, data.purpose)


@get("/v1/consent-documents", **SIGNED_IN, tags=["consents"])
async def list_documents(
    db: NamedDependency[Db],
    organization_id: FromQuery[UUID | None] = None,
    purpose: FromQuery[Purpose | None] = None,
    all_versions: FromQuery[bool] = False,
) -> list[Document]:
    """Published documents of an organization (or, without one, of the platform): the
    newest version of each purpose, or every version with `all_versions=true`."""
    filters = [
        sql.SQL("organization_id = %s") if organization_id else sql.SQL("organization_id IS NULL")
    ]
    params: list = [str(organization_id)] if organization_id else []
    if purpose:
        filters.append(sql.SQL("purpose = %s"))
        params.append(purpose)
    distinct = "" if all_versions else "DISTINCT ON (purpose) "
    query = sql.SQL(
        "SELECT " + distinct + DOCUMENT_COLUMNS + " FROM consent.documents WHERE {}"
        " ORDER BY purpose, version DESC"
    ).format(sql.SQL(" AND ").join(filters))
    return [Document(*row) for row in await db.all(query, params)]


async def _document(db: Db, document_id: object) -> Document:
    row = await db.one(DOCUMENT_SQL + " WHERE id = %s", (str(document_id),))
    assert row is not None
    return Document(*row)


async def _publish(db: Db, org_id: str | None, data: PublishDocument) -> Response[Document]:
    document_id = await db.value(
        "SELECT consent.publish_document(%s, %s, %s, %s, %s, %s)",
        (org_id, data.purpose, data.title, data.url, data.content_sha256, data.requires_reconsent),
    )
    return Response(await _document(db, document_id), status_code=201)


@post("/v1/orgs/{org_id:uuid}/consent-documents", **IN_ORG, tags=["consents"])
async def publish_org_document(
    db: NamedDependency[Db], data: JSONBody[PublishDocument]
) -> Response[Document]:
    """Publish the next version of the organization's terms, notice or consent text
    (`consents.manage_documents`)."""
    return await _publish(db, db.org_id, data)


@post("/v1/console/consent-documents", **SIGNED_IN, tags=["console"])
async def publish_platform_document(
    db: NamedDependency[Db], data: JSONBody[PublishDocument]
) -> Response[Document]:
    """Publish the next version of the platform terms or privacy notice (platform admins)."""
    await db.require_platform_admin()
    return await _publish(db, None, data)


@get("/v1/orgs/{org_id:uuid}/consents", **IN_ORG, tags=["consents"])
async def list_org_consents(
    db: NamedDependency[Db],
    purpose: FromQuery[Purpose | None] = None,
    status: FromQuery[Status | None] = None,
    subject: FromQuery[UUID | None] = None,
    limit: Annotated[int | None, QueryParameter(ge=1, le=100)] = None,
    cursor: Annotated[str | None, QueryParameter(max_length=1024)] = None,
) -> Page[SubjectConsentState]:
    """Who consented to what in this organization, one row per person and purpose
    (`consents.read`), ordered by person then purpose."""
    await db.require_permission("consents.read")
    size = parse_limit(limit)
    after = decode_cursor(cursor)
    if after is not None and (len(after) != 2 or not all(isinstance(v, str) for v in after)):
        raise ApiError(400, "invalid_cursor", "The pagination cursor is not valid.")
    filters = [sql.SQL("organization_id = %s")]
    params: list = [db.org_id]
    for column, value in (
        ("purpose", purpose),
        ("status", status),
        ("subject_principal_id", str(subject) if subject else None),
    ):
        if value is not None:
            filters.append(sql.SQL("{} = %s").format(sql.Identifier(column)))
            params.append(value)
    if after is not None:
        try:
            UUID(after[0])
        except ValueError:
            raise ApiError(400, "invalid_cursor", "The pagination cursor is not valid.") from None
        filters.append(sql.SQL("(subject_principal_id, purpose) > (%s::uuid, %s)"))
        params += after
    query = (
        sql.SQL(
            "SELECT subject_principal_id::text, purpose, status, legal_basis, withdrawable,"
            " document_id::text, document_version, latest_document_version, consent_id::text,"
            " source, since FROM consent.current_state(NULL, %s) WHERE "
        )
        + sql.SQL(" AND ").join(filters)
        + sql.SQL(" ORDER BY subject_principal_id, purpose LIMIT %s")
    )
    rows = await db.all(query, [db.org_id, *params, size + 1])
    items = [SubjectConsentState(*row) for row in rows[:size]]
    next_cursor = (
        encode_cursor([items[-1].subject_principal_id, items[-1].purpose])
        if len(rows) > size
        else None
    )
    return Page(items, next_cursor)


ROUTERS = [
    Router(
        path="/",
        route_handlers=[
            list_my_consents,
            my_consent_history,
            grant_consent,
            withdraw_consent,
            list_documents,
            publish_org_document,
            publish_platform_document,
            list_org_consents,
        ],
    )
]
