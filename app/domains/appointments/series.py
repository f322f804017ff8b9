"""Appointment series: a course of sessions booked in one call (a weekly rule at a wall-clock
time in the calendar's zone, or a list of starts), each session booked by
appointments.book in SQL; all or nothing, or partial with the refused starts and why."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal
from uuid import UUID

import msgspec
from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from app.api.common import Body
from app.api.errors import ApiError
from app.api.scope import Db, requires
from app.db.queries import catalogue
from app.domains.appointments.appointments import Appointment, Modality, Notes, _holds, aware

Q = catalogue("appointments")

Weekday = Annotated[int, msgspec.Meta(ge=1, le=7)]
WallClock = Annotated[str, msgspec.Meta(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$")]
Reason = Annotated[str, msgspec.Meta(min_length=1, max_length=1000, pattern=r"\S")]


class Rule(Body, kw_only=True):
    """ISO weekdays (1 Monday .. 7 Sunday) at `time` on the calendar's wall clock, from the
    date `from` on: `count` sessions, or every one up to `until` (at most 52 either way)."""

    weekdays: Annotated[list[Weekday], msgspec.Meta(min_length=1, max_length=7)]
    time: WallClock
    from_: date = msgspec.field(name="from")
    count: Annotated[int, msgspec.Meta(ge=1, le=52)] | None = None
    until: date | None = None


class BookSeries(Body, kw_only=True):
    """Either `rule` or `starts` (each a start availability offers). `specialist_id` keeps
    one specialist throughout (required on patient-choice calendars; otherwise the first
    session's is kept). `mode`: `all_or_nothing` (default) or `partial`."""

    calendar_id: UUID
    patient_id: UUID
    rule: Rule | None = None
    starts: Annotated[list[datetime], msgspec.Meta(min_length=1, max_length=52)] | None = None
    mode: Literal["all_or_nothing", "partial"] = "all_or_nothing"
    specialist_id: UUID | None = None
    modality: Modality | None = None
    notes: Notes | None = None


class CancelSeries(Body, kw_only=True):
    """`from`: cancel the active sessions starting at or after it (now by default)."""

    reason: Reason
    from_: datetime | None = msgspec.field(default=None, name="from")


class Series(msgspec.Struct):
    id: UUID
    organization_id: UUID
    calendar_id: UUID
    patient_id: UUID
    specialist_id: UUID | None
    weekdays: list[int] | None
    time: str | None
    from_: date | None = msgspec.field(name="from")
    count: int | None
    until: date | None
    timezone: str
    mode: Literal["all_or_nothing", "partial"]
    created_by: UUID | None
    created_at: datetime
    cancelled_at: datetime | None
    cancelled_from: datetime | None
    cancellation_reason: str | None


class FailedSession(msgspec.Struct):
    start: str
    code: str
    reason: str
    detail: str | None


class SeriesWithAppointments(msgspec.Struct):
    series: Series
    appointments: list[Appointment]


class SeriesBooked(msgspec.Struct):
    series: Series
    appointments: list[Appointment]
    failed: list[FailedSession]


class SeriesCancelled(msgspec.Struct):
    series: Series
    appointments: list[Appointment]
    sessions_cancelled: int
    sessions_returned: int


SERIES = "/v1/orgs/{org_id:uuid}/appointment-series"
ONE_SERIES = SERIES + "/{series_id:uuid}"


async def _load(db: Db, series_id: UUID) -> SeriesWithAppointments:
    found = await db.row(Q.series_by_id, Series, id=series_id)
    if found is None:
        raise ApiError(404, "series_not_found", "No such series in this organization.")
    return SeriesWithAppointments(
        found, await db.rows(Q.series_appointments, Appointment, id=series_id)
    )


@post(
    SERIES,
    operation_id="appointment_series_book",
    tags=["appointments"],
    opt=requires("appointments.book"),
)
async def book_series(
    request: Request, db: NamedDependency[Db], data: JSONBody[BookSeries]
) -> Response[SeriesBooked]:
    """Book a course of sessions for a patient (`appointments.book`), each one checked like a
    single booking. 409 `series_unavailable` (details `failed`: each refused start with its
    `code` and `reason`) when any session is refused in `all_or_nothing` mode, or every one
    in `partial` mode; `partial` otherwise books the rest and lists the refused starts."""
    if (data.rule is None) == (data.starts is None):
        raise ApiError(400, "invalid_field", "rule or starts: give exactly one.")
    rule = data.rule
    outcome = await db.scalar(
        Q.series_book,
        calendar=data.calendar_id,
        patient=data.patient_id,
        weekdays=rule.weekdays if rule else None,
        time=rule.time if rule else None,
        first=rule.from_ if rule else None,
        count=rule.count if rule else None,
        until=rule.until if rule else None,
        starts=[aware(s, "starts") for s in data.starts] if data.starts else None,
        mode=data.mode,
        holds=await _holds(request, db, None),
        specialist=data.specialist_id,
        modality=data.modality,
        notes=data.notes,
    )
    loaded = await _load(db, UUID(outcome["series_id"]))
    failed = msgspec.convert(outcome["failed"], list[FailedSession])
    return Response(SeriesBooked(loaded.series, loaded.appointments, failed), status_code=201)


@get(
    ONE_SERIES,
    operation_id="appointment_series_get",
    tags=["appointments"],
    opt=requires("appointments.read"),
)
async def get_series(db: NamedDependency[Db], series_id: FromPath[UUID]) -> SeriesWithAppointments:
    """A series and its appointments (`appointments.read` and `patients.read`)."""
    return await _load(db, series_id)


@post(
    ONE_SERIES + "/cancel",
    operation_id="appointment_series_cancel",
    tags=["appointments"],
    status_code=200,
    opt=requires("appointments.manage"),
)
async def cancel_series(
    db: NamedDependency[Db], series_id: FromPath[UUID], data: JSONBody[CancelSeries]
) -> SeriesCancelled:
    """Cancel the remaining active sessions of a series, from `from` (now by default) on,
    each as the clinic's cancellation (`appointments.manage`): plan sessions come back."""
    outcome = await db.scalar(
        Q.series_cancel,
        id=series_id,
        reason=data.reason,
        cancel_from=aware(data.from_, "from") if data.from_ else None,
    )
    loaded = await _load(db, series_id)
    return SeriesCancelled(
        loaded.series,
        loaded.appointments,
        outcome["sessions_cancelled"],
        outcome["sessions_returned"],
    )
