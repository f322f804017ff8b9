"""Object storage against a local S3-compatible server: keys, presigned URLs, upload checks."""

from __future__ import annotations

import hashlib
import time
import urllib.error
import urllib.request
import uuid
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest

from app.domains.storage.client import ObjectStore
from app.domains.storage.keys import InvalidKey, MiB, new_upload_key, stored_key, validate_key
from app.domains.storage.presign import (
    READ_TTL_SECONDS,
    UPLOAD_TTL_SECONDS,
    UploadGrant,
    decode_policy,
    presign_read,
    presign_upload,
)
from app.domains.storage.sniff import sniff_mime
from app.domains.storage.verify import CLOCK_SKEW, Rejection, UploadRejected, verify_upload
from tests.s3server import exists, png_bytes, post_fields
from tests.s3server import s3_server as s3_server
from tests.s3server import store as store

ORG = uuid.UUID("0a1b2c3d-0000-4000-8000-000000000001")
OTHER_ORG = uuid.UUID("0a1b2c3d-0000-4000-8000-000000000002")
OBJ = "5f0c6a52-3d6e-4c8e-9a0b-1c2d3e4f5a6b"


def post_form(grant: UploadGrant, content: bytes, content_type: str) -> int:
    return post_fields(grant.url, grant.fields, content, content_type)


# --- keys -------------------------------------------------------------------------------------


def test_new_upload_key_is_under_the_org_and_purpose() -> None:
    key = new_upload_key(ORG, "logo")
    parsed = validate_key(key, ORG, "logo")
    assert key.startswith(f"orgs/{ORG}/logo/")
    assert (parsed.org_id, parsed.purpose, parsed.extension) == (ORG, "logo", None)
    assert str(parsed) == key
    assert validate_key(stored_key(key, "image/png"), ORG).extension == "png"


@pytest.mark.parametrize(
    ("key", "reason"),
    [
        ("", "empty key"),
        (f"../orgs/{ORG}/logo/{OBJ}", "relative path segment"),
        (f"orgs/{ORG}/logo/../../{OTHER_ORG}/logo/{OBJ}", "relative path segment"),
        (f"orgs/{ORG}/../{OTHER_ORG}/logo/{OBJ}.png", "relative path segment"),
        (f"orgs/{ORG}/logo/./{OBJ}", "relative path segment"),
        (f"/orgs/{ORG}/logo/{OBJ}", "absolute"),
        ("/etc/passwd", "absolute"),
        (f"orgs/{OTHER_ORG}/logo/{OBJ}.png", "another organization"),
        (f"orgs/{str(OTHER_ORG).upper()}/logo/{OBJ}", "another organization"),
        (f"orgs/{ORG}/logo/%2e%2e/%2e%2e/{OTHER_ORG}/logo/{OBJ}", "percent-encoding"),
        (f"orgs%2F{OTHER_ORG}/logo/{OBJ}", "percent-encoding"),
        (f"orgs/{ORG}/logo/%252e%252e/{OBJ}", "percent-encoding"),
        (f"orgs/{ORG}/logo/..\\..\\{OTHER_ORG}\\logo\\{OBJ}", "backslash"),
        (f"orgs\\{ORG}\\logo\\{OBJ}", "backslash"),
        (f"orgs/{ORG}//logo/{OBJ}", "empty segment"),
        (f"orgs/{ORG}/logo/{OBJ}/", "empty segment"),
        (f"orgs/{ORG}/logo/{OBJ}\x00.png", "control character"),
        (f"orgs/{ORG}/logo/{OBJ}\n", "control character"),
        (f"orgs/{ORG}/logo/{OBJ}\x7f", "control character"),
        (f"tenants/{ORG}/logo/{OBJ}", "not under orgs/"),
        ("orgs", "not under orgs/"),
        (f"orgs/{ORG}", "does not have the form"),
        (f"orgs/{ORG}/logo", "does not have the form"),
        (f"orgs/{ORG}/logo/{OBJ}/extra", "does not have the form"),
        (f"orgs/{ORG}/logo/not-a-uuid.png", "does not have the form"),
        (f"orgs/{ORG}/logo/{OBJ.upper()}", "does not have the form"),
        (f"orgs/{ORG}/logo/{OBJ}.p\u2215ng", "does not have the form"),
        (f"orgs/{ORG}/logo/{OBJ}..png", "does not have the form"),
        (f"orgs/{ORG}/avatar/{OBJ}", "unknown storage purpose"),
    ],
)
def test_keys_cannot_escape_the_org(key: str, reason: str) -> None:
    with pytest.raises(InvalidKey, match=reason):
        validate_key(key, ORG)


