"""Types the catalog's route modules share: money, translations, PATCH bodies as JSON."""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec

from app.api.common import Body

Locale = Literal["en", "ro"]
Modality = Literal["in_clinic", "video", "home_visit"]
PlanType = Literal["session_pack", "membership", "telerehab_program"]
Period = Literal["week", "month", "quarter", "year"]

ItemName = Annotated[str, msgspec.Meta(min_length=1, max_length=200, pattern=r"\S")]
LongText = Annotated[str, msgspec.Meta(max_length=4000)]
# Money: integer minor units (bani, cents) with an ISO 4217 code; a float is refused.
Amount = Annotated[int, msgspec.Meta(ge=0, le=100_000_000_000)]
Currency = Annotated[
    str, msgspec.Meta(pattern=r"^[A-Z]{3}$", description="ISO 4217 code, e.g. RON, EUR")
]
SortOrder = Annotated[int, msgspec.Meta(ge=-1_000_000, le=1_000_000)]


class Texts(Body, omit_defaults=True):
    """The translatable fields of one locale (docs/conventions.md, content translations)."""

    name: ItemName | None = None
    description: (
        Annotated[str, msgspec.Meta(min_length=1, max_length=4000, pattern=r"\S")] | None
    ) = None


Translations = Annotated[dict[Locale, Texts], msgspec.Meta(max_length=2)]


def fields_of(data: msgspec.Struct, *, skip: tuple[str, ...] = ()) -> str:
    """The fields a body sets (those not None), as the JSON object the catalog functions take."""
    values = {f: getattr(data, f) for f in data.__struct_fields__ if f not in skip}
    return msgspec.json.encode({k: v for k, v in values.items() if v is not None}).decode()
