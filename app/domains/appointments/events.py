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


class AppointmentSeriesBooked(Payload):
    """A course of sessions was booked (counts of the sessions booked and refused)."""

    TYPE: ClassVar[str] = "appointment_series.booked"
    VERSION: ClassVar[int] = 1
    CARRIES: ClassVar[dict[str, str]] = {
        "series_id": "appointments.series.id",
        "calendar_id": "appointments.series.calendar_id",
        "specialist_id": "appointments.series.specialist_id",
    }
    WITHHELD: ClassVar[frozenset[str]] = frozenset({"sessions_booked", "sessions_failed"})
    series_id: uuid.UUID
    calendar_id: uuid.UUID
    specialist_id: uuid.UUID
    sessions_booked: int
    sessions_failed: int


class AppointmentSeriesCancelled(Payload):
    """The rest of a series was cancelled (each session also publishes appointment.cancelled)."""

    TYPE: ClassVar[str] = "appointment_series.cancelled"
    VERSION: ClassVar[int] = 1
    CARRIES: ClassVar[dict[str, str]] = {
        "series_id": "appointments.series.id",
    }
    WITHHELD: ClassVar[frozenset[str]] = frozenset({"sessions_cancelled", "sessions_returned"})
    series_id: uuid.UUID
    sessions_cancelled: int
    sessions_returned: int


class CalendarFeedCreated(Payload):
    """A specialist's ICS feed was created (never the token)."""

    TYPE: ClassVar[str] = "calendar_feed.created"
    VERSION: ClassVar[int] = 1
    CARRIES: ClassVar[dict[str, str]] = {
        "feed_id": "appointments.calendar_feeds.id",
        "specialist_id": "appointments.calendar_feeds.specialist_id",
        "include_patient_names": "appointments.calendar_feeds.include_patient_names",
    }
    feed_id: uuid.UUID
    specialist_id: uuid.UUID
    include_patient_names: bool


class CalendarFeedRevoked(Payload):
    """A specialist's ICS feed was revoked, or replaced by a new one."""

    TYPE: ClassVar[str] = "calendar_feed.revoked"
    VERSION: ClassVar[int] = 1
    CARRIES: ClassVar[dict[str, str]] = {
        "feed_id": "appointments.calendar_feeds.id",
        "specialist_id": "appointments.calendar_feeds.specialist_id",
    }
    feed_id: uuid.UUID
    specialist_id: uuid.UUID


class AppointmentFileAdded(Payload):
    """A checked file was attached to an appointment."""

    TYPE: ClassVar[str] = "appointment.file_added"
    VERSION: ClassVar[int] = 1
    CARRIES: ClassVar[dict[str, str]] = {
        "appointment_id": "appointments.appointment_files.appointment_id",
        "file_id": "appointments.appointment_files.file_id",
        "content_type": "storage.files.detected_mime",
        "size_bytes": "storage.files.size_bytes",
    }
    appointment_id: uuid.UUID
    file_id: uuid.UUID
    content_type: str
    size_bytes: int


class AppointmentFileRemoved(Payload):
    """A file was removed from an appointment (the file is retired, its bytes swept)."""

    TYPE: ClassVar[str] = "appointment.file_removed"
    VERSION: ClassVar[int] = 1
    CARRIES: ClassVar[dict[str, str]] = {
        "appointment_id": "appointments.appointment_files.appointment_id",
        "file_id": "appointments.appointment_files.file_id",
    }
    appointment_id: uuid.UUID
    file_id: uuid.UUID


class AppointmentReviewed(Payload):
    """The patient (or a caregiver who books for them) rated a done appointment; never the
    comment."""

    TYPE: ClassVar[str] = "appointment.reviewed"
    VERSION: ClassVar[int] = 1
    CARRIES: ClassVar[dict[str, str]] = {
        "review_id": "appointments.appointment_reviews.id",
        "appointment_id": "appointments.appointment_reviews.appointment_id",
        "specialist_id": "appointments.appointments.specialist_id",
        "stars": "appointments.appointment_reviews.stars",
    }
    WITHHELD: ClassVar[frozenset[str]] = frozenset({"has_comment"})
    review_id: uuid.UUID
    appointment_id: uuid.UUID
    specialist_id: uuid.UUID
    stars: int
    has_comment: bool


class AppointmentReviewLow(Payload):
    """A review of 2 stars or fewer (published besides appointment.reviewed)."""

    TYPE: ClassVar[str] = "appointment.review_low"
    VERSION: ClassVar[int] = 1
    CARRIES: ClassVar[dict[str, str]] = {
        "review_id": "appointments.appointment_reviews.id",
        "appointment_id": "appointments.appointment_reviews.appointment_id",
        "specialist_id": "appointments.appointments.specialist_id",
        "stars": "appointments.appointment_reviews.stars",
    }
    WITHHELD: ClassVar[frozenset[str]] = frozenset({"has_comment"})
    review_id: uuid.UUID
    appointment_id: uuid.UUID
    specialist_id: uuid.UUID
    stars: int
    has_comment: bool


class AppointmentVideoRoomCreated(Payload):
    """The video provider created the room of a video appointment in progress."""

    TYPE: ClassVar[str] = "appointment.video_room_created"
    VERSION: ClassVar[int] = 1
    CARRIES: ClassVar[dict[str, str]] = {
        "appointment_id": "appointments.video_rooms.appointment_id",
        "video_room_id": "appointments.video_rooms.id",
        "provider": "appointments.video_rooms.provider",
    }
    appointment_id: uuid.UUID
    video_room_id: uuid.UUID
    provider: str


class AppointmentVideoRoomDeleted(Payload):
    """The video room of an appointment that ended was deleted at the provider."""

    TYPE: ClassVar[str] = "appointment.video_room_deleted"
    VERSION: ClassVar[int] = 1
    CARRIES: ClassVar[dict[str, str]] = {
        "appointment_id": "appointments.video_rooms.appointment_id",
        "video_room_id": "appointments.video_rooms.id",
        "minutes": "appointments.video_rooms.minutes",
        "metered_minutes": "appointments.video_rooms.metered_minutes",
    }
    appointment_id: uuid.UUID
    video_room_id: uuid.UUID
    minutes: int
    metered_minutes: int


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
