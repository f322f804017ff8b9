"""Specialists' calendar feeds: a revocable bearer URL of a specialist's appointments in
iCalendar (RFC 5545), for their phone or desktop calendar. The token is shown once at
creation and only its SHA-256 is stored; the public fetch resolves it through a SECURITY
DEFINER function on the system pool. The `icalendar` package renders the feed (line folding,
escaping and UTC date-times as RFC 5545 says)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from uuid import UUID

import icalendar
import msgspec
from litestar import Request, Response, delete, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody
from psycopg.rows import kwargs_row

from app.api.common import ERRORS, Body
from app.api.errors import ApiError
from app.api.health import ANONYMOUS
from app.api.ratelimit import RATE_LIMIT_RESPONSES, rate_limited
from app.api.scope import Db
from app.db.queries import catalogue

Q = catalogue("appointments")

FEED = "/v1/orgs/{org_id:uuid}/specialists/{specialist_id:uuid}/calendar.ics"
PUBLIC_FEED = "/v1/public/calendar-feeds/{feed:str}"
# No route-level permission: the specialist themself may manage their feed without
# appointments.manage, so appointments.require_feed_manager decides in SQL.
_TOKEN = re.compile(r"^([0-9a-f]{64})\.ics$")
# iCalendar STATUS of a VEVENT: a requested appointment is not yet agreed; a no-show was a
# confirmed booking the patient missed.
STATUS = {
    "requested": "TENTATIVE",
    "confirmed": "CONFIRMED",
    "inprogress": "CONFIRMED",
    "done": "CONFIRMED",
    "no_show": "CONFIRMED",
    "cancelled": "CANCELLED",
}
UID_DOMAIN = "appointments.restartix"


class CreateFeed(Body, kw_only=True):
    """`include_patient_names` shows patients' names in event titles, only while the
    organization's `calendar_feed_patient_names` setting allows it."""

    include_patient_names: bool = False


class Feed(msgspec.Struct):
    id: UUID
    specialist_id: UUID
    include_patient_names: bool
    patient_names_shown: bool
    created_by: UUID | None
    created_at: datetime


class FeedCreated(msgspec.Struct):
    """The token and URL are shown this once: only a hash of the token is stored."""

    feed: Feed
    token: str
    url: str


class _Created(msgspec.Struct):
    id: UUID
    token: str
    created_at: datetime


class _PublicFeed(msgspec.Struct):
    feed_id: UUID
    organization_id: UUID
    specialist_id: UUID
    specialist_name: str
    organization_name: str
    patient_names_shown: bool


class _Event(msgspec.Struct):
    id: UUID
    starts_at: datetime
    ends_at: datetime
    status: str
    modality: str
    service_name: str
    patient_name: str | None
    created_at: datetime
    updated_at: datetime


async def _feed(db: Db, specialist_id: UUID) -> Feed:
    found = await db.row(Q.calendar_feed_get, Feed, specialist=specialist_id)
    if found is None:
        raise ApiError(404, "calendar_feed_not_found", "This specialist has no calendar feed.")
    return found


@post(
    FEED,
    operation_id="calendar_feed_create",
    tags=["appointments"],
)
async def create_feed(
    request: Request,
    db: NamedDependency[Db],
    specialist_id: FromPath[UUID],
    data: JSONBody[CreateFeed],
) -> Response[FeedCreated]:
    """Create the specialist's ICS feed, replacing the live one (its URL stops working): the
    specialist themself or `appointments.manage` staff. The token and URL come back once."""
    created = await db.row(
        Q.calendar_feed_create,
        _Created,
        specialist=specialist_id,
        include_patient_names=data.include_patient_names,
    )
    assert created is not None
    feed = await _feed(db, specialist_id)
    path = PUBLIC_FEED.replace("{feed:str}", f"{created.token}.ics")
    url = str(request.base_url).rstrip("/") + path
    return Response(FeedCreated(feed, created.token, url), status_code=201)


@get(
    FEED,
    operation_id="calendar_feed_get",
    tags=["appointments"],
)
async def get_feed(db: NamedDependency[Db], specialist_id: FromPath[UUID]) -> Feed:
    """The specialist's live ICS feed, without its token (the specialist themself or
    `appointments.manage` staff); 404 `calendar_feed_not_found` when there is none."""
    return await _feed(db, specialist_id)


@delete(
    FEED,
    operation_id="calendar_feed_revoke",
    tags=["appointments"],
    status_code=204,
)
async def revoke_feed(db: NamedDependency[Db], specialist_id: FromPath[UUID]) -> None:
    """Revoke the specialist's ICS feed: its URL answers 404 from now on."""
    await db.execute(Q.calendar_feed_revoke, specialist=specialist_id)


def render(feed: _PublicFeed, events: list[_Event]) -> bytes:
    """The feed as an iCalendar document: one VEVENT per appointment, times in UTC."""
    cal = icalendar.Calendar()
    cal.add("prodid", "-//RestartiX//Core calendar feed//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", f"{feed.specialist_name} · {feed.organization_name}")
    for e in events:
        event = icalendar.Event()
        event.add("uid", f"{e.id}@{UID_DOMAIN}")
        event.add("dtstamp", e.updated_at.astimezone(UTC))
        event.add("dtstart", e.starts_at.astimezone(UTC))
        event.add("dtend", e.ends_at.astimezone(UTC))
        event.add("created", e.created_at.astimezone(UTC))
        event.add("last-modified", e.updated_at.astimezone(UTC))
        summary = (
            e.service_name if e.patient_name is None else f"{e.service_name}: {e.patient_name}"
        )
        event.add("summary", summary)
        event.add("status", STATUS[e.status])
        event.add("transp", "TRANSPARENT" if e.status == "cancelled" else "OPAQUE")
        event.add("categories", [e.modality])
        cal.add_component(event)
    return cal.to_ical()


@get(
    PUBLIC_FEED,
    operation_id="public_calendar_feed",
    guards=[rate_limited("public")],
    responses={**ERRORS, **RATE_LIMIT_RESPONSES},
    tags=["public"],
    security=ANONYMOUS,
    media_type="text/calendar",
)
async def public_feed(request: Request, feed: FromPath[str]) -> Response[bytes]:
    """A specialist's appointments from 30 days back to 180 days ahead as iCalendar
    (`<token>.ics`, no sign-in: the token is the credential). 404 for an unknown or revoked
    token."""
    match = _TOKEN.match(feed)
    if match is None:
        raise ApiError(404, "calendar_feed_not_found", "No such calendar feed.")
    token = match[1]
    resources = request.app.state.resources
    async with resources.system_pool.connection() as conn:
        async with conn.cursor(row_factory=kwargs_row(_PublicFeed)) as cur:
            await cur.execute(Q.public_calendar_feed.sql, {"token": token})
            found = await cur.fetchone()
        if found is None:
            raise ApiError(404, "calendar_feed_not_found", "No such calendar feed.")
        async with conn.cursor(row_factory=kwargs_row(_Event)) as cur:
            await cur.execute(Q.public_calendar_feed_events.sql, {"token": token})
            events = await cur.fetchall()
    return Response(
        render(found, events),
        media_type="text/calendar; charset=utf-8",
        headers={"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"},
    )
