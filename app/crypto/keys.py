"""Organization data keys: the storage protocol, and a keyring that unwraps and caches them.

A DEK version is never reused: destroyed versions stay as tombstones, so an old ciphertext
naming a destroyed version reports KeyDestroyedError instead of failing against a newer key.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol
from uuid import UUID

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from app.crypto.errors import KeyDestroyedError, KeyUnwrapError, UnknownKeyError
from app.crypto.providers import DEK_SIZE, KeyProvider, WrappedKey


@dataclass(frozen=True)
class DataKey:
    """An unwrapped DEK version of one organization, ready to seal and open fields."""

    organization_id: UUID
    version: int
    material: bytes = field(repr=False)
    aead: AESGCM = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if len(self.material) != DEK_SIZE:
            raise ValueError(f"a DEK is {DEK_SIZE} bytes, got {len(self.material)}")
        object.__setattr__(self, "aead", AESGCM(self.material))


@dataclass(frozen=True)
class KeyRecord:
    """One stored DEK version; its wrapped bytes are None once it is destroyed."""

    organization_id: UUID
    version: int
    kek_id: str
    wrapped_key: bytes | None = field(repr=False)
    created_at: datetime
    retired_at: datetime | None = None
    destroyed_at: datetime | None = None

    @property
    def wrapped(self) -> WrappedKey | None:
        if self.destroyed_at is not None or self.wrapped_key is None:
            return None
        return WrappedKey(self.kek_id, self.wrapped_key)


class KeyStore(Protocol):
    """Where wrapped DEKs live (crypto.organization_data_keys); every call is org-scoped."""

    def get_active(self, organization_id: UUID) -> KeyRecord | None:
        """The newest version, if it is neither retired nor destroyed."""
        ...

    def get(self, organization_id: UUID, version: int) -> KeyRecord | None:
        """One version, tombstones included; None if the org never had it."""
        ...

    def list_versions(self, organization_id: UUID) -> list[KeyRecord]:
        """Every version of the org, oldest first."""
        ...

    def create(self, organization_id: UUID, wrapped: WrappedKey) -> KeyRecord:
        """Store a new version numbered one above the org's highest (tombstones count)."""
        ...

    def retire(self, organization_id: UUID, version: int) -> bool:
        """Mark a live version retired (no new writes); False if it was not live."""
        ...

    def destroy(self, organization_id: UUID, version: int | None = None) -> int:
        """Erase the wrapped bytes of one version or all versions; how many were destroyed."""
        ...

    def replace_wrapping(
        self, organization_id: UUID, version: int, old_kek_id: str, new: WrappedKey
    ) -> bool:
        """Rewrap a live version if it is still wrapped by old_kek_id (KEK rotation)."""
        ...


