"""Appointments' HTTP routes: book, list, get, transition, reschedule and cancel under an
organization, and the patient's /v1/me/appointments. Permissions are checked in SQL; routes
declare them as requirements."""

from app.api.common import org_router, signed_in_router
from app.domains.appointments import appointments, me

ROUTERS = [
    org_router(
        appointments.list_appointments,
        appointments.get_appointment,
        appointments.book_appointment,
        appointments.transition_appointment,
        appointments.reschedule_appointment,
        appointments.cancel_appointment,
        appointments.calendar_requirements,
    ),
    signed_in_router(
        me.list_my_appointments,
        me.book_my_appointment,
        me.cancel_my_appointment,
        me.my_calendar_requirements,
    ),
]
