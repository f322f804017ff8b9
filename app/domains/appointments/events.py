"""The events appointments publishes: ids, statuses and flags, never a time of a visit, a
name or a note (a consumer that needs more reads the appointment under RLS). Each field's
line in docs/events.md names the registry column it carries."""

from __future__ import annotations

import uuid
from typing import ClassVar, Literal

from app.domains.events.payload import Payload

Status = Literal["requested", "confirmed", "inprogress", "done", "cancelled", "no_show"]
CancelledBy = Literal["clinic", "patient"]


class AppointmentBooked(Payload):
    """An appointment was booked for a patient."""

    TYPE: ClassVar[str] = "appointment.booked"
    VERSION: ClassVar[int] = 1
    CARRIES: ClassVar[dict[str, str]] = {
        "appointment_id": "appointments.appointments.id",
        "calendar_id": "appointments.appointments.calendar_id",
        "service_id": "appointments.appointments.service_id",
        "specialist_id": "appointments.appointments.specialist_id",
        "status": "appointments.appointments.status",
    }
    WITHHELD: ClassVar[frozenset[str]] = frozenset({"plan_session_used"})
    appointment_id: uuid.UUID
    calendar_id: uuid.UUID
    service_id: uuid.UUID
    specialist_id: uuid.UUID
    status: Status
    plan_session_used: bool


class AppointmentFirstBooked(Payload):
    """A patient's first appointment in the organization was booked."""

    TYPE: ClassVar[str] = "appointment.first_booked"
    VERSION: ClassVar[int] = 1
    CARRIES: ClassVar[dict[str, str]] = {
        "appointment_id": "appointments.appointments.id",
        "patient_id": "appointments.appointments.patient_id",
    }
    appointment_id: uuid.UUID
    patient_id: uuid.UUID


class AppointmentConfirmed(Payload):
    """The clinic confirmed an appointment."""

    TYPE: ClassVar[str] = "appointment.confirmed"
    VERSION: ClassVar[int] = 1
    CARRIES: ClassVar[dict[str, str]] = {
        "appointment_id": "appointments.appointments.id",
        "specialist_id": "appointments.appointments.specialist_id",
        "from_status": "appointments.appointments.status",
    }
    appointment_id: uuid.UUID
    specialist_id: uuid.UUID
    from_status: Status


class AppointmentStarted(Payload):
    """An appointment began (inprogress)."""

    TYPE: ClassVar[str] = "appointment.started"
    VERSION: ClassVar[int] = 1
    CARRIES: ClassVar[dict[str, str]] = {
        "appointment_id": "appointments.appointments.id",
        "specialist_id": "appointments.appointments.specialist_id",
        "from_status": "appointments.appointments.status",
    }
    appointment_id: uuid.UUID
    specialist_id: uuid.UUID
    from_status: Status


class AppointmentCompleted(Payload):
    """An appointment was completed (done)."""

    TYPE: ClassVar[str] = "appointment.completed"
    VERSION: ClassVar[int] = 1
    CARRIES: ClassVar[dict[str, str]] = {
        "appointment_id": "appointments.appointments.id",
        "specialist_id": "appointments.appointments.specialist_id",
        "from_status": "appointments.appointments.status",
    }
    appointment_id: uuid.UUID
    specialist_id: uuid.UUID
    from_status: Status


class AppointmentNoShow(Payload):
    """The patient did not come to a confirmed appointment."""

    TYPE: ClassVar[str] = "appointment.no_show"
    VERSION: ClassVar[int] = 1
    CARRIES: ClassVar[dict[str, str]] = {
        "appointment_id": "appointments.appointments.id",
        "specialist_id": "appointments.appointments.specialist_id",
        "from_status": "appointments.appointments.status",
    }
    appointment_id: uuid.UUID
    specialist_id: uuid.UUID
    from_status: Status


class AppointmentCancelled(Payload):
    """An appointment was cancelled by the clinic or the patient."""

    TYPE: ClassVar[str] = "appointment.cancelled"
    VERSION: ClassVar[int] = 1
    CARRIES: ClassVar[dict[str, str]] = {
        "appointment_id": "appointments.appointments.id",
        "specialist_id": "appointments.appointments.specialist_id",
        "from_status": "appointments.appointments.status",
        "cancelled_by": "appointments.appointments.cancelled_by",
    }
    WITHHELD: ClassVar[frozenset[str]] = frozenset({"session_returned"})
    appointment_id: uuid.UUID
    specialist_id: uuid.UUID
    from_status: Status
    cancelled_by: CancelledBy
    session_returned: bool


class AppointmentRescheduled(Payload):
    """An appointment moved to another time with the same specialist."""

    TYPE: ClassVar[str] = "appointment.rescheduled"
    VERSION: ClassVar[int] = 1
    CARRIES: ClassVar[dict[str, str]] = {
        "appointment_id": "appointments.appointments.id",
        "specialist_id": "appointments.appointments.specialist_id",
    }
    appointment_id: uuid.UUID
    specialist_id: uuid.UUID


class AppointmentRequestExpired(Payload):
    """A guest's requested booking was not confirmed in time and was cancelled (slot freed)."""

    TYPE: ClassVar[str] = "appointment.request_expired"
    VERSION: ClassVar[int] = 1
    CARRIES: ClassVar[dict[str, str]] = {
        "appointment_id": "appointments.appointments.id",
        "calendar_id": "appointments.appointments.calendar_id",
        "specialist_id": "appointments.appointments.specialist_id",
    }
    appointment_id: uuid.UUID
    calendar_id: uuid.UUID
    specialist_id: uuid.UUID


class PatientClaimInvited(Payload):
    """The clinic confirmed a guest's booking: invite the guest to claim their profile.

    The e-mail is not in the payload (it is personal data, and the outbox keeps payloads for
    months): automations read `appointments.appointments.guest_email` of `appointment_id`."""

    TYPE: ClassVar[str] = "patient.claim_invited"
    VERSION: ClassVar[int] = 1
    CARRIES: ClassVar[dict[str, str]] = {
        "appointment_id": "appointments.appointments.id",
        "patient_id": "appointments.appointments.patient_id",
        "patient_profile_id": "appointments.appointments.patient_profile_id",
    }
    appointment_id: uuid.UUID
    patient_id: uuid.UUID
    patient_profile_id: uuid.UUID
