"""Custom domains: add, verify ownership through DNS, choose the primary, remove."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

import msgspec
from litestar import Request, Response, delete, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from app.api.common import ERRORS, IN_ORG, PAYMENT_REQUIRED, Body
from app.api.errors import ApiError
from app.api.scope import Db
from app.domains.billing.entitlements import require_tier_entitlement
from app.domains.tenancy import dns_verification, public

DomainName = Annotated[str, msgspec.Meta(min_length=4, max_length=253, pattern=r"^[A-Za-z0-9.-]+$")]


class Domain(msgspec.Struct):
    id: str
    domain: str
    verified_at: datetime | None
    is_primary: bool
    verification_record: str
    verification_value: str
    created_at: datetime


class AddDomain(Body):
    domain: DomainName


DOMAIN_SQL = """
SELECT id::text, domain, verified_at, is_primary, verification_token, created_at
FROM tenancy.organization_domains WHERE organization_id = %s
"""


def _shape(row: tuple) -> Domain:
    domain_id, domain, verified_at, is_primary, token, created_at = row
    return Domain(
        domain_id,
        domain,
        verified_at,
        is_primary,
        dns_verification.record_name(domain),
        dns_verification.expected_value(token),
        created_at,
    )


async def _load(db: NamedDependency[Db], domain_id: FromPath[UUID] | str) -> Domain:
    row = await db.one(DOMAIN_SQL + " AND id = %s", (db.org_id, str(domain_id)))
    if row is None:
        raise ApiError(404, "not_found", "No such domain in this organization.")
    return _shape(row)


def _changed(request: Request, db: Db, domain: str) -> None:
    request.state.invalidate_orgs = [db.org_id]
    request.state.invalidate_keys = [public.host_key(domain)]


@get(
    "/v1/orgs/{org_id:uuid}/domains",
    **IN_ORG,
    tags=["domains"],
)
async def list_domains(db: NamedDependency[Db]) -> list[Domain]:
    """The organization's domains with the DNS record each must publish."""
    return [_shape(row) for row in await db.all(DOMAIN_SQL + " ORDER BY domain", (db.org_id,))]


@post(
    "/v1/orgs/{org_id:uuid}/domains",
    **{**IN_ORG, "responses": {**ERRORS, **PAYMENT_REQUIRED}},
    tags=["domains"],
)
async def add_domain(
    db: NamedDependency[Db], data: JSONBody[AddDomain], request: Request
) -> Response[Domain]:
    """Add a domain (`domains.manage`); it routes only once verified."""
    await require_tier_entitlement(db, "custom_domains")
    domain_id = await db.value("SELECT tenancy.add_domain(%s)", (data.domain,))
    added = await _load(db, str(domain_id))
    _changed(request, db, added.domain)
    return Response(added, status_code=201)


@post(
    "/v1/orgs/{org_id:uuid}/domains/{domain_id:uuid}/verify",
    **IN_ORG,
    tags=["domains"],
    status_code=200,
)
async def verify_domain(
    db: NamedDependency[Db], domain_id: FromPath[UUID], request: Request
) -> Domain:
    """Look up the TXT record now; 409 `domain_not_verified` when it is not there."""
    await db.require_permission("domains.manage")
    row = await db.one(DOMAIN_SQL + " AND id = %s", (db.org_id, str(domain_id)))
    if row is None:
        raise ApiError(404, "not_found", "No such domain in this organization.")
    if not await dns_verification.has_verification_record(row[1], row[4]):
        raise ApiError(
            409,
            "domain_not_verified",
            "The verification record was not found for this domain.",
            {
                "record": dns_verification.record_name(row[1]),
                "value": dns_verification.expected_value(row[4]),
            },
        )
    await db.value("SELECT tenancy.mark_domain_verified(%s)", (str(domain_id),))
    _changed(request, db, row[1])
    return await _load(db, domain_id)


@post(
    "/v1/orgs/{org_id:uuid}/domains/{domain_id:uuid}/primary",
    **IN_ORG,
    tags=["domains"],
    status_code=200,
)
async def set_primary_domain(
    db: NamedDependency[Db], domain_id: FromPath[UUID], request: Request
) -> Domain:
    """Make a verified domain the primary one."""
    await db.value("SELECT tenancy.set_primary_domain(%s)", (str(domain_id),))
    primary = await _load(db, domain_id)
    _changed(request, db, primary.domain)
    return primary


@delete(
    "/v1/orgs/{org_id:uuid}/domains/{domain_id:uuid}",
    **IN_ORG,
    tags=["domains"],
    status_code=204,
)
async def remove_domain(
    db: NamedDependency[Db], domain_id: FromPath[UUID], request: Request
) -> Response[None]:
    """Remove a domain."""
    name = await db.value(
        "SELECT domain FROM tenancy.organization_domains WHERE organization_id = %s AND id = %s",
        (db.org_id, str(domain_id)),
    )
    await db.value("SELECT tenancy.remove_domain(%s)", (str(domain_id),))
    _changed(request, db, str(name))
    return Response(None, status_code=204)
