"""The boto3 S3 client and bucket the application stores objects in, built from Settings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

from app.config import Settings


class StorageUnavailable(RuntimeError):
    """The object store is not configured (no credentials) or cannot be reached."""


@dataclass(frozen=True)
class ObjectStore:
    client: Any
    bucket: str


def open_store(settings: Settings) -> ObjectStore:
    """Credentials come from boto3's usual chain (AWS_ACCESS_KEY_ID, … or an instance role)."""
    endpoint = settings.s3_endpoint_url or None
    config = Config(
        signature_version="s3v4",
        # Local S3-compatible servers answer on one host name, so no bucket subdomains there.
        s3={"addressing_style": "path" if endpoint else "auto"},
        retries={"max_attempts": 3, "mode": "standard"},
        connect_timeout=5,
        read_timeout=30,
    )
    session = boto3.session.Session()
    # Without credentials boto3 would fail later, and obscurely, at the first presigned URL.
    if session.get_credentials() is None:
        raise StorageUnavailable("no S3 credentials (AWS_ACCESS_KEY_ID, a profile or a role)")
    client = session.client(
        "s3", endpoint_url=endpoint, region_name=settings.s3_region, config=config
    )
    return ObjectStore(client=client, bucket=settings.s3_bucket)


def ensure_bucket(store: ObjectStore) -> None:
    """Create the bucket if it is missing; for dev and tests, production buckets are provisioned."""
    try:
        store.client.head_bucket(Bucket=store.bucket)
        return
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") not in ("404", "NoSuchBucket", "NotFound"):
            raise
    region = store.client.meta.region_name
    kwargs: dict[str, Any] = {"Bucket": store.bucket}
    if region and region != "us-east-1":
        kwargs["CreateBucketConfiguration"] = {"LocationConstraint": region}
    store.client.create_bucket(**kwargs)


def delete_objects(store: ObjectStore, *keys: str) -> None:
    """Remove objects by key; a key with no object is no error (S3 deletes are idempotent)."""
    for key in keys:
        store.client.delete_object(Bucket=store.bucket, Key=key)
