"""People: patient profiles (the person), their caregivers, and the patients of each
organization with the sharing gate between them; the specialists of each organization,
their specialties and signatures; patients' subscriptions to patient tiers and portal
onboarding."""

from app.domains import Domain

DOMAIN = Domain(
    name="people",
    summary=__doc__,
    depends=("iam", "tenancy", "events", "billing", "storage"),
    errors={
        "patient_not_found": 404,
        "profile_not_found": 404,
        "caregiver_not_found": 404,
        "caregiver_unknown": 422,
        "caregiver_is_patient": 422,
        "profile_exists": 409,
        "profile_owned_by_patient": 409,
        "invalid_field": 400,
        "specialist_not_found": 404,
        "specialty_not_found": 404,
        "signature_not_set": 404,
        "specialty_unknown": 422,
        "specialist_human_not_member": 422,
        "invalid_timezone": 422,
        "file_in_use": 409,
        "patient_tier_not_found": 404,
        "patient_subscription_not_found": 404,
        "patient_override_not_found": 404,
        "unknown_entitlement": 422,
        "organization_not_active": 403,
        "invalid_search": 400,
    },
)
