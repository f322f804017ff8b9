"""Appointments' HTTP routes: book, list, get, transition, reschedule and cancel under an
organization, and the patient's /v1/me/appointments. Permissions are checked in SQL; routes
declare them as requirements."""

from litestar import Router

from app.api.common import org_router, signed_in_router
from app.domains.appointments import appointments, me, public

ROUTERS = [
    org_router(
        appointments.list_appointments,
        appointments.get_appointment,
        appointments.book_appointment,
        appointments.transition_appointment,
        appointments.reschedule_appointment,
        appointments.cancel_appointment,
        public.confirm_appointment,
    ),
    signed_in_router(me.list_my_appointments, me.cancel_my_appointment),
    Router(path="/", route_handlers=[public.book_publicly]),
]
