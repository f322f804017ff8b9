"""Appointments' HTTP routes: book, list, get, transition, reschedule and cancel under an
organization, and the patient's /v1/me/appointments. Permissions are checked in SQL; routes
declare them as requirements."""

from app.api.common import org_router, signed_in_router
from app.domains.appointments import appointments, files, me, reviews

ROUTERS = [
    org_router(
        appointments.list_appointments,
        appointments.get_appointment,
        appointments.book_appointment,
        appointments.transition_appointment,
        appointments.reschedule_appointment,
        appointments.cancel_appointment,
    ),
    org_router(
        files.request_file_upload,
        files.confirm_file_upload,
        files.list_files,
        files.get_file,
        files.remove_file,
        reviews.get_review,
        reviews.list_reviews,
    ),
    signed_in_router(me.list_my_appointments, me.cancel_my_appointment),
    signed_in_router(
        files.list_my_files,
        files.get_my_file,
        reviews.review_my_appointment,
        reviews.get_my_review,
    ),
]
