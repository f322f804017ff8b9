"""Scheduling's HTTP routes: weekly hours, overrides, closures, calendars and their
specialists, a calendar's availability, and the public availability and holds."""

from litestar import Router

from app.api.common import org_router
from app.domains.scheduling import calendars, hours, public

ROUTERS = [
    org_router(
        hours.list_weekly_hours,
        hours.add_weekly_hours,
        hours.delete_weekly_hours,
        hours.list_overrides,
        hours.set_override,
        hours.delete_override,
        hours.list_closures,
        hours.add_closure,
        hours.delete_closure,
        calendars.list_calendars,
        calendars.get_calendar,
        calendars.create_calendar,
        calendars.update_calendar,
        calendars.delete_calendar,
        calendars.list_calendar_forms,
        calendars.set_calendar_form,
        calendars.remove_calendar_form,
        calendars.list_calendar_specialists,
        calendars.set_calendar_specialist,
        calendars.remove_calendar_specialist,
        calendars.calendar_availability,
    ),
    Router(
        path="/",
        route_handlers=[
            public.public_availability,
            public.place_hold,
            public.release_hold,
            public.availability_stream,
        ],
    ),
]
