"""Custom domains: add, verify ownership through DNS, choose the primary, remove."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

import msgspec
from litestar import Request, Response, delete, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from app.api.common import PAYMENT_REQUIRED, Body
from app.api.errors import ApiError
from app.api.scope import Db, requires
from app.db.queries import catalogue
from app.domains.billing.entitlements import require_tier_entitlement
from app.domains.tenancy import dns_verification, public

DomainName = Annotated[str, msgspec.Meta(min_length=4, max_length=253, pattern=r"^[A-Za-z0-9.-]+$")]


Q = catalogue("tenancy")


class Domain(msgspec.Struct):
    id: UUID
    domain: str
    verified_at: datetime | None
    is_primary: bool
    verification_record: str
    verification_value: str
    created_at: datetime


class AddDomain(Body):
    domain: DomainName


class _Stored(msgspec.Struct):
    id: UUID
    domain: str
    verified_at: datetime | None
    is_primary: bool
    verification_token: str
    created_at: datetime

    def shaped(self) -> Domain:
        return Domain(
            self.id,
            self.domain,
            self.verified_at,
            self.is_primary,
            dns_verification.record_name(self.domain),
            dns_verification.expected_value(self.verification_token),
            self.created_at,
        )


async def _stored(db: Db, domain_id: UUID) -> _Stored:
    stored = await db.row(Q.domain_by_id, _Stored, id=domain_id)
    if stored is None:
        raise ApiError(404, "not_found", "No such domain in this organization.")
    return stored


def _changed(request: Request, db: Db, domain: str) -> None:
    request.state.invalidate_orgs = [db.org_id]
    request.state.invalidate_keys = [public.host_key(domain)]


@get("/v1/orgs/{org_id:uuid}/domains", operation_id="domains_list", tags=["domains"])
async def list_domains(db: NamedDependency[Db]) -> list[Domain]:
    """The organization's domains with the DNS record each must publish."""
    return [stored.shaped() for stored in await db.rows(Q.domains_list, _Stored)]


@post(
    "/v1/orgs/{org_id:uuid}/domains",
    operation_id="domains_add",
    tags=["domains"],
    responses=PAYMENT_REQUIRED,
)
async def add_domain(
    db: NamedDependency[Db], data: JSONBody[AddDomain], request: Request
) -> Response[Domain]:
    """Add a domain (`domains.manage`); it routes only once verified."""
    await require_tier_entitlement(db, "custom_domains")
    domain_id = await db.scalar(Q.domain_add, domain=data.domain)
    added = await _stored(db, domain_id)
    _changed(request, db, added.domain)
    return Response(added.shaped(), status_code=201)


@post(
    "/v1/orgs/{org_id:uuid}/domains/{domain_id:uuid}/verify",
    operation_id="domains_verify",
    tags=["domains"],
    status_code=200,
    opt=requires("domains.manage"),
)
async def verify_domain(
    db: NamedDependency[Db], domain_id: FromPath[UUID], request: Request
) -> Domain:
    """Look up the TXT record now; 409 `domain_not_verified` when it is not there."""
    stored = await _stored(db, domain_id)
    token = stored.verification_token
    if not await dns_verification.has_verification_record(stored.domain, token):
        raise ApiError(
            409,
            "domain_not_verified",
            "The verification record was not found for this domain.",
            {
                "record": dns_verification.record_name(stored.domain),
                "value": dns_verification.expected_value(token),
            },
        )
    await db.execute(Q.domain_mark_verified, id=domain_id)
    _changed(request, db, stored.domain)
    return (await _stored(db, domain_id)).shaped()


@post(
    "/v1/orgs/{org_id:uuid}/domains/{domain_id:uuid}/primary",
    operation_id="domains_set_primary",
    tags=["domains"],
    status_code=200,
)
async def set_primary_domain(
    db: NamedDependency[Db], domain_id: FromPath[UUID], request: Request
) -> Domain:
    """Make a verified domain the primary one."""
    await db.execute(Q.domain_set_primary, id=domain_id)
    primary = await _stored(db, domain_id)
    _changed(request, db, primary.domain)
    return primary.shaped()


@delete(
    "/v1/orgs/{org_id:uuid}/domains/{domain_id:uuid}",
    operation_id="domains_remove",
    tags=["domains"],
    status_code=204,
)
async def remove_domain(
    db: NamedDependency[Db], domain_id: FromPath[UUID], request: Request
) -> Response[None]:
    """Remove a domain."""
    stored = await _stored(db, domain_id)
    await db.execute(Q.domain_remove, id=domain_id)
    _changed(request, db, stored.domain)
    return Response(None, status_code=204)
