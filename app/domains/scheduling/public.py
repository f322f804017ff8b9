"""The public booking page: a public calendar's availability (a count of free specialists,
or on patient_choice calendars the specialists a patient may pick), and holds of a slot
while the patient fills in the form. Read through SECURITY DEFINER functions on the system
pool; holds live in Redis (app/domains/scheduling/holds.py)."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Annotated
from uuid import UUID

import msgspec
from litestar import Request, Response, delete, get, post
from litestar.params import FromPath, HeaderParameter, JSONBody, QueryParameter
from litestar.response import ServerSentEvent, ServerSentEventMessage
from psycopg.rows import kwargs_row

from app.api.common import ERRORS, Body
from app.api.errors import ApiError
from app.api.health import ANONYMOUS
from app.api.ratelimit import RATE_LIMIT_RESPONSES, rate_limited
from app.api.requester import client_ip
from app.db.queries import catalogue
from app.domains.scheduling import holds
from app.domains.scheduling.calendars import Slot, query_date, query_zone

Q = catalogue("scheduling")

Token = Annotated[str, msgspec.Meta(pattern=r"^[A-Za-z0-9_-]{16,64}$")]


class PublicSpecialist(msgspec.Struct):
    id: UUID
    display_name: str


class PublicSlot(msgspec.Struct, omit_defaults=True):
    start: str
    end: str
    available: int
    specialists: list[PublicSpecialist] | None = None


class PublicAvailability(msgspec.Struct):
    slots: list[PublicSlot]


class PlaceHold(Body, kw_only=True):
    """`start` is a slot's start as availability gave it; `specialist_id` is required on
    patient_choice calendars; `token` continues a booking session (one live hold each)."""

    start: datetime
    specialist_id: UUID | None = None
    token: Token | None = None


class HoldPlaced(msgspec.Struct):
    token: str
    start: datetime
    end: datetime
    expires_at: datetime
    specialist_id: UUID | None


class PublicCalendar(msgspec.Struct):
    id: UUID
    organization_id: UUID
    assignment_strategy: str
    duration_minutes: int


PUBLIC = dict(
    guards=[rate_limited("public")],
    responses={**ERRORS, **RATE_LIMIT_RESPONSES},
    tags=["public"],
    security=ANONYMOUS,
)


async def _calendar(conn, calendar_id: UUID) -> PublicCalendar:
    async with conn.cursor(row_factory=kwargs_row(PublicCalendar)) as cur:
        await cur.execute(Q.public_calendar.sql, {"calendar": calendar_id})
        found = await cur.fetchone()
    if found is None:
        raise ApiError(404, "calendar_not_found", "No such public calendar.")
    return found


@get(
    "/v1/public/calendars/{calendar_id:uuid}/availability",
    operation_id="public_availability",
    **PUBLIC,
)
async def public_availability(
    request: Request,
    calendar_id: FromPath[UUID],
    from_: Annotated[str | None, QueryParameter(name="from", description="YYYY-MM-DD")] = None,
    to: Annotated[str | None, QueryParameter(description="YYYY-MM-DD, at most 62 dates")] = None,
    timezone: Annotated[str | None, QueryParameter(description="IANA zone; the calendar's")] = None,
) -> PublicAvailability:
    """A public calendar's free slots: how many specialists are free at each, and on
    patient_choice calendars which (id and display name)."""
    first, last = query_date(from_, "from"), query_date(to, "to")
    zone = query_zone(timezone)
    resources = request.app.state.resources
    async with resources.system_pool.connection() as conn:
        cal = await _calendar(conn, calendar_id)
        live = await holds.live(
            resources.redis, resources.settings.redis_prefix, str(cal.organization_id)
        )
        async with conn.cursor(row_factory=kwargs_row(Slot)) as cur:
            await cur.execute(
                Q.public_availability.sql,
                {
                    "calendar": calendar_id,
                    "first": first,
                    "last": last,
                    "tz": zone,
                    "holds": holds.as_parameter(live),
                },
            )
            slots = await cur.fetchall()
        names: dict[UUID, PublicSpecialist] = {}
        if cal.assignment_strategy == "patient_choice":
            async with conn.cursor(row_factory=kwargs_row(PublicSpecialist)) as cur:
                await cur.execute(Q.public_specialists.sql, {"calendar": calendar_id})
                names = {p.id: p for p in await cur.fetchall()}
    return PublicAvailability(
        [
            PublicSlot(
                s.start,
                s.end,
                len(s.specialist_ids),
                [names[i] for i in s.specialist_ids if i in names] if names else None,
            )
            for s in slots
        ]
    )


@post("/v1/public/calendars/{calendar_id:uuid}/holds", operation_id="public_holds_place", **PUBLIC)
async def place_hold(
    request: Request, calendar_id: FromPath[UUID], data: JSONBody[PlaceHold]
) -> Response[HoldPlaced]:
    """Hold a free slot for a while (10 minutes by default) with a token: it is busy for
    everyone else until it expires or is released. The calendar's strategy picks the
    specialist; at most 3 live holds per client address and 1 per token."""
    resources = request.app.state.resources
    settings = resources.settings
    start = data.start.astimezone(UTC)
    token = data.token or secrets.token_urlsafe(24)
    client = client_ip(request.scope)
    async with resources.system_pool.connection() as conn:
        cal = await _calendar(conn, calendar_id)
        org = str(cal.organization_id)
        end = start + timedelta(minutes=cal.duration_minutes)
        if cal.assignment_strategy == "patient_choice" and data.specialist_id is None:
            raise ApiError(422, "specialist_required", "specialist_id: pick a specialist.")
        # A concurrent hold may take the pick between reading and placing; the script refuses
        # it then, and the next round sees that hold.
        for _ in range(3):
            live = await holds.live(resources.redis, settings.redis_prefix, org)
            cur = await conn.execute(
                Q.pick_specialist.sql,
                {
                    "calendar": calendar_id,
                    "start": start,
                    "holds": holds.as_parameter(live),
                    "requested": data.specialist_id,
                },
            )
            picked = (await cur.fetchone())[0]
            if picked is None:
                raise ApiError(409, "no_specialist_free", "Nobody is free at this start.")
            outcome = await holds.place(
                resources.redis,
                settings.redis_prefix,
                org,
                token,
                str(picked),
                int(start.timestamp()),
                int(end.timestamp()),
                settings.hold_ttl_seconds,
                client,
                settings.holds_per_client,
            )
            if outcome == "ok":
                break
            if outcome == "token":
                raise ApiError(409, "hold_token_in_use", "This token already holds a slot.")
            if outcome == "client":
                raise ApiError(429, "too_many_holds", "This address holds the most slots it may.")
        else:
            raise ApiError(409, "no_specialist_free", "Nobody is free at this start.")
    await resources.redis.publish(holds.channel(settings.redis_prefix, str(calendar_id)), b"hold")
    expires = datetime.now(UTC) + timedelta(seconds=settings.hold_ttl_seconds)
    shown = picked if cal.assignment_strategy == "patient_choice" else None
    return Response(HoldPlaced(token, start, end, expires, shown), status_code=201)


@delete(
    "/v1/public/calendars/{calendar_id:uuid}/holds",
    operation_id="public_holds_release",
    status_code=204,
    **PUBLIC,
)
async def release_hold(
    request: Request,
    calendar_id: FromPath[UUID],
    hold_token: Annotated[Token, HeaderParameter(name="Hold-Token")],
) -> None:
    """Release a hold (the token in the `Hold-Token` header)."""
    resources = request.app.state.resources
    async with resources.system_pool.connection() as conn:
        cal = await _calendar(conn, calendar_id)
    released = await holds.release(
        resources.redis, resources.settings.redis_prefix, str(cal.organization_id), hold_token
    )
    if not released:
        raise ApiError(404, "hold_not_found", "No live hold with this token.")
    await resources.redis.publish(
        holds.channel(resources.settings.redis_prefix, str(calendar_id)), b"release"
    )


@get(
    "/v1/public/calendars/{calendar_id:uuid}/availability/stream",
    operation_id="public_availability_stream",
    **PUBLIC,
)
async def availability_stream(request: Request, calendar_id: FromPath[UUID]) -> ServerSentEvent:
    """Server-Sent Events: `ready` once, then `availability` whenever a hold is placed or
    released, or a booking, cancellation or hours change touches the calendar (the worker's
    availability_relay; Redis pub/sub, so every API process hears every other), and a
    comment every 15 seconds to keep proxies from closing the stream. Clients refetch
    availability on each message."""
    resources = request.app.state.resources
    async with resources.system_pool.connection() as conn:
        await _calendar(conn, calendar_id)
    name = holds.channel(resources.settings.redis_prefix, str(calendar_id))

    async def messages() -> AsyncIterator[ServerSentEventMessage]:
        pubsub = resources.redis.pubsub()
        await pubsub.subscribe(name)
        try:
            yield ServerSentEventMessage(event="ready", data="{}")
            while True:
                message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=15)
                if message is None:
                    yield ServerSentEventMessage(comment="keep-alive")
                    continue
                reason = message["data"]
                reason = reason.decode() if isinstance(reason, bytes) else str(reason)
                yield ServerSentEventMessage(
                    event="availability",
                    data=msgspec.json.encode(
                        {"calendar_id": calendar_id, "reason": reason}
                    ).decode(),
                )
        finally:
            await pubsub.unsubscribe(name)
            await pubsub.aclose()

    return ServerSentEvent(messages())
