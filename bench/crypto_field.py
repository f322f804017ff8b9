"""Encrypt+decrypt throughput of one field in one process: local provider, DEK cached.

Usage: .venv/bin/python bench/crypto_field.py [--seconds 2] [--size 64]
"""

from __future__ import annotations

import argparse
import os
import time
import uuid
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime

from app.crypto import FieldCipher, FieldContext, KeyRecord, Keyring, WrappedKey
from app.crypto.local import LocalKeyProvider


class _DictKeyStore:
    """A dict KeyStore: after the first call the bench only hits the keyring cache."""

    def __init__(self) -> None:
        self.records: dict[tuple[uuid.UUID, int], KeyRecord] = {}

    def get_active(self, organization_id: uuid.UUID) -> KeyRecord | None:
        live = [r for (o, _), r in self.records.items() if o == organization_id]
        return max(live, key=lambda r: r.version) if live else None

    def get(self, organization_id: uuid.UUID, version: int) -> KeyRecord | None:
        return self.records.get((organization_id, version))

    def list_versions(self, organization_id: uuid.UUID) -> list[KeyRecord]:
        return sorted(
            (r for (o, _), r in self.records.items() if o == organization_id),
            key=lambda r: r.version,
        )

    def create(self, organization_id: uuid.UUID, wrapped: WrappedKey) -> KeyRecord:
        version = len(self.list_versions(organization_id)) + 1
        record = KeyRecord(
            organization_id, version, wrapped.kek_id, wrapped.blob, datetime.now(UTC)
        )
        self.records[(organization_id, version)] = record
        return record

    def retire(self, organization_id: uuid.UUID, version: int) -> bool:
        record = self.records[(organization_id, version)]
        self.records[(organization_id, version)] = replace(record, retired_at=datetime.now(UTC))
        return True

    def destroy(self, organization_id: uuid.UUID, version: int | None = None) -> int:
        doomed = [r for r in self.list_versions(organization_id) if version in (None, r.version)]
        for r in doomed:
            self.records[(organization_id, r.version)] = replace(
                r, wrapped_key=None, destroyed_at=datetime.now(UTC)
            )
        return len(doomed)

    def replace_wrapping(
        self, organization_id: uuid.UUID, version: int, old_kek_id: str, new: WrappedKey
    ) -> bool:
        record = self.records[(organization_id, version)]
        self.records[(organization_id, version)] = replace(
            record, kek_id=new.kek_id, wrapped_key=new.blob
        )
        return True


def _rate(step: Callable[[], object], seconds: float) -> float:
    done = 0
    batch = 1000
    start = time.perf_counter()
    deadline = start + seconds
    while True:
        for _ in range(batch):
            step()
        done += batch
        now = time.perf_counter()
        if now >= deadline:
            return done / (now - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=2.0, help="time per measurement")
    parser.add_argument("--size", type=int, default=64, help="plaintext bytes")
    args = parser.parse_args()

    org = uuid.uuid4()
    cipher = FieldCipher(
        Keyring(_DictKeyStore(), LocalKeyProvider([os.urandom(32)]), cache_ttl=3600)
    )
    value = os.urandom(args.size)
    context = FieldContext("billing.organization_billing", "tax_id_encrypted", org, uuid.uuid4())
    sealed = cipher.encrypt(value, context)  # creates and caches the DEK
    assert cipher.decrypt(sealed, context) == value

    def pair() -> None:
        # A fresh context per call, as the repository layer builds one per row.
        row = FieldContext("billing.organization_billing", "tax_id_encrypted", org, context.row_id)
        cipher.decrypt(cipher.encrypt(value, row), row)

    encrypt = _rate(lambda: cipher.encrypt(value, context), args.seconds)
    decrypt = _rate(lambda: cipher.decrypt(sealed, context), args.seconds)
    pairs = _rate(pair, args.seconds)
    print(f"field: {args.size} bytes plaintext, {len(sealed)} bytes stored")
    print(f"encrypt:          {encrypt:12,.0f} ops/s")
    print(f"decrypt:          {decrypt:12,.0f} ops/s")
    print(f"encrypt+decrypt:  {pairs:12,.0f} ops/s (one process, local provider, cached DEK)")


if __name__ == "__main__":
    main()
