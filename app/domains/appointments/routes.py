"""Appointments' HTTP routes: book, list, get, transition, reschedule, cancel and join the
video room under an organization, and the patient's /v1/me/appointments (with the video
join). Permissions are checked in SQL; routes declare them as requirements."""

from app.api.common import org_router, signed_in_router
from app.domains.appointments import appointments, me, rooms

ROUTERS = [
    org_router(
        appointments.list_appointments,
        appointments.get_appointment,
        appointments.book_appointment,
        appointments.transition_appointment,
        appointments.reschedule_appointment,
        appointments.cancel_appointment,
        rooms.join_video,
    ),
    signed_in_router(me.list_my_appointments, me.cancel_my_appointment, rooms.join_my_video),
]
