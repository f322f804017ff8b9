"""Forms: custom fields a clinic records on its patients, appointments, specialists and
services (immutable versions, values validated in SQL); form templates published as immutable
versions with conditional items; the service forms a service asks for; and form instances a
patient, a caregiver with sign_forms or staff fill, complete and sign. A signed form is frozen
for every role; a signed consent form writes the consents ledger."""

from app.domains import Domain

DOMAIN = Domain(
    name="forms",
    summary=__doc__,
    depends=("iam", "tenancy", "events", "storage", "consent", "people", "catalog"),
    errors={
        "custom_field_not_found": 404,
        "form_template_not_found": 404,
        "form_not_found": 404,
        "service_form_not_found": 404,
        "service_not_found": 404,
        "patient_not_found": 404,
        "file_not_found": 404,
        "too_many_form_files": 409,
        "invalid_field": 400,
        "invalid_value": 422,
        "invalid_template": 422,
        "form_invalid": 422,
        "form_template_unpublished": 409,
        "form_not_editable": 409,
        "form_not_completed": 409,
        "form_signed_immutable": 409,
        "version_immutable": 409,
        "consent_not_granted": 409,
    },
)
