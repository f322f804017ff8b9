"""The events scheduling publishes: ids, flags and reasons only, never a time of a patient's
visit or a name (a consumer that needs more reads it under RLS). Each field's line in
docs/events.md names the registry column it carries."""

from __future__ import annotations

import uuid
from typing import ClassVar, Literal

from app.classification import COLUMN_NAMES
from app.domains.events.payload import Payload

CalendarField = Literal[
    "name",
    "slug",
    "service_id",
    "modality",
    "assignment_strategy",
    "slot_interval_minutes",
    "min_notice_minutes",
    "max_advance_days",
    "buffer_before_minutes",
    "buffer_after_minutes",
    "hours",
    "timezone",
    "public",
    "active",
]
AvailabilityReason = Literal["hours", "closure", "calendar", "hold"]


class CalendarCreated(Payload):
    """A calendar was added for one of the organization's services."""

    TYPE: ClassVar[str] = "calendar.created"
    VERSION: ClassVar[int] = 1
    CARRIES: ClassVar[dict[str, str]] = {
        "calendar_id": "scheduling.calendars.id",
        "service_id": "scheduling.calendars.service_id",
        "public": "scheduling.calendars.public",
    }
    calendar_id: uuid.UUID
    service_id: uuid.UUID
    public: bool


class CalendarUpdated(Payload):
    """Fields of a calendar changed (`changed` names which)."""

    TYPE: ClassVar[str] = "calendar.updated"
    VERSION: ClassVar[int] = 1
    CARRIES: ClassVar[dict[str, str]] = {
        "calendar_id": "scheduling.calendars.id",
        "changed": COLUMN_NAMES,
    }
    calendar_id: uuid.UUID
    changed: list[CalendarField]


class CalendarDeleted(Payload):
    """A calendar was soft-deleted; it offers no more slots."""

    TYPE: ClassVar[str] = "calendar.deleted"
    VERSION: ClassVar[int] = 1
    CARRIES: ClassVar[dict[str, str]] = {
        "calendar_id": "scheduling.calendars.id",
    }
    calendar_id: uuid.UUID


class CalendarSpecialistSet(Payload):
    """A specialist was put on a calendar, or their priority or calendar hours changed."""

    TYPE: ClassVar[str] = "calendar.specialist_set"
    VERSION: ClassVar[int] = 1
    CARRIES: ClassVar[dict[str, str]] = {
        "calendar_id": "scheduling.calendar_specialists.calendar_id",
        "specialist_id": "scheduling.calendar_specialists.specialist_id",
        "priority": "scheduling.calendar_specialists.priority",
    }
    WITHHELD: ClassVar[frozenset[str]] = frozenset({"has_hours"})
    calendar_id: uuid.UUID
    specialist_id: uuid.UUID
    priority: int
    has_hours: bool


class CalendarSpecialistRemoved(Payload):
    """A specialist was taken off a calendar."""

    TYPE: ClassVar[str] = "calendar.specialist_removed"
    VERSION: ClassVar[int] = 1
    CARRIES: ClassVar[dict[str, str]] = {
        "calendar_id": "scheduling.calendar_specialists.calendar_id",
        "specialist_id": "scheduling.calendar_specialists.specialist_id",
    }
    calendar_id: uuid.UUID
    specialist_id: uuid.UUID


class CalendarFormSet(Payload):
    """A calendar asks for a form template, or its `required` changed."""

    TYPE: ClassVar[str] = "calendar.form_set"
    VERSION: ClassVar[int] = 1
    CARRIES: ClassVar[dict[str, str]] = {
        "calendar_form_id": "scheduling.calendar_forms.id",
        "calendar_id": "scheduling.calendar_forms.calendar_id",
        "form_template_id": "scheduling.calendar_forms.form_template_id",
        "required": "scheduling.calendar_forms.required",
        "stage": "scheduling.calendar_forms.stage",
    }
    calendar_form_id: uuid.UUID
    calendar_id: uuid.UUID
    form_template_id: uuid.UUID
    required: bool
    stage: str


class CalendarFormRemoved(Payload):
    """A calendar no longer asks for a form template."""

    TYPE: ClassVar[str] = "calendar.form_removed"
    VERSION: ClassVar[int] = 1
    CARRIES: ClassVar[dict[str, str]] = {
        "calendar_form_id": "scheduling.calendar_forms.id",
        "calendar_id": "scheduling.calendar_forms.calendar_id",
        "form_template_id": "scheduling.calendar_forms.form_template_id",
    }
    calendar_form_id: uuid.UUID
    calendar_id: uuid.UUID
    form_template_id: uuid.UUID


class SpecialistHoursChanged(Payload):
    """A specialist's weekly hours or a date override changed."""

    TYPE: ClassVar[str] = "specialist_hours.changed"
    VERSION: ClassVar[int] = 1
    CARRIES: ClassVar[dict[str, str]] = {
        "specialist_id": "people.specialists.id",
    }
    specialist_id: uuid.UUID


class AvailabilityChanged(Payload):
    """Availability may have changed: of one calendar, of one specialist's calendars, or
    (both null, a closure) of the whole organization."""

    TYPE: ClassVar[str] = "availability.changed"
    VERSION: ClassVar[int] = 1
    CARRIES: ClassVar[dict[str, str]] = {
        "calendar_id": "scheduling.calendars.id",
        "specialist_id": "people.specialists.id",
    }
    WITHHELD: ClassVar[frozenset[str]] = frozenset({"reason"})
    calendar_id: uuid.UUID | None
    specialist_id: uuid.UUID | None
    reason: AvailabilityReason
