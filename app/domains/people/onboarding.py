"""`POST /v1/portal/onboard`: a signed-in human becomes a patient of the clinic whose portal
they are on. The clinic is named by host or slug and resolved exactly as the public resolve
does (`tenancy.resolve_org*`); their profile (claimed from a guest profile with their email,
reused or created), the patient row and the default tier's subscription are made in one
transaction by `people.onboard`. Onboarding again returns the same patient (200, not 201)."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

import msgspec
from litestar import Response, post
from litestar.di import NamedDependency
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import JSONBody

from app.api.common import PAYMENT_REQUIRED
from app.api.errors import ApiError
from app.api.scope import Db
from app.db.queries import catalogue
from app.domains.people.me import ProfileFields
from app.domains.people.patients import PersonName
from app.domains.people.subscriptions import PatientTierSubscription, current_row

Q = catalogue("people")

Host = Annotated[str, msgspec.Meta(min_length=1, max_length=260)]
PortalSlug = Annotated[str, msgspec.Meta(min_length=1, max_length=63)]


class Onboard(ProfileFields, kw_only=True):
    """Exactly one of `host` (the portal's host name) or `slug`. The profile fields are set on
    your profile; a first onboarding without a profile to claim needs both names."""

    host: Host | None = None
    slug: PortalSlug | None = None
    first_name: PersonName | None = None
    last_name: PersonName | None = None


class OnboardRow(msgspec.Struct):
    patient_id: UUID
    organization_id: UUID
    patient_profile_id: UUID
    patient_subscription_id: UUID
    created: bool
    claimed: bool


class Onboarded(OnboardRow, kw_only=True):
    """`created`: the patient row is new (201); `claimed`: a guest profile the clinic made
    with your email became yours."""

    subscription: PatientTierSubscription


@post(
    "/v1/portal/onboard",
    operation_id="portal_onboard",
    tags=["portal"],
    status_code=200,
    responses={
        201: ResponseSpec(data_container=Onboarded, description="A new patient of the clinic."),
        **PAYMENT_REQUIRED,
    },
)
async def onboard(db: NamedDependency[Db], data: JSONBody[Onboard]) -> Response[Onboarded]:
    """Become a patient of the clinic a host or slug names, on its default patient tier
    (counts against the clinic's `patients.max`): 201 for a new patient, 200 when you
    already are one (the same patient)."""
    if (data.host is None) == (data.slug is None):
        raise ApiError(
            400,
            "validation_failed",
            "Give exactly one of host or slug.",
            {"fields": [{"field": "host", "source": "body", "message": "host xor slug"}]},
        )
    fields = {
        f: getattr(data, f)
        for f in data.__struct_fields__
        if f not in ("host", "slug") and getattr(data, f) is not None
    }
    row = await db.row(
        Q.portal_onboard,
        OnboardRow,
        host=data.host,
        slug=data.slug,
        fields=msgspec.json.encode(fields).decode(),
    )
    subscription = await current_row(db, row.patient_id)
    body = Onboarded(**msgspec.structs.asdict(row), subscription=subscription)
    return Response(body, status_code=201 if row.created else 200)
