"""Catalog: what a clinic sells. Services (a single visit), service plans published as
immutable versions (session packs, memberships, telerehab programmes), patients' enrollments
in a plan version with the sessions they use, and a reference catalog of products."""

from app.domains import Domain

DOMAIN = Domain(
    name="catalog",
    summary=__doc__,
    depends=("iam", "tenancy", "events", "billing", "people"),
    errors={
        "service_not_found": 404,
        "service_plan_not_found": 404,
        "product_not_found": 404,
        "plan_enrollment_not_found": 404,
        "patient_not_found": 404,
        "invalid_field": 400,
        "service_plan_inactive": 409,
        "plan_exhausted": 409,
        "plan_expired": 409,
        "plan_revoked": 409,
        "plan_not_started": 409,
        "plan_has_no_sessions": 409,
        "appointment_already_consumed": 409,
        "plan_version_immutable": 409,
        "currency_mismatch": 422,
        "invalid_period": 422,
        "too_many_specialists": 422,
        "too_many_inclusions": 422,
        "duplicate_inclusion": 422,
        "too_many_attachments": 422,
        "attachment_not_found": 404,
    },
)
