"""Appointments: booked time of a specialist for a patient. Booking re-checks availability
under a per-specialist lock and can never double book (an exclusion constraint); a state
machine in SQL moves an appointment from requested to done, cancelled or no-show, and gives
a used plan session back when a cancellation allows it. The clinic and the patient attach
files to an appointment through storage's upload path; the patient rates a done appointment
once. A video appointment gets a room at the platform's video provider while it is in
progress, its minutes metered."""

from app.domains import Domain

DOMAIN = Domain(
    name="appointments",
    summary=__doc__,
    depends=(
        "iam",
        "tenancy",
        "events",
        "billing",
        "people",
        "catalog",
        "scheduling",
        "storage",
        "integrations",
        "metering",
        "consent",
        "forms",
    ),
    errors={
        "appointment_not_found": 404,
        "patient_not_found": 404,
        "calendar_not_found": 404,
        "series_not_found": 404,
        "calendar_feed_not_found": 404,
        "series_unavailable": 409,
        "slot_taken": 409,
        "invalid_transition": 409,
        "appointment_started": 409,
        "calendar_inactive": 409,
        "consent_required": 409,
        "forms_required": 409,
        "invalid_field": 400,
        "appointment_not_done": 409,
        "review_exists": 409,
        "review_not_found": 404,
        "too_many_appointment_files": 422,
        "appointment_closed": 409,
        "video_room_not_ready": 409,
        "video_provider_unavailable": 503,
        "hold_invalid": 409,
        "sign_in_required": 409,
        "form_invalid": 422,
    },
)
