"""A dict-backed KeyStore for the crypto tests, with the same version rules as the SQL one."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import UTC, datetime
from uuid import UUID

from app.crypto.keys import KeyRecord
from app.crypto.providers import WrappedKey


class MemoryKeyStore:
    def __init__(self) -> None:
        self.records: dict[tuple[UUID, int], KeyRecord] = {}
        self.reads = 0
        self._lock = threading.Lock()

    def _versions(self, organization_id: UUID) -> list[KeyRecord]:
        found = [r for (org, _), r in self.records.items() if org == organization_id]
        return sorted(found, key=lambda r: r.version)

    def get_active(self, organization_id: UUID) -> KeyRecord | None:
        self.reads += 1
        versions = self._versions(organization_id)
        if not versions:
            return None
        newest = versions[-1]
        live = newest.retired_at is None and newest.destroyed_at is None
        return newest if live else None

    def get(self, organization_id: UUID, version: int) -> KeyRecord | None:
        self.reads += 1
        return self.records.get((organization_id, version))

    def list_versions(self, organization_id: UUID) -> list[KeyRecord]:
        return self._versions(organization_id)

    def create(self, organization_id: UUID, wrapped: WrappedKey) -> KeyRecord:
        with self._lock:
            versions = self._versions(organization_id)
            version = versions[-1].version + 1 if versions else 1
            record = KeyRecord(
                organization_id, version, wrapped.kek_id, wrapped.blob, datetime.now(UTC)
            )
            self.records[(organization_id, version)] = record
            return record

    def retire(self, organization_id: UUID, version: int) -> bool:
        record = self.records.get((organization_id, version))
        if record is None or record.retired_at or record.destroyed_at:
            return False
        self.records[(organization_id, version)] = replace(record, retired_at=datetime.now(UTC))
        return True

    def destroy(self, organization_id: UUID, version: int | None = None) -> int:
        count = 0
        for record in self._versions(organization_id):
            if record.destroyed_at is None and version in (None, record.version):
                self.records[(organization_id, record.version)] = replace(
                    record, wrapped_key=None, destroyed_at=datetime.now(UTC)
                )
                count += 1
        return count

    def replace_wrapping(
        self, organization_id: UUID, version: int, old_kek_id: str, new: WrappedKey
    ) -> bool:
        record = self.records.get((organization_id, version))
        if record is None or record.destroyed_at or record.kek_id != old_kek_id:
            return False
        self.records[(organization_id, version)] = replace(
            record, kek_id=new.kek_id, wrapped_key=new.blob
        )
        return True
