"""Presigned URLs: a short-lived read link and a browser upload form bound to one key and type."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from app.domains.storage.client import ObjectStore
from app.domains.storage.keys import new_upload_key, purpose_named, validate_key

READ_TTL_SECONDS = 15 * 60
UPLOAD_TTL_SECONDS = 5 * 60


@dataclass(frozen=True)
class UploadGrant:
    """What the browser needs to POST one file, and what the server keeps to confirm it."""

    url: str
    fields: dict[str, str]
    key: str
    purpose: str
    declared_mime: str
    max_bytes: int
    expires_at: datetime


@dataclass(frozen=True)
class PostPolicy:
    expiration: datetime
    conditions: list[Any]

    def exact(self, field: str) -> str | None:
        """The value a condition pins `field` to, in either the {f: v} or [eq, $f, v] form."""
        wanted = field.lower()
        for cond in self.conditions:
            if isinstance(cond, dict):
                for name, value in cond.items():
                    if name.lower() == wanted:
                        return value
            elif cond[0] == "eq" and str(cond[1]).lower() == f"${wanted}":
                return cond[2]
        return None

    def content_length_range(self) -> tuple[int, int] | None:
        for cond in self.conditions:
            if isinstance(cond, list) and cond[0] == "content-length-range":
                return int(cond[1]), int(cond[2])
        return None


def _lifetime(expires_in: int, ceiling: int) -> int:
    # A caller may shorten a link, never lengthen it past the policy.
    if not 1 <= expires_in <= ceiling:
        raise ValueError(f"expires_in must be between 1 and {ceiling} seconds")
    return expires_in


def presign_upload(
    store: ObjectStore,
    *,
    org_id: UUID,
    purpose: str,
    declared_mime: str,
    expires_in: int = UPLOAD_TTL_SECONDS,
) -> UploadGrant:
    """A presigned POST for a new key of `purpose`, accepting only `declared_mime` and size."""
    spec = purpose_named(purpose)
    if declared_mime not in spec.mime_types:
        raise ValueError(f"{declared_mime!r} is not accepted for {purpose}")
    lifetime = _lifetime(expires_in, UPLOAD_TTL_SECONDS)
    key = new_upload_key(org_id, purpose)
    post = store.client.generate_presigned_post(
        Bucket=store.bucket,
        Key=key,
        Fields={"Content-Type": declared_mime},
        Conditions=[
            ["eq", "$key", key],
            {"Content-Type": declared_mime},
            ["content-length-range", 1, spec.max_bytes],
        ],
        ExpiresIn=lifetime,
    )
    fields = dict(post["fields"])
    return UploadGrant(
        url=post["url"],
        fields=fields,
        key=key,
        purpose=purpose,
        declared_mime=declared_mime,
        max_bytes=spec.max_bytes,
        # The policy's own deadline, so the confirm step judges by what S3 was told.
        expires_at=decode_policy(fields).expiration,
    )


def decode_policy(fields: dict[str, str]) -> PostPolicy:
    """The policy document a presigned POST carries (base64 JSON), decoded."""
    doc = json.loads(base64.b64decode(fields["policy"]))
    expiration = datetime.fromisoformat(doc["expiration"].replace("Z", "+00:00"))
    return PostPolicy(expiration=expiration, conditions=doc["conditions"])


def presign_read(
    store: ObjectStore,
    key: str,
    *,
    org_id: UUID,
    content_type: str | None = None,
    expires_in: int = READ_TTL_SECONDS,
) -> str:
    """A GET link to one object of `org_id`; `content_type` overrides the stored header."""
    validate_key(key, org_id)
    params: dict[str, str] = {"Bucket": store.bucket, "Key": key}
    if content_type:
        params["ResponseContentType"] = content_type
    return store.client.generate_presigned_url(
        "get_object", Params=params, ExpiresIn=_lifetime(expires_in, READ_TTL_SECONDS)
    )
