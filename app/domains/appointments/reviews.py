"""Reviews of appointments: the patient (or a caregiver who books for them) rates a done
appointment once, 1-5 stars and an optional comment, through /v1/me; the clinic's appointment
readers read one appointment's review and list them with filters."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

import msgspec
from litestar import Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter

from app.api.common import Body
from app.api.errors import ApiError
from app.api.lists import Listing, Page
from app.api.scope import Db, requires
from app.db.queries import catalogue
from app.domains.appointments.appointments import APPOINTMENT, _query_time

Q = catalogue("appointments")
Stars = Annotated[int, msgspec.Meta(ge=1, le=5)]
MY_REVIEW = "/v1/me/appointments/{appointment_id:uuid}/review"


class Review(msgspec.Struct):
    id: UUID
    appointment_id: UUID
    specialist_id: UUID
    patient_id: UUID
    stars: int
    comment: str | None
    created_at: datetime


class MyReview(msgspec.Struct):
    id: UUID
    appointment_id: UUID
    stars: int
    comment: str | None
    created_at: datetime


class WriteReview(Body, kw_only=True):
    """1-5 stars; the comment is optional, at most 2000 characters."""

    stars: Stars
    comment: Annotated[str, msgspec.Meta(max_length=2000)] | None = None


def _missing() -> ApiError:
    return ApiError(404, "review_not_found", "This appointment has no review you can read.")


@post(MY_REVIEW, operation_id="my_appointment_review_create", tags=["me"])
async def review_my_appointment(
    db: NamedDependency[Db], appointment_id: FromPath[UUID], data: JSONBody[WriteReview]
) -> Response[MyReview]:
    """Rate one of your done appointments (or of someone you book for), once: 409
    `appointment_not_done` before it is done, `review_exists` the second time."""
    await db.scalar(
        Q.my_appointment_review_create,
        appointment=appointment_id,
        stars=data.stars,
        comment=data.comment,
    )
    found = await db.row(Q.my_appointment_review, MyReview, appointment=appointment_id)
    if found is None:
        raise _missing()
    return Response(found, status_code=201)


@get(MY_REVIEW, operation_id="my_appointment_review_get", tags=["me"])
async def get_my_review(db: NamedDependency[Db], appointment_id: FromPath[UUID]) -> MyReview:
    """The review of one of your appointments."""
    found = await db.row(Q.my_appointment_review, MyReview, appointment=appointment_id)
    if found is None:
        raise _missing()
    return found


@get(
    APPOINTMENT + "/review",
    operation_id="appointment_review_get",
    tags=["appointments"],
    opt=requires("appointments.read"),
)
async def get_review(db: NamedDependency[Db], appointment_id: FromPath[UUID]) -> Review:
    """An appointment's review (`appointments.read` and `patients.read`)."""
    found = await db.row(Q.appointment_review, Review, appointment=appointment_id)
    if found is None:
        raise _missing()
    return found


@get(
    "/v1/orgs/{org_id:uuid}/reviews",
    operation_id="appointment_reviews_list",
    tags=["appointments"],
    opt=requires("appointments.read"),
)
async def list_reviews(
    db: NamedDependency[Db],
    listing: NamedDependency[Listing],
    specialist_id: Annotated[UUID | None, QueryParameter()] = None,
    stars: Annotated[int | None, QueryParameter(ge=1, le=5)] = None,
    max_stars: Annotated[int | None, QueryParameter(ge=1, le=5)] = None,
    from_: Annotated[str | None, QueryParameter(name="from", description="RFC 3339")] = None,
    to: Annotated[str | None, QueryParameter(description="RFC 3339, exclusive")] = None,
) -> Page[Review]:
    """The organization's reviews by when they were written, filtered by specialist, exact
    stars, at most `max_stars` (the low ones) and a range of when they were written
    (`appointments.read` and `patients.read`)."""
    return await db.page(
        Q.appointment_reviews_list,
        Review,
        listing,
        specialist=specialist_id,
        stars=stars,
        max_stars=max_stars,
        created_from=_query_time(from_, "from"),
        created_before=_query_time(to, "to"),
    )
