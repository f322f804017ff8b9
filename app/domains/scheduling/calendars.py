"""Calendars of an organization, their specialists, and a calendar's availability for its
members. Reads need `scheduling.read`, writes `scheduling.manage` (checked in SQL)."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any, Literal
from uuid import UUID

import msgspec
from litestar import Request, Response, delete, get, patch, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter

from app.api.common import Body
from app.api.errors import ApiError
from app.api.lists import Listing, Page
from app.api.scope import Db, requires
from app.db.queries import catalogue
from app.domains.catalog.common import Modality
from app.domains.scheduling import holds
from app.domains.scheduling.hours import Clock, Weekday

Q = catalogue("scheduling")

Strategy = Literal["round_robin", "priority", "patient_choice"]
Name = Annotated[str, msgspec.Meta(min_length=1, max_length=200, pattern=r"\S")]
CalendarSlug = Annotated[
    str, msgspec.Meta(pattern=r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$", max_length=64)
]
Zone = Annotated[str, msgspec.Meta(min_length=1, max_length=64, description="IANA zone name")]
Buffer = Annotated[int, msgspec.Meta(ge=0, le=480)]
CancellationWindow = Annotated[
    int,
    msgspec.Meta(
        ge=0,
        le=720,
        description="Hours before the start inside which a patient's cancellation keeps the "
        "plan session used",
    ),
]
# How long a guest's public booking request waits for the clinic (appointments).
RequestExpiry = Annotated[int, msgspec.Meta(ge=1, le=720)]


class WeeklyInterval(Body, kw_only=True):
    weekday: Weekday
    start: Clock
    end: Clock


Hours = Annotated[list[WeeklyInterval], msgspec.Meta(max_length=100)]


class Calendar(msgspec.Struct):
    id: UUID
    organization_id: UUID
    name: str
    slug: str
    service_id: UUID
    modality: str
    assignment_strategy: Strategy
    slot_interval_minutes: int | None
    min_notice_minutes: int | None
    max_advance_days: int | None
    buffer_before_minutes: int | None
    buffer_after_minutes: int | None
    hours: list[dict[str, Any]] | None
    timezone: str
    public: bool
    active: bool
    auto_confirm: bool
    cancellation_window_hours: int
    request_expiry_hours: int
    created_at: datetime
    updated_at: datetime


class CreateCalendar(Body, kw_only=True):
    """Unset slot interval and buffers follow the service; unset notice and advance mean no
    bound; `hours` (in `timezone`) restrict when the calendar is bookable. `auto_confirm`
    (default false): a signed-in patient's booking is confirmed at once instead of requested;
    `cancellation_window_hours` (default 24); `request_expiry_hours` (default 48): how long a
    guest's public booking request waits for the clinic's confirmation."""

    name: Name
    slug: CalendarSlug
    service_id: UUID
    modality: Modality | None = None
    assignment_strategy: Strategy | None = None
    slot_interval_minutes: Annotated[int, msgspec.Meta(ge=5, le=1440)] | None = None
    min_notice_minutes: Annotated[int, msgspec.Meta(ge=0, le=525600)] | None = None
    max_advance_days: Annotated[int, msgspec.Meta(ge=1, le=730)] | None = None
    buffer_before_minutes: Buffer | None = None
    buffer_after_minutes: Buffer | None = None
    hours: Hours | None = None
    timezone: Zone | None = None
    public: bool | None = None
    active: bool | None = None
    auto_confirm: bool | None = None
    cancellation_window_hours: CancellationWindow | None = None
    request_expiry_hours: RequestExpiry | None = None


class UpdateCalendar(Body, kw_only=True, omit_defaults=True):
    """Fields left out stay; a null clears a nullable setting (interval, notice, advance,
    buffers, hours)."""

    name: Name | msgspec.UnsetType = msgspec.UNSET
    slug: CalendarSlug | msgspec.UnsetType = msgspec.UNSET
    service_id: UUID | msgspec.UnsetType = msgspec.UNSET
    modality: Modality | msgspec.UnsetType = msgspec.UNSET
    assignment_strategy: Strategy | msgspec.UnsetType = msgspec.UNSET
    slot_interval_minutes: (
        Annotated[int, msgspec.Meta(ge=5, le=1440)] | msgspec.UnsetType | None
    ) = msgspec.UNSET
    min_notice_minutes: Annotated[int, msgspec.Meta(ge=0, le=525600)] | msgspec.UnsetType | None = (
        msgspec.UNSET
    )
    max_advance_days: Annotated[int, msgspec.Meta(ge=1, le=730)] | msgspec.UnsetType | None = (
        msgspec.UNSET
    )
    buffer_before_minutes: Buffer | msgspec.UnsetType | None = msgspec.UNSET
    buffer_after_minutes: Buffer | msgspec.UnsetType | None = msgspec.UNSET
    hours: Hours | msgspec.UnsetType | None = msgspec.UNSET
    timezone: Zone | msgspec.UnsetType = msgspec.UNSET
    public: bool | msgspec.UnsetType = msgspec.UNSET
    active: bool | msgspec.UnsetType = msgspec.UNSET
    auto_confirm: bool | msgspec.UnsetType = msgspec.UNSET
    cancellation_window_hours: CancellationWindow | msgspec.UnsetType = msgspec.UNSET
    request_expiry_hours: RequestExpiry | msgspec.UnsetType = msgspec.UNSET


class CalendarSpecialist(msgspec.Struct):
    calendar_id: UUID
    specialist_id: UUID
    priority: int
    hours: list[dict[str, Any]] | None
    created_at: datetime


class SetCalendarSpecialist(Body, kw_only=True):
    """`hours` (in the specialist's zone) replace their weekly hours on this calendar."""

    priority: Annotated[int, msgspec.Meta(ge=1, le=1000)] = 1
    hours: Hours | None = None


class CalendarForm(msgspec.Struct):
    id: UUID
    calendar_id: UUID
    form_template_id: UUID
    required: bool
    stage: Literal["before_booking", "after_visit"]
    created_at: datetime


class SetCalendarForm(Body, kw_only=True):
    """Required before-booking templates gate booking (with the service's own)."""

    form_template_id: UUID
    required: bool = True
    stage: Literal["before_booking", "after_visit"] = "before_booking"


class Slot(msgspec.Struct):
    start: str
    end: str
    specialist_ids: list[UUID]


class Availability(msgspec.Struct):
    slots: list[Slot]


def _fields(data: msgspec.Struct) -> str:
    """The body as the JSON object the SQL functions take (unset fields left out)."""
    raw = msgspec.to_builtins(data)
    if isinstance(data, CreateCalendar):
        raw = {k: v for k, v in raw.items() if v is not None}
    return msgspec.json.encode(raw).decode()


_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def query_date(value: str | None, name: str) -> date:
    """A YYYY-MM-DD query parameter, or 400 invalid_query naming it."""
    if value is None:
        raise ApiError(400, "invalid_query", f"{name}: a date (YYYY-MM-DD) is required.")
    try:
        if not _DATE.match(value):
            raise ValueError(value)
        return date.fromisoformat(value)
    except ValueError:
        raise ApiError(
            400, "invalid_query", f"{name}: {value[:20]!r} is not a date (YYYY-MM-DD)."
        ) from None


def query_zone(value: str | None) -> str | None:
    if value is not None and (len(value) > 64 or not value):
        raise ApiError(400, "invalid_query", "timezone: not an IANA time zone name.")
    return value


CALENDAR = "/v1/orgs/{org_id:uuid}/calendars/{calendar_id:uuid}"


async def _load(db: Db, calendar_id: UUID) -> Calendar:
    found = await db.row(Q.calendar_by_id, Calendar, id=calendar_id)
    if found is None:
        raise ApiError(404, "calendar_not_found", "No such calendar in this organization.")
    return found


@get(
    "/v1/orgs/{org_id:uuid}/calendars",
    operation_id="calendars_list",
    tags=["scheduling"],
    opt=requires("scheduling.read"),
)
async def list_calendars(
    db: NamedDependency[Db], listing: NamedDependency[Listing]
) -> Page[Calendar]:
    """The organization's live calendars (`scheduling.read`)."""
    return await db.page(Q.calendars_list, Calendar, listing)


@get(CALENDAR, operation_id="calendars_get", tags=["scheduling"], opt=requires("scheduling.read"))
async def get_calendar(db: NamedDependency[Db], calendar_id: FromPath[UUID]) -> Calendar:
    """One calendar (`scheduling.read`)."""
    return await _load(db, calendar_id)


@post(
    "/v1/orgs/{org_id:uuid}/calendars",
    operation_id="calendars_create",
    tags=["scheduling"],
    opt=requires("scheduling.manage"),
)
async def create_calendar(
    db: NamedDependency[Db], data: JSONBody[CreateCalendar]
) -> Response[Calendar]:
    """Add a calendar for one of the organization's services (`scheduling.manage`)."""
    new_id = await db.scalar(Q.calendar_create, fields=_fields(data))
    return Response(await _load(db, new_id), status_code=201)


@patch(
    CALENDAR,
    operation_id="calendars_update",
    tags=["scheduling"],
    opt=requires("scheduling.manage"),
)
async def update_calendar(
    db: NamedDependency[Db], calendar_id: FromPath[UUID], data: JSONBody[UpdateCalendar]
) -> Calendar:
    """Change a calendar (`scheduling.manage`)."""
    await db.execute(Q.calendar_update, id=calendar_id, changes=_fields(data))
    return await _load(db, calendar_id)


@delete(
    CALENDAR,
    operation_id="calendars_delete",
    tags=["scheduling"],
    status_code=204,
    opt=requires("scheduling.manage"),
)
async def delete_calendar(db: NamedDependency[Db], calendar_id: FromPath[UUID]) -> None:
    """Soft-delete a calendar (`scheduling.manage`)."""
    await db.execute(Q.calendar_delete, id=calendar_id)


@get(
    f"{CALENDAR}/forms",
    operation_id="calendar_forms_list",
    tags=["scheduling"],
    opt=requires("scheduling.read"),
)
async def list_calendar_forms(
    db: NamedDependency[Db], calendar_id: FromPath[UUID]
) -> list[CalendarForm]:
    """The templates a calendar asks for, before booking or after the visit
    (`scheduling.read`)."""
    await _load(db, calendar_id)
    return await db.rows(Q.calendar_forms_list, CalendarForm, calendar=calendar_id)


@post(
    f"{CALENDAR}/forms",
    operation_id="calendar_forms_set",
    tags=["scheduling"],
    status_code=200,
    opt=requires("scheduling.manage"),
)
async def set_calendar_form(
    db: NamedDependency[Db], calendar_id: FromPath[UUID], data: JSONBody[SetCalendarForm]
) -> list[CalendarForm]:
    """Ask for a template on a calendar; asking again changes `required`
    (`scheduling.manage`)."""
    await db.scalar(
        Q.calendar_form_set,
        calendar=calendar_id,
        template=data.form_template_id,
        required=data.required,
        stage=data.stage,
    )
    return await db.rows(Q.calendar_forms_list, CalendarForm, calendar=calendar_id)


@delete(
    CALENDAR + "/forms/{calendar_form_id:uuid}",
    operation_id="calendar_forms_remove",
    tags=["scheduling"],
    status_code=204,
    opt=requires("scheduling.manage"),
)
async def remove_calendar_form(
    db: NamedDependency[Db], calendar_id: FromPath[UUID], calendar_form_id: FromPath[UUID]
) -> None:
    """Stop asking for a template on a calendar (`scheduling.manage`)."""
    await db.execute(Q.calendar_form_remove, calendar=calendar_id, id=calendar_form_id)


@get(
    f"{CALENDAR}/specialists",
    operation_id="calendar_specialists_list",
    tags=["scheduling"],
    opt=requires("scheduling.read"),
)
async def list_calendar_specialists(
    db: NamedDependency[Db], listing: NamedDependency[Listing], calendar_id: FromPath[UUID]
) -> Page[CalendarSpecialist]:
    """The specialists of a calendar (`scheduling.read`)."""
    await _load(db, calendar_id)
    return await db.page(
        Q.calendar_specialists_list, CalendarSpecialist, listing, calendar=calendar_id
    )


@put(
    CALENDAR + "/specialists/{specialist_id:uuid}",
    operation_id="calendar_specialists_set",
    tags=["scheduling"],
    opt=requires("scheduling.manage"),
)
async def set_calendar_specialist(
    db: NamedDependency[Db],
    calendar_id: FromPath[UUID],
    specialist_id: FromPath[UUID],
    data: JSONBody[SetCalendarSpecialist],
) -> CalendarSpecialist:
    """Put a specialist on a calendar, or change their priority and hours
    (`scheduling.manage`)."""
    hours = None if data.hours is None else msgspec.json.encode(data.hours).decode()
    await db.execute(
        Q.calendar_specialist_set,
        calendar=calendar_id,
        specialist=specialist_id,
        priority=data.priority,
        hours=hours,
    )
    found = await db.row(
        Q.calendar_specialist_by_id,
        CalendarSpecialist,
        calendar=calendar_id,
        specialist=specialist_id,
    )
    if found is None:
        raise ApiError(404, "calendar_specialist_not_found", "This specialist is not on it.")
    return found


@delete(
    CALENDAR + "/specialists/{specialist_id:uuid}",
    operation_id="calendar_specialists_remove",
    tags=["scheduling"],
    status_code=204,
    opt=requires("scheduling.manage"),
)
async def remove_calendar_specialist(
    db: NamedDependency[Db], calendar_id: FromPath[UUID], specialist_id: FromPath[UUID]
) -> None:
    """Take a specialist off a calendar (`scheduling.manage`)."""
    await db.execute(Q.calendar_specialist_remove, calendar=calendar_id, specialist=specialist_id)


@get(
    f"{CALENDAR}/availability",
    operation_id="calendars_availability",
    tags=["scheduling"],
    opt=requires("scheduling.read"),
)
async def calendar_availability(
    request: Request,
    db: NamedDependency[Db],
    calendar_id: FromPath[UUID],
    from_: Annotated[str | None, QueryParameter(name="from", description="YYYY-MM-DD")] = None,
    to: Annotated[str | None, QueryParameter(description="YYYY-MM-DD, at most 62 dates")] = None,
    timezone: Annotated[str | None, QueryParameter(description="IANA zone; the calendar's")] = None,
) -> Availability:
    """Free slots between two dates of the query zone, with the specialists free at each
    (`scheduling.read`; docs/scheduling.md has the contract)."""
    first, last = query_date(from_, "from"), query_date(to, "to")
    resources = request.app.state.resources
    live = await holds.live(resources.redis, resources.settings.redis_prefix, db.org_id)
    rows = await db.rows(
        Q.member_availability,
        Slot,
        calendar=calendar_id,
        first=first,
        last=last,
        tz=query_zone(timezone),
        holds=holds.as_parameter(live),
    )
    return Availability(rows)