class _TtlCache:
    """A small thread-safe LRU whose entries also expire after a fixed time."""

    def __init__(self, ttl: float, max_entries: int, clock: Callable[[], float]) -> None:
        self._ttl = ttl
        self._max = max_entries
        self._clock = clock
        self._entries: OrderedDict[Hashable, tuple[float, DataKey]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> DataKey | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            if entry[0] <= self._clock():
                del self._entries[key]
                return None
            self._entries.move_to_end(key)
            return entry[1]

    def put(self, key: Hashable, value: DataKey) -> None:
        if self._ttl <= 0:
            return
        with self._lock:
            self._entries[key] = (self._clock() + self._ttl, value)
            self._entries.move_to_end(key)
            while len(self._entries) > self._max:
                self._entries.popitem(last=False)

    def drop_org(self, organization_id: UUID) -> None:
        with self._lock:
            entries = self._entries.items()
            stale = [k for k, (_, key) in entries if key.organization_id == organization_id]
            for key in stale:
                del self._entries[key]

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


class Keyring:
    """Current DEK of an org for writing, any of its versions for reading; cached briefly.

    The cache means a key destroyed by another process stays usable here for at most
    `cache_ttl` seconds; the process that destroys it forgets it at once.
    """

    def __init__(
        self,
        store: KeyStore,
        provider: KeyProvider,
        *,
        cache_ttl: float = 60.0,
        max_cached: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.store = store
        self.provider = provider
        self._cache = _TtlCache(cache_ttl, max_cached, clock)
        self._create_lock = threading.Lock()

    def current_key(self, organization_id: UUID) -> DataKey:
        """The key new writes use: the newest live version, created on first use."""
        cached = self._cache.get(("current", organization_id))
        if cached is not None:
            return cached
        record = self.store.get_active(organization_id)
        if record is None:
            # One creator per process; across processes a race only adds a spare version.
            with self._create_lock:
                record = self.store.get_active(organization_id)
                if record is None:
                    return self._create(organization_id)
        key = self._unwrap(record)
        self._remember(key, current=True)
        return key

    def key(self, organization_id: UUID, version: int) -> DataKey:
        """A given version for reading; raises UnknownKeyError or KeyDestroyedError."""
        cached = self._cache.get((organization_id, version))
        if cached is not None:
            return cached
        record = self.store.get(organization_id, version)
        if record is None:
            raise UnknownKeyError(
                f"organization {organization_id} has no data key version {version}"
            )
        if record.destroyed_at is not None:
            raise KeyDestroyedError(
                f"data key version {version} of organization {organization_id} was destroyed "
                f"at {record.destroyed_at.isoformat()}; values encrypted with it are unrecoverable"
            )
        key = self._unwrap(record)
        self._remember(key, current=False)
        return key

    def rotate(self, organization_id: UUID) -> DataKey:
        """Start a new version; new writes use it at once here, elsewhere within the TTL."""
        with self._create_lock:
            return self._create(organization_id)

    def retire(self, organization_id: UUID, version: int) -> bool:
        """Stop a version being chosen for writes; call only once no row uses it."""
        retired = self.store.retire(organization_id, version)
        current = self._cache.get(("current", organization_id))
        if current is not None and current.version == version:
            self._cache.drop_org(organization_id)
        return retired

    def destroy(self, organization_id: UUID, version: int | None = None) -> int:
        """Crypto-shred one version or all of an org's keys; how many were destroyed."""
        self._cache.drop_org(organization_id)
        destroyed = self.store.destroy(organization_id, version)
        self._cache.drop_org(organization_id)
        return destroyed

    def rewrap(self, organization_id: UUID) -> int:
        """After a KEK rotation: rewrap the org's live DEKs under the current KEK; how many."""
        target = self.provider.current_kek_id
        moved = 0
        for record in self.store.list_versions(organization_id):
            wrapped = record.wrapped
            if wrapped is None or wrapped.kek_id == target:
                continue
            dek = self.provider.unwrap(organization_id, wrapped)
            new = self.provider.wrap(organization_id, dek)
            if self.store.replace_wrapping(organization_id, record.version, wrapped.kek_id, new):
                moved += 1
        return moved

    def forget(self) -> None:
        """Drop every cached key (tests, or after an operator changed keys out of band)."""
        self._cache.clear()

    def _create(self, organization_id: UUID) -> DataKey:
        dek, wrapped = self.provider.generate_dek(organization_id)
        record = self.store.create(organization_id, wrapped)
        key = DataKey(organization_id, record.version, dek)
        self._remember(key, current=True)
        return key

    def _unwrap(self, record: KeyRecord) -> DataKey:
        wrapped = record.wrapped
        if wrapped is None:
            raise KeyDestroyedError(
                f"data key version {record.version} of organization {record.organization_id} "
                "was destroyed; values encrypted with it are unrecoverable"
            )
        dek = self.provider.unwrap(record.organization_id, wrapped)
        if len(dek) != DEK_SIZE:
            raise KeyUnwrapError(
                f"data key version {record.version} of organization {record.organization_id} "
                f"unwrapped to {len(dek)} bytes; expected {DEK_SIZE}"
            )
        return DataKey(record.organization_id, record.version, dek)

    def _remember(self, key: DataKey, *, current: bool) -> None:
        self._cache.put((key.organization_id, key.version), key)
        if current:
            self._cache.put(("current", key.organization_id), key)
