"""Appointments: booked time of a specialist for a patient. Booking re-checks availability
under a per-specialist lock and can never double book (an exclusion constraint); a state
machine in SQL moves an appointment from requested to done, cancelled or no-show, and gives
a used plan session back when a cancellation allows it."""

from app.domains import Domain

DOMAIN = Domain(
    name="appointments",
    summary=__doc__,
    depends=("iam", "tenancy", "events", "billing", "people", "catalog", "scheduling"),
    errors={
        "appointment_not_found": 404,
        "patient_not_found": 404,
        "calendar_not_found": 404,
        "slot_taken": 409,
        "invalid_transition": 409,
        "appointment_started": 409,
        "calendar_inactive": 409,
        "invalid_field": 400,
        "hold_invalid": 409,
        "consent_required": 409,
        "forms_required": 409,
        "sign_in_required": 409,
        "form_invalid": 422,
    },
)
