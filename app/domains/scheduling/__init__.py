"""Scheduling: specialists' weekly hours and date overrides, organization closures,
calendars with their specialists and assignment strategy, holds of a slot in Redis, and the
availability engine that turns all of it (and booked appointments) into free slots."""

from app.domains import Domain

DOMAIN = Domain(
    name="scheduling",
    summary=__doc__,
    depends=("iam", "tenancy", "events", "billing", "people", "catalog", "forms"),
    errors={
        "calendar_not_found": 404,
        "specialist_not_found": 404,
        "service_not_found": 404,
        "weekly_hours_not_found": 404,
        "schedule_override_not_found": 404,
        "closure_not_found": 404,
        "calendar_specialist_not_found": 404,
        "calendar_form_not_found": 404,
        "invalid_query": 400,
        "invalid_field": 400,
        "invalid_hours": 422,
        "overlapping_hours": 422,
        "invalid_timezone": 422,
        "calendar_slug_taken": 409,
        "closure_exists": 409,
        "specialist_not_free": 409,
        "no_specialist_free": 409,
        "specialist_required": 422,
        "hold_token_in_use": 409,
        "too_many_holds": 429,
        "hold_not_found": 404,
    },
)
