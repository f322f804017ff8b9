"""The consents ledger over HTTP: a human's own consents, an organization's view of who
consented to what, and publishing terms, notices and consent texts (docs/consent.md)."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

import msgspec
from litestar import Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromQuery, JSONBody

from app.api.common import Body, console_router, org_router, signed_in_router
from app.api.errors import ApiError
from app.api.lists import Listing, Page
from app.api.scope import Db, requires
from app.db.queries import catalogue
from app.domains.consent.events import ConsentPurpose as Purpose
from app.domains.consent.events import LegalBasis

Q = catalogue("consent")

Status = Literal["granted", "stale", "withdrawn"]
Action = Literal["grant", "withdraw"]
Title = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
Url = Annotated[str, msgspec.Meta(min_length=9, max_length=2000, pattern=r"^https://\S+$")]
Sha256 = Annotated[str, msgspec.Meta(pattern=r"^[0-9a-fA-F]{64}$")]


class ConsentState(msgspec.Struct):
    organization_id: UUID | None
    purpose: Purpose
    status: Status
    legal_basis: LegalBasis
    withdrawable: bool
    document_id: UUID | None
    document_version: int | None
    latest_document_version: int | None
    consent_id: UUID
    source: str
    since: datetime


class SubjectConsentState(msgspec.Struct):
    subject_principal_id: UUID
    purpose: Purpose
    status: Status
    legal_basis: LegalBasis
    withdrawable: bool
    document_id: UUID | None
    document_version: int | None
    latest_document_version: int | None
    consent_id: UUID
    source: str
    since: datetime


class LedgerEntry(msgspec.Struct):
    id: UUID
    organization_id: UUID | None
    purpose: Purpose
    action: Action
    legal_basis: LegalBasis
    withdrawable: bool
    document_id: UUID | None
    document_version: int | None
    source: str
    created_at: datetime


class _LedgerRow(LedgerEntry, kw_only=True):
    """A ledger row with the sequence number its pages are ordered by (not in the body)."""

    seq: int

    def entry(self) -> LedgerEntry:
        return LedgerEntry(**{f: getattr(self, f) for f in LedgerEntry.__struct_fields__})


class Document(msgspec.Struct):
    id: UUID
    organization_id: UUID | None
    scope: Literal["platform", "org"]
    purpose: Purpose
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


async def _own_state(db: Db, org_id: UUID | None, purpose: str) -> ConsentState:
    state = await db.row(Q.my_consent, ConsentState, organization_id=org_id, purpose=purpose)
    if state is None:
        raise ApiError(404, "not_found", "No consent recorded for this purpose.")
    return state


@get("/v1/me/consents", operation_id="my_consents_list", tags=["consents"])
async def list_my_consents(db: NamedDependency[Db]) -> list[ConsentState]:
    """The current state of every purpose the signed-in human has granted or withdrawn."""
    return await db.rows(Q.my_consents, ConsentState)


@get("/v1/me/consents/history", operation_id="my_consents_history", tags=["consents"])
async def my_consent_history(
    db: NamedDependency[Db], listing: NamedDependency[Listing]
) -> Page[LedgerEntry]:
    """Every grant and withdrawal of the signed-in human, newest first (append-only)."""
    page = await db.page(Q.my_consent_history, _LedgerRow, listing)
    return Page([row.entry() for row in page.items], page.next_cursor)


@post("/v1/me/consents", operation_id="my_consents_grant", tags=["consents"])
async def grant_consent(
    db: NamedDependency[Db], data: JSONBody[GrantConsent]
) -> Response[ConsentState]:
    """Grant (or acknowledge) a purpose, for the platform or for one organization; the
    newest published document unless `document_id` names the version that was shown."""
    await db.execute(
        Q.grant_consent,
        organization_id=data.organization_id,
        purpose=data.purpose,
        document_id=data.document_id,
    )
    return Response(await _own_state(db, data.organization_id, data.purpose), status_code=201)


@post(
    "/v1/me/consents/withdraw",
    operation_id="my_consents_withdraw",
    tags=["consents"],
    status_code=200,
)
async def withdraw_consent(
    db: NamedDependency[Db], data: JSONBody[WithdrawConsent]
) -> ConsentState:
    """Withdraw a consent-based grant; terms and notices (contract, legal obligation) are
    refused with `consent_not_withdrawable`."""
    await db.execute(Q.withdraw_consent, organization_id=data.organization_id, purpose=data.purpose)
    return await _own_state(db, data.organization_id, data.purpose)


@get("/v1/consent-documents", operation_id="consent_documents_list", tags=["consents"])
async def list_documents(
    db: NamedDependency[Db],
    organization_id: FromQuery[UUID | None] = None,
    purpose: FromQuery[Purpose | None] = None,
    all_versions: FromQuery[bool] = False,
) -> list[Document]:
    """Published documents of an organization (or, without one, of the platform): the
    newest version of each purpose, or every version with `all_versions=true`."""
    return await db.rows(
        Q.documents_list,
        Document,
        organization_id=organization_id,
        purpose=purpose,
        all_versions=all_versions,
    )


async def _publish(db: Db, org_id: str | None, data: PublishDocument) -> Response[Document]:
    document_id = await db.scalar(
        Q.publish_document,
        organization_id=org_id,
        purpose=data.purpose,
        title=data.title,
        url=data.url,
        content_sha256=data.content_sha256,
        requires_reconsent=data.requires_reconsent,
    )
    document = await db.row(Q.document_by_id, Document, id=document_id)
    assert document is not None
    return Response(document, status_code=201)


@post(
    "/v1/orgs/{org_id:uuid}/consent-documents",
    operation_id="consent_documents_publish",
    tags=["consents"],
)
async def publish_org_document(
    db: NamedDependency[Db], data: JSONBody[PublishDocument]
) -> Response[Document]:
    """Publish the next version of the organization's terms, notice or consent text
    (`consents.manage_documents`, checked by consent.publish_document)."""
    return await _publish(db, db.org_id, data)


@post(
    "/v1/console/consent-documents",
    operation_id="console_consent_documents_publish",
    tags=["console"],
)
async def publish_platform_document(
    db: NamedDependency[Db], data: JSONBody[PublishDocument]
) -> Response[Document]:
    """Publish the next version of the platform terms or privacy notice (platform admins)."""
    return await _publish(db, None, data)


# Person then purpose unless the client asks otherwise; (subject, purpose) is unique in an
# organization, so the key that ends the order never reorders it.
_ORG_CONSENTS_ORDER = "subject_principal_id,purpose"


@get(
    "/v1/orgs/{org_id:uuid}/consents",
    operation_id="consents_list",
    tags=["consents"],
    opt=requires("consents.read"),
)
async def list_org_consents(
    db: NamedDependency[Db],
    listing: NamedDependency[Listing],
    purpose: FromQuery[Purpose | None] = None,
    status: FromQuery[Status | None] = None,
    subject: FromQuery[UUID | None] = None,
) -> Page[SubjectConsentState]:
    """Who consented to what in this organization, one row per person and purpose
    (`consents.read`), ordered by person then purpose."""
    listing = dataclasses.replace(listing, sort=listing.sort or _ORG_CONSENTS_ORDER)
    return await db.page(
        Q.org_consents_list,
        SubjectConsentState,
        listing,
        purpose=purpose,
        status=status,
        subject=subject,
    )


ROUTERS = [
    signed_in_router(
        list_my_consents, my_consent_history, grant_consent, withdraw_consent, list_documents
    ),
    org_router(publish_org_document, list_org_consents),
    console_router(publish_platform_document),
]
