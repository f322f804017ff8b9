"""Specialists' weekly hours and date overrides, and the organization's closures. Reads need
`scheduling.read`, writes `scheduling.manage` (checked in SQL); each write publishes
`specialist_hours.changed` or `availability.changed`."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated
from uuid import UUID

import msgspec
from litestar import Response, delete, get, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from app.api.common import Body
from app.api.errors import ApiError
from app.api.lists import Listing, Page
from app.api.scope import Db, requires
from app.db.queries import catalogue

Q = catalogue("scheduling")

Weekday = Annotated[int, msgspec.Meta(ge=1, le=7, description="ISO weekday, 1 = Monday")]
Clock = Annotated[
    str,
    msgspec.Meta(
        pattern=r"^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$",
        description="wall-clock HH:MM; 24:00 ends the day",
    ),
]


class WeeklyHours(msgspec.Struct):
    id: UUID
    specialist_id: UUID
    weekday: int
    start_time: str
    end_time: str
    valid_from: date | None
    valid_until: date | None
    created_at: datetime


class AddWeeklyHours(Body, kw_only=True):
    """An interval on a weekday in the specialist's zone, optionally for a date range."""

    weekday: Weekday
    start_time: Clock
    end_time: Clock
    valid_from: date | None = None
    valid_until: date | None = None


class Interval(Body, kw_only=True):
    start: Clock
    end: Clock


class Override(msgspec.Struct):
    id: UUID
    specialist_id: UUID
    override_date: date
    unavailable: bool
    intervals: list[dict[str, str]]
    updated_at: datetime


class SetOverride(Body, kw_only=True):
    """`unavailable: true` takes the whole day off; else `intervals` replace the day's hours."""

    unavailable: bool = False
    intervals: Annotated[list[Interval], msgspec.Meta(max_length=48)] = msgspec.field(
        default_factory=list
    )


class Closure(msgspec.Struct):
    id: UUID
    closure_date: date
    reason: str
    created_at: datetime


class AddClosure(Body, kw_only=True):
    closure_date: date
    reason: Annotated[str, msgspec.Meta(max_length=200)] = ""


SPECIALIST = "/v1/orgs/{org_id:uuid}/specialists/{specialist_id:uuid}"


@get(
    f"{SPECIALIST}/weekly-hours",
    operation_id="weekly_hours_list",
    tags=["scheduling"],
    opt=requires("scheduling.read"),
)
async def list_weekly_hours(
    db: NamedDependency[Db], listing: NamedDependency[Listing], specialist_id: FromPath[UUID]
) -> Page[WeeklyHours]:
    """A specialist's weekly intervals (`scheduling.read`)."""
    return await db.page(Q.weekly_hours_list, WeeklyHours, listing, specialist=specialist_id)


@post(
    f"{SPECIALIST}/weekly-hours",
    operation_id="weekly_hours_add",
    tags=["scheduling"],
    opt=requires("scheduling.manage"),
)
async def add_weekly_hours(
    db: NamedDependency[Db], specialist_id: FromPath[UUID], data: JSONBody[AddWeeklyHours]
) -> Response[WeeklyHours]:
    """Add a weekly interval (`scheduling.manage`); one overlapping another of the same day is
    refused with 422 `overlapping_hours` naming both."""
    new_id = await db.scalar(
        Q.weekly_hours_add,
        specialist=specialist_id,
        weekday=data.weekday,
        start_time=data.start_time,
        end_time=data.end_time,
        valid_from=data.valid_from,
        valid_until=data.valid_until,
    )
    found = await db.row(Q.weekly_hours_by_id, WeeklyHours, id=new_id)
    return Response(found, status_code=201)


@delete(
    "/v1/orgs/{org_id:uuid}/weekly-hours/{hours_id:uuid}",
    operation_id="weekly_hours_delete",
    tags=["scheduling"],
    status_code=204,
    opt=requires("scheduling.manage"),
)
async def delete_weekly_hours(db: NamedDependency[Db], hours_id: FromPath[UUID]) -> None:
    """Remove a weekly interval (`scheduling.manage`)."""
    await db.execute(Q.weekly_hours_delete, id=hours_id)


@get(
    f"{SPECIALIST}/overrides",
    operation_id="overrides_list",
    tags=["scheduling"],
    opt=requires("scheduling.read"),
)
async def list_overrides(
    db: NamedDependency[Db], listing: NamedDependency[Listing], specialist_id: FromPath[UUID]
) -> Page[Override]:
    """A specialist's date overrides (`scheduling.read`)."""
    return await db.page(Q.overrides_list, Override, listing, specialist=specialist_id)


@put(
    SPECIALIST + "/overrides/{override_date:str}",
    operation_id="override_set",
    tags=["scheduling"],
    opt=requires("scheduling.manage"),
)
async def set_override(
    db: NamedDependency[Db],
    specialist_id: FromPath[UUID],
    override_date: FromPath[str],
    data: JSONBody[SetOverride],
) -> Override:
    """Set a specialist's hours for one local date, YYYY-MM-DD (`scheduling.manage`)."""
    try:
        day = date.fromisoformat(override_date) if len(override_date) == 10 else None
    except ValueError:
        day = None
    if day is None:
        raise ApiError(400, "invalid_field", "override_date: a date (YYYY-MM-DD).")
    intervals = msgspec.json.encode(data.intervals).decode()
    new_id = await db.scalar(
        Q.override_set,
        specialist=specialist_id,
        date=day,
        unavailable=data.unavailable,
        intervals=intervals,
    )
    found = await db.row(Q.override_by_id, Override, id=new_id)
    if found is None:
        raise ApiError(404, "schedule_override_not_found", "No such override in this organization.")
    return found


@delete(
    "/v1/orgs/{org_id:uuid}/overrides/{override_id:uuid}",
    operation_id="override_delete",
    tags=["scheduling"],
    status_code=204,
    opt=requires("scheduling.manage"),
)
async def delete_override(db: NamedDependency[Db], override_id: FromPath[UUID]) -> None:
    """Remove a date override (`scheduling.manage`)."""
    await db.execute(Q.override_delete, id=override_id)


@get(
    "/v1/orgs/{org_id:uuid}/closures",
    operation_id="closures_list",
    tags=["scheduling"],
    opt=requires("scheduling.read"),
)
async def list_closures(
    db: NamedDependency[Db], listing: NamedDependency[Listing]
) -> Page[Closure]:
    """The organization's closed dates (`scheduling.read`)."""
    return await db.page(Q.closures_list, Closure, listing)


@post(
    "/v1/orgs/{org_id:uuid}/closures",
    operation_id="closure_add",
    tags=["scheduling"],
    opt=requires("scheduling.manage"),
)
async def add_closure(db: NamedDependency[Db], data: JSONBody[AddClosure]) -> Response[Closure]:
    """Close the clinic on a date of its zone (`scheduling.manage`)."""
    new_id = await db.scalar(Q.closure_add, date=data.closure_date, reason=data.reason)
    return Response(await db.row(Q.closure_by_id, Closure, id=new_id), status_code=201)


@delete(
    "/v1/orgs/{org_id:uuid}/closures/{closure_id:uuid}",
    operation_id="closure_delete",
    tags=["scheduling"],
    status_code=204,
    opt=requires("scheduling.manage"),
)
async def delete_closure(db: NamedDependency[Db], closure_id: FromPath[UUID]) -> None:
    """Reopen a closed date (`scheduling.manage`)."""
    await db.execute(Q.closure_delete, id=closure_id)
