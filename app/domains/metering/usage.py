"""Metered usage of an organization by meter and month, with this month's quotas."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Annotated

import msgspec
from litestar import get
from litestar.di import NamedDependency
from litestar.params import FromQuery, QueryParameter

from app.api.errors import ApiError
from app.api.scope import Db, requires
from app.db.queries import catalogue

Q = catalogue("metering")

MAX_MONTHS = 24
# Optional query parameters do not get Litestar's pattern checks, so the code is checked here.
METER = re.compile(r"^[a-z][a-z0-9_]{1,62}$")
MeterCode = Annotated[
    str, QueryParameter(min_length=2, max_length=63, pattern=r"^[a-z][a-z0-9_]*$")
]


class UsagePeriod(msgspec.Struct):
    meter: str
    period_start: date
    quantity: int
    events: int


class Quota(msgspec.Struct):
    meter: str
    limit_code: str
    unit: str
    period_start: date
    used: int
    limit: int | None
    source: str
    remaining: int | None


class Usage(msgspec.Struct):
    from_: date = msgspec.field(name="from")
    to: date
    periods: list[UsagePeriod]
    quotas: list[Quota]


def _month(value: date) -> date:
    return value.replace(day=1)


def _months_between(first: date, last: date) -> int:
    return (last.year - first.year) * 12 + last.month - first.month + 1


@get(
    "/v1/orgs/{org_id:uuid}/usage",
    operation_id="usage_get",
    tags=["usage"],
    opt=requires("usage.read"),
)
async def get_usage(
    db: NamedDependency[Db],
    meter: FromQuery[MeterCode | None] = None,
    from_: Annotated[date | None, QueryParameter(name="from")] = None,
    to: FromQuery[date | None] = None,
) -> Usage:
    """Usage per meter and UTC month from `from` to `to` (months, inclusive; default this
    month, at most 24), and this month's quota of every limited meter (`usage.read`)."""
    this_month = _month(datetime.now(UTC).date())
    first = _month(from_) if from_ else (_month(to) if to else this_month)
    last = _month(to) if to else max(first, this_month)
    if first > last or _months_between(first, last) > MAX_MONTHS:
        raise ApiError(
            400,
            "validation_failed",
            f"`from` must not be after `to`, and the range is at most {MAX_MONTHS} months.",
            {"fields": [{"field": "from", "source": "query", "message": "invalid range"}]},
        )
    if meter is not None and not METER.fullmatch(meter):
        raise ApiError(
            400,
            "validation_failed",
            "The meter is a lowercase code such as sms_sent.",
            {"fields": [{"field": "meter", "source": "query", "message": "invalid meter code"}]},
        )
    if meter is not None and not await db.scalar(Q.meter_exists, meter=meter):
        raise ApiError(422, "meter_unknown", f"No meter {meter}.")
    return Usage(
        first,
        last,
        await db.rows(Q.usage_periods, UsagePeriod, first=first, last=last, meter=meter),
        await db.rows(Q.usage_quotas, Quota, meter=meter),
    )
