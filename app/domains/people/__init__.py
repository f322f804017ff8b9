"""People: patient profiles (the person), their caregivers, and the patients of each
organization with the sharing gate between them."""

from app.domains import Domain

DOMAIN = Domain(
    name="people",
    summary=__doc__,
    depends=("iam", "tenancy", "events", "billing"),
    errors={
        "patient_not_found": 404,
        "profile_not_found": 404,
        "caregiver_not_found": 404,
        "caregiver_unknown": 422,
        "caregiver_is_patient": 422,
        "profile_exists": 409,
        "profile_owned_by_patient": 409,
        "invalid_field": 400,
        "invalid_search": 400,
    },
)
