"""Appointments' HTTP routes: book, list, get, transition, reschedule and cancel under an
organization. Permissions are checked in SQL; routes declare them as requirements."""

from app.api.common import org_router
from app.domains.appointments import appointments

ROUTERS = [
    org_router(
        appointments.list_appointments,
        appointments.get_appointment,
        appointments.book_appointment,
        appointments.transition_appointment,
        appointments.reschedule_appointment,
        appointments.cancel_appointment,
    ),
]
