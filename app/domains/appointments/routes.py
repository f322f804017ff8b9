"""Appointments' HTTP routes: book, list, get, transition, reschedule, cancel, files, reviews,
the video room's join, series and the specialists' calendar feed tokens under an
organization; the patient's /v1/me/appointments (book, cancel, files, review, video join);
the public booking and the public ICS feed. Permissions are checked in SQL; routes declare
them as requirements."""

from litestar import Router

from app.api.common import org_router, signed_in_router
from app.domains.appointments import appointments, feeds, files, me, public, reviews, rooms, series

ROUTERS = [
    org_router(
        appointments.list_appointments,
        appointments.get_appointment,
        appointments.book_appointment,
        appointments.transition_appointment,
        appointments.reschedule_appointment,
        appointments.cancel_appointment,
        public.confirm_appointment,
        appointments.calendar_requirements,
        rooms.join_video,
        series.book_series,
        series.get_series,
        series.cancel_series,
        feeds.create_feed,
        feeds.get_feed,
        feeds.revoke_feed,
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
    signed_in_router(
        me.list_my_appointments,
        me.book_my_appointment,
        me.cancel_my_appointment,
        me.my_calendar_requirements,
        rooms.join_my_video,
        files.request_my_file_upload,
        files.confirm_my_file_upload,
        files.list_my_files,
        files.get_my_file,
        reviews.review_my_appointment,
        reviews.get_my_review,
    ),
    Router(path="/", route_handlers=[feeds.public_feed, public.book_publicly]),
]