def test_key_of_another_purpose_is_refused() -> None:
    with pytest.raises(InvalidKey, match="not 'signature'"):
        validate_key(f"orgs/{ORG}/logo/{OBJ}", ORG, "signature")


# --- sniffing ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("head", "mime"),
    [
        (png_bytes(), "image/png"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "image/jpeg"),
        (b"RIFF\x24\x00\x00\x00WEBPVP8 ", "image/webp"),
        (b"GIF89a\x01\x00\x01\x00", "image/gif"),
        (b"%PDF-1.7\n%\xe2\xe3", "application/pdf"),
        (b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00", "video/mp4"),
        (b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00", None),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script>1</script></svg>', "image/svg+xml"),
        (b'\xef\xbb\xbf  <?xml version="1.0"?>\n<!-- x -->\n<svg/>', "image/svg+xml"),
        (b"<!DOCTYPE html><html><body>hi</body></html>", "text/html"),
        (b"\n<script>alert(1)</script>", "text/html"),
        (b"<?xml version='1.0'?><note/>", "application/xml"),
        (b"just some text, not an image\n", None),
        (b"", None),
        (b"\x89PNG", None),
    ],
)
def test_sniff_recognises_types_by_their_bytes(head: bytes, mime: str | None) -> None:
    assert sniff_mime(head) == mime


# --- presigned URLs ---------------------------------------------------------------------------


def test_presigned_post_conditions(store: ObjectStore) -> None:
    before = datetime.now(UTC)
    grant = presign_upload(store, org_id=ORG, purpose="logo", declared_mime="image/png")
    policy = decode_policy(grant.fields)

    assert grant.key.startswith(f"orgs/{ORG}/logo/")
    validate_key(grant.key, ORG, "logo")
    assert grant.fields["key"] == grant.key
    assert grant.fields["Content-Type"] == "image/png"
    assert policy.exact("key") == grant.key
    assert ["eq", "$key", grant.key] in policy.conditions
    assert policy.exact("bucket") == store.bucket
    assert policy.exact("Content-Type") == "image/png"
    assert policy.content_length_range() == (1, 2 * MiB)
    assert policy.exact("x-amz-algorithm") == "AWS4-HMAC-SHA256"
    assert policy.exact("x-amz-credential") == grant.fields["x-amz-credential"]
    # No condition leaves a field open to whatever the browser sends.
    assert not [c for c in policy.conditions if isinstance(c, list) and c[0] == "starts-with"]

    lifetime = policy.expiration - before
    assert timedelta(seconds=UPLOAD_TTL_SECONDS - 2) <= lifetime <= timedelta(seconds=301)
    assert grant.expires_at == policy.expiration
    assert UPLOAD_TTL_SECONDS == 300


def test_presigned_post_refuses_types_and_lifetimes_outside_the_policy(
    store: ObjectStore,
) -> None:
    for mime in ("image/svg+xml", "text/html", "application/pdf", "image/gif"):
        with pytest.raises(ValueError, match="not accepted for logo"):
            presign_upload(store, org_id=ORG, purpose="logo", declared_mime=mime)
    with pytest.raises(InvalidKey, match="unknown storage purpose"):
        presign_upload(store, org_id=ORG, purpose="avatar", declared_mime="image/png")
    with pytest.raises(ValueError, match="between 1 and 300"):
        presign_upload(store, org_id=ORG, purpose="logo", declared_mime="image/png", expires_in=301)


def test_presigned_get_lasts_fifteen_minutes(store: ObjectStore) -> None:
    key = stored_key(new_upload_key(ORG, "logo"), "image/png")
    before = datetime.now(UTC).replace(microsecond=0)
    url = presign_read(store, key, org_id=ORG, content_type="image/png")
    parts = urlsplit(url)
    query = {name: values[0] for name, values in parse_qs(parts.query).items()}

    assert parts.path == f"/{store.bucket}/{key}"
    assert query["X-Amz-Algorithm"] == "AWS4-HMAC-SHA256"
    assert query["X-Amz-Expires"] == "900" == str(READ_TTL_SECONDS)
    signed_at = datetime.strptime(query["X-Amz-Date"], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    assert before - timedelta(seconds=1) <= signed_at <= datetime.now(UTC)
    assert query["X-Amz-SignedHeaders"] == "host"
    assert query["response-content-type"] == "image/png"
    assert query["X-Amz-Signature"]
    with pytest.raises(ValueError, match="between 1 and 900"):
        presign_read(store, key, org_id=ORG, expires_in=901)


def test_presigned_get_refuses_keys_of_another_org(store: ObjectStore) -> None:
    for key in (
        f"orgs/{OTHER_ORG}/logo/{OBJ}.png",
        f"orgs/{ORG}/logo/../../{OTHER_ORG}/logo/{OBJ}.png",
        f"orgs/{ORG}/logo/%2e%2e/%2e%2e/{OTHER_ORG}/logo/{OBJ}.png",
    ):
        with pytest.raises(InvalidKey):
            presign_read(store, key, org_id=ORG)


# --- upload through the presigned POST, then the confirm check ---------------------------------


def test_real_png_is_accepted_kept_and_readable(store: ObjectStore) -> None:
    content = png_bytes(16, 16)
    grant = presign_upload(store, org_id=ORG, purpose="logo", declared_mime="image/png")
    assert post_form(grant, content, "image/png") in (200, 201, 204)

    verified = verify_upload(
        store, grant.key, "logo", "image/png", org_id=ORG, upload_deadline=grant.expires_at
    )

    assert verified.key == f"{grant.key}.png"
    assert verified.size == len(content)
    assert verified.sha256 == hashlib.sha256(content).hexdigest()
    assert verified.detected_mime == "image/png"
    assert not exists(store, grant.key)
    head = store.client.head_object(Bucket=store.bucket, Key=verified.key)
    assert head["ContentType"] == "image/png"
    assert head["ContentLength"] == len(content)

    url = presign_read(store, verified.key, org_id=ORG, content_type=verified.detected_mime)
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310
        assert response.read() == content
        assert response.headers["Content-Type"] == "image/png"


def test_reusing_the_grant_after_confirm_cannot_replace_the_kept_object(
    store: ObjectStore,
) -> None:
    content = png_bytes(4, 4)
    grant = presign_upload(store, org_id=ORG, purpose="logo", declared_mime="image/png")
    assert post_form(grant, content, "image/png") in (200, 201, 204)
    verified = verify_upload(store, grant.key, "logo", "image/png", org_id=ORG)

    # The grant is still valid for minutes; a second POST lands on the upload key only.
    assert post_form(grant, b"<html><script>alert(1)</script></html>", "image/png") < 300
    kept = store.client.get_object(Bucket=store.bucket, Key=verified.key)["Body"].read()
    assert hashlib.sha256(kept).hexdigest() == verified.sha256


def _rejected(
    store: ObjectStore, content: bytes, declared: str, upload_type: str | None = None
) -> UploadRejected:
    grant = presign_upload(store, org_id=ORG, purpose="logo", declared_mime=declared)
    assert post_form(grant, content, upload_type or declared) in (200, 201, 204)
    assert exists(store, grant.key)
    with pytest.raises(UploadRejected) as caught:
        verify_upload(
            store, grant.key, "logo", declared, org_id=ORG, upload_deadline=grant.expires_at
        )
    assert not exists(store, grant.key), "a rejected upload must be deleted"
    assert not exists(store, f"{grant.key}.png")
    assert not exists(store, f"{grant.key}.jpg")
    return caught.value


def test_png_declared_as_jpeg_is_rejected_and_deleted(store: ObjectStore) -> None:
    rejection = _rejected(store, png_bytes(), "image/jpeg")
    assert rejection.reason is Rejection.MIME_MISMATCH
    assert rejection.detected_mime == "image/png"
    assert "declared image/jpeg" in rejection.detail


def test_text_declared_as_png_is_rejected_and_deleted(store: ObjectStore) -> None:
    rejection = _rejected(store, b"not an image at all\n" * 10, "image/png")
    assert rejection.reason is Rejection.TYPE_NOT_ALLOWED
    assert rejection.detected_mime is None
    assert rejection.size == 200


def test_svg_declared_as_png_is_rejected_and_deleted(store: ObjectStore) -> None:
    svg = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script/></svg>'
    rejection = _rejected(store, svg, "image/png", "image/svg+xml")
    assert rejection.reason is Rejection.TYPE_NOT_ALLOWED
    assert rejection.detected_mime == "image/svg+xml"


def test_oversize_upload_is_rejected_and_deleted(store: ObjectStore) -> None:
    content = png_bytes(1024, 720, noise=True)
    assert len(content) > 2 * MiB
    # The local server stores it although the policy's content-length-range forbids it,
    # which is why the confirm step measures the object itself.
    rejection = _rejected(store, content, "image/png")
    assert rejection.reason is Rejection.TOO_LARGE
    assert rejection.size == len(content)


def test_missing_object_is_rejected(store: ObjectStore) -> None:
    grant = presign_upload(store, org_id=ORG, purpose="logo", declared_mime="image/png")
    with pytest.raises(UploadRejected) as caught:
        verify_upload(store, grant.key, "logo", "image/png", org_id=ORG)
    assert caught.value.reason is Rejection.MISSING


def test_upload_through_an_expired_grant_is_refused(store: ObjectStore) -> None:
    grant = presign_upload(
        store, org_id=ORG, purpose="logo", declared_mime="image/png", expires_in=1
    )
    assert decode_policy(grant.fields).expiration == grant.expires_at
    late = (grant.expires_at + CLOCK_SKEW - datetime.now(UTC)).total_seconds() + 1.1
    time.sleep(max(late, 0))
    # moto_server ignores the policy's expiration and stores the late upload.
    assert post_form(grant, png_bytes(), "image/png") in (200, 201, 204)

    with pytest.raises(UploadRejected) as caught:
        verify_upload(
            store, grant.key, "logo", "image/png", org_id=ORG, upload_deadline=grant.expires_at
        )
    assert caught.value.reason is Rejection.EXPIRED
    assert not exists(store, grant.key)


def test_verify_refuses_keys_outside_the_org_and_touches_nothing(store: ObjectStore) -> None:
    content = png_bytes()
    grant = presign_upload(store, org_id=OTHER_ORG, purpose="logo", declared_mime="image/png")
    assert post_form(grant, content, "image/png") in (200, 201, 204)
    escaped = f"orgs/{ORG}/logo/../../{grant.key.removeprefix('orgs/')}"
    for key in (grant.key, escaped, f"{grant.key}.png"):
        with pytest.raises(InvalidKey):
            verify_upload(store, key, "logo", "image/png", org_id=ORG)
    assert exists(store, grant.key)
