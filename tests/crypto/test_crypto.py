"""Field encryption: envelope format, context binding, keyring, rotation, shredding, local KEKs."""

from __future__ import annotations

import base64
import json
import os
import uuid
from pathlib import Path

import pytest

from app.crypto import (
    ConfigurationError,
    ContextMismatchError,
    CryptoSettings,
    DecryptionError,
    FieldCipher,
    FieldContext,
    KeyDestroyedError,
    Keyring,
    KeyUnwrapError,
    MalformedCiphertextError,
    TamperedCiphertextError,
    UnknownKekError,
    UnknownKeyError,
    UnsupportedFormatError,
    WrappedKey,
    envelope,
    header_prefix,
    key_version_of,
    provider_from_settings,
)
from app.crypto.local import LocalKeyProvider, add_kek_to_file, kek_id_of, read_kek_file
from tests.crypto_support import MemoryKeyStore

ORG_A = uuid.UUID("0193a5a0-0000-7000-8000-00000000000a")
ORG_B = uuid.UUID("0193a5a0-0000-7000-8000-00000000000b")
ROW = uuid.UUID("0193a5a0-0000-7000-8000-0000000000f1")
OTHER_ROW = uuid.UUID("0193a5a0-0000-7000-8000-0000000000f2")
SECRET = b"RO 1234567 / CNP 1850101123456"
OVERHEAD = 1 + 1 + 4 + 12 + 16  # format, key version, fingerprint, nonce, tag


def ctx(**changes: object) -> FieldContext:
    values: dict[str, object] = {
        "table": "billing.organization_billing",
        "column": "tax_id_encrypted",
        "organization_id": ORG_A,
        "row_id": ROW,
    }
    values.update(changes)
    return FieldContext(**values)  # type: ignore[arg-type]


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def store() -> MemoryKeyStore:
    return MemoryKeyStore()


@pytest.fixture
def provider() -> LocalKeyProvider:
    return LocalKeyProvider([os.urandom(32)])


@pytest.fixture
def keyring(store: MemoryKeyStore, provider: LocalKeyProvider) -> Keyring:
    return Keyring(store, provider)


@pytest.fixture
def cipher(keyring: Keyring) -> FieldCipher:
    return FieldCipher(keyring)


# --- round trip and format ---------------------------------------------------------------


def test_round_trip(cipher: FieldCipher) -> None:
    sealed = cipher.encrypt(SECRET, ctx())
    assert SECRET not in sealed
    assert cipher.decrypt(sealed, ctx()) == SECRET
    assert cipher.decrypt(memoryview(sealed), ctx()) == SECRET


def test_text_round_trip_keeps_null(cipher: FieldCipher) -> None:
    text = "Ștefan Țăranu, str. Învingătorilor 7"
    assert cipher.decrypt_text(cipher.encrypt_text(text, ctx()), ctx()) == text
    assert cipher.encrypt_text(None, ctx()) is None
    assert cipher.decrypt_text(None, ctx()) is None


def test_layout_is_version_key_fingerprint_nonce_body(cipher: FieldCipher) -> None:
    first = cipher.encrypt(SECRET, ctx())
    second = cipher.encrypt(SECRET, ctx())
    assert first[0] == envelope.FORMAT_VERSION
    assert first[1] == 1  # key version 1, one byte
    assert first[2:6] == ctx().fingerprint
    assert len(first) == OVERHEAD + len(SECRET)
    assert first[6:18] != second[6:18], "every value gets a fresh random nonce"
    assert first[18:] != second[18:]
    assert first.startswith(header_prefix(1))
    assert key_version_of(first) == 1


def test_64_byte_field(cipher: FieldCipher) -> None:
    value = os.urandom(64)
    sealed = cipher.encrypt(value, ctx())
    assert len(sealed) == 64 + OVERHEAD
    assert cipher.decrypt(sealed, ctx()) == value


def test_empty_value(cipher: FieldCipher) -> None:
    sealed = cipher.encrypt(b"", ctx())
    assert len(sealed) == OVERHEAD
    assert cipher.decrypt(sealed, ctx()) == b""
    assert cipher.decrypt_text(cipher.encrypt_text("", ctx()), ctx()) == ""


def test_large_value(cipher: FieldCipher) -> None:
    value = os.urandom(4 * 1024 * 1024)
    assert cipher.decrypt(cipher.encrypt(value, ctx()), ctx()) == value


def test_row_id_binds_the_same_as_uuid_or_text(cipher: FieldCipher) -> None:
    sealed = cipher.encrypt(SECRET, ctx(row_id=ROW))
    assert cipher.decrypt(sealed, ctx(row_id=str(ROW).upper())) == SECRET
    assert cipher.decrypt(sealed, ctx(organization_id=str(ORG_A))) == SECRET
    text_keyed = cipher.encrypt(SECRET, ctx(row_id=42))
    assert cipher.decrypt(text_keyed, ctx(row_id="42")) == SECRET


@pytest.mark.parametrize(
    "changes",
    [
        {"table": "organization_billing"},
        {"table": "Billing.Organization_Billing"},
        {"column": ""},
        {"organization_id": "not-a-uuid"},
        {"row_id": ""},
        {"row_id": None},
    ],
)
def test_context_rejects_ambiguous_names(changes: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        ctx(**changes)


@pytest.mark.parametrize("version", [1, 127, 128, 300, 16_383, 16_384, 2**32 - 1])
def test_key_version_encoding_round_trips(version: int) -> None:
    encoded = envelope.encode_key_version(version)
    assert len(encoded) == (version.bit_length() + 6) // 7
    blob = header_prefix(version) + b"\0" * (4 + 12 + 16)
    assert key_version_of(blob) == version


def test_header_prefixes_never_overlap() -> None:
    prefixes = {v: header_prefix(v) for v in [*range(1, 400), 16_384, 2**21, 2**32 - 1]}
    for v, p in prefixes.items():
        for w, q in prefixes.items():
            assert v == w or not q.startswith(p)


# --- failures are explicit, never garbage -------------------------------------------------


@pytest.mark.parametrize(
    "position",
    [6, 10, 17, 18, 25, -16, -1],
    ids=[
        "nonce-first",
        "nonce-mid",
        "nonce-last",
        "body-first",
        "body-mid",
        "tag-first",
        "tag-last",
    ],
)
def test_tampered_ciphertext(cipher: FieldCipher, position: int) -> None:
    sealed = bytearray(cipher.encrypt(SECRET, ctx()))
    sealed[position] ^= 0x01
    with pytest.raises(TamperedCiphertextError) as caught:
        cipher.decrypt(bytes(sealed), ctx())
    assert "failed authentication" in str(caught.value)
    assert "tax_id_encrypted" in str(caught.value)


def test_swapped_key_version_is_tampering(cipher: FieldCipher, keyring: Keyring) -> None:
    sealed = cipher.encrypt(SECRET, ctx())
    keyring.rotate(ORG_A)
    forged = header_prefix(2) + sealed[2:]
    with pytest.raises(TamperedCiphertextError):
        cipher.decrypt(forged, ctx())


@pytest.mark.parametrize(
    "blob",
    [b"", b"\x01", b"\x01\x01" + b"\0" * 31, b"\x01\x80\x00" + b"\0" * 32, b"\x01" + b"\xff" * 40],
    ids=[
        "empty",
        "format-only",
        "one-byte-short",
        "non-minimal-key-version",
        "endless-key-version",
    ],
)
def test_malformed_ciphertext(cipher: FieldCipher, blob: bytes) -> None:
    with pytest.raises(MalformedCiphertextError):
        cipher.decrypt(blob, ctx())


@pytest.mark.parametrize("first_byte", [0, 2, 0xFF])
def test_unsupported_format_version(cipher: FieldCipher, first_byte: int) -> None:
    sealed = bytearray(cipher.encrypt(SECRET, ctx()))
    sealed[0] = first_byte
    with pytest.raises(UnsupportedFormatError, match=f"format version {first_byte} "):
        cipher.decrypt(bytes(sealed), ctx())


@pytest.mark.parametrize(
    "changes",
    [
        {"table": "billing.organization_invoices"},
        {"column": "iban_encrypted"},
        {"organization_id": ORG_B},
        {"row_id": OTHER_ROW},
    ],
    ids=["table", "column", "organization", "row"],
)
def test_wrong_context_each_element(cipher: FieldCipher, changes: dict[str, object]) -> None:
    sealed = cipher.encrypt(SECRET, ctx())
    cipher.encrypt(b"org B has a version 1 key too", ctx(organization_id=ORG_B))
    with pytest.raises(ContextMismatchError) as caught:
        cipher.decrypt(sealed, ctx(**changes))
    assert "does not belong to" in str(caught.value)


@pytest.mark.parametrize(
    "changes",
    [
        {"table": "billing.organization_invoices"},
        {"column": "iban_encrypted"},
        {"organization_id": ORG_B},
        {"row_id": OTHER_ROW},
    ],
    ids=["table", "column", "organization", "row"],
)
def test_wrong_context_with_forged_fingerprint_still_fails(
    cipher: FieldCipher, changes: dict[str, object]
) -> None:
    # The fingerprint only names the problem; the GCM associated data is the actual binding.
    sealed = cipher.encrypt(SECRET, ctx())
    cipher.encrypt(b"org B has a version 1 key too", ctx(organization_id=ORG_B))
    target = ctx(**changes)
    forged = sealed[:2] + target.fingerprint + sealed[6:]
    with pytest.raises(TamperedCiphertextError):
        cipher.decrypt(forged, target)


def test_wrong_org_without_keys_is_a_context_error(
    cipher: FieldCipher, store: MemoryKeyStore
) -> None:
    sealed = cipher.encrypt(SECRET, ctx())
    reads = store.reads
    with pytest.raises(ContextMismatchError):
        cipher.decrypt(sealed, ctx(organization_id=ORG_B))
    assert store.reads == reads, "a foreign value must not cause a key lookup"


def test_unknown_key_id(cipher: FieldCipher) -> None:
    sealed = cipher.encrypt(SECRET, ctx())
    forged = header_prefix(99) + sealed[2:]
    with pytest.raises(UnknownKeyError, match="no data key version 99"):
        cipher.decrypt(forged, ctx())


def test_every_decrypt_failure_is_a_decryption_error() -> None:
    for error in (
        ContextMismatchError,
        KeyDestroyedError,
        MalformedCiphertextError,
        TamperedCiphertextError,
        UnknownKeyError,
        UnsupportedFormatError,
    ):
        assert issubclass(error, DecryptionError)


def test_messages_never_carry_the_plaintext(cipher: FieldCipher) -> None:
    sealed = bytearray(cipher.encrypt(SECRET, ctx()))
    sealed[-1] ^= 1
    with pytest.raises(DecryptionError) as caught:
        cipher.decrypt(bytes(sealed), ctx())
    assert "1234567" not in str(caught.value)


def test_a_key_only_seals_its_own_org(keyring: Keyring) -> None:
    with pytest.raises(ValueError, match="another organization"):
        envelope.seal(keyring.current_key(ORG_A), SECRET, ctx(organization_id=ORG_B))


# --- keyring: rotation, retirement, cache, shredding ---------------------------------------


def test_rotation_writes_new_version_and_reads_old(cipher: FieldCipher, keyring: Keyring) -> None:
    old = cipher.encrypt(SECRET, ctx())
    assert keyring.rotate(ORG_A).version == 2
    new = cipher.encrypt(SECRET, ctx())
    assert key_version_of(new) == 2 and new.startswith(header_prefix(2))
    assert cipher.decrypt(old, ctx()) == SECRET
    moved = cipher.reencrypt(old, ctx())
    assert moved is not None and key_version_of(moved) == 2
    assert cipher.decrypt(moved, ctx()) == SECRET
    assert cipher.reencrypt(moved, ctx()) is None


def test_first_use_creates_version_one_per_org(cipher: FieldCipher, store: MemoryKeyStore) -> None:
    cipher.encrypt(SECRET, ctx())
    cipher.encrypt(SECRET, ctx(organization_id=ORG_B))
    cipher.encrypt(SECRET, ctx())
    assert sorted((org, v) for org, v in store.records) == sorted([(ORG_A, 1), (ORG_B, 1)])


def test_retired_version_still_reads_but_never_writes(
    cipher: FieldCipher, keyring: Keyring
) -> None:
    old = cipher.encrypt(SECRET, ctx())
    keyring.rotate(ORG_A)
    assert keyring.retire(ORG_A, 1) is True
    assert keyring.retire(ORG_A, 1) is False
    assert cipher.decrypt(old, ctx()) == SECRET
    assert keyring.retire(ORG_A, 2) is True
    assert key_version_of(cipher.encrypt(SECRET, ctx())) == 3


def test_cached_keys_skip_the_store(store: MemoryKeyStore, provider: LocalKeyProvider) -> None:
    clock = Clock()
    keyring = Keyring(store, provider, cache_ttl=30, clock=clock)
    cipher = FieldCipher(keyring)
    sealed = cipher.encrypt(SECRET, ctx())
    reads = store.reads
    for _ in range(5):
        assert cipher.decrypt(cipher.encrypt(SECRET, ctx()), ctx()) == SECRET
    assert store.reads == reads
    clock.now += 31
    cipher.decrypt(sealed, ctx())
    assert store.reads == reads + 1


def test_shredding_an_org(cipher: FieldCipher, keyring: Keyring) -> None:
    v1 = cipher.encrypt(SECRET, ctx())
    keyring.rotate(ORG_A)
    v2 = cipher.encrypt(SECRET, ctx())
    other = cipher.encrypt(SECRET, ctx(organization_id=ORG_B))
    assert keyring.destroy(ORG_A) == 2
    for sealed in (v1, v2):
        with pytest.raises(KeyDestroyedError, match="unrecoverable"):
            cipher.decrypt(sealed, ctx())
    assert cipher.decrypt(other, ctx(organization_id=ORG_B)) == SECRET
    assert keyring.destroy(ORG_A) == 0
    # Versions are never reused, so old values keep failing as destroyed, not as tampered.
    fresh = cipher.encrypt(SECRET, ctx())
    assert key_version_of(fresh) == 3
    with pytest.raises(KeyDestroyedError):
        cipher.decrypt(v1, ctx())


def test_shredding_leaves_no_wrapped_key(store: MemoryKeyStore, keyring: Keyring) -> None:
    keyring.current_key(ORG_A)
    keyring.destroy(ORG_A)
    record = store.records[(ORG_A, 1)]
    assert record.wrapped_key is None and record.destroyed_at is not None


def test_shredding_one_version(cipher: FieldCipher, keyring: Keyring) -> None:
    v1 = cipher.encrypt(SECRET, ctx())
    keyring.rotate(ORG_A)
    v2 = cipher.encrypt(SECRET, ctx())
    assert keyring.destroy(ORG_A, 1) == 1
    with pytest.raises(KeyDestroyedError):
        cipher.decrypt(v1, ctx())
    assert cipher.decrypt(v2, ctx()) == SECRET


def test_shredding_reaches_other_processes_within_the_ttl(
    store: MemoryKeyStore, provider: LocalKeyProvider
) -> None:
    clock = Clock()
    here = FieldCipher(Keyring(store, provider, cache_ttl=30, clock=clock))
    elsewhere = FieldCipher(Keyring(store, provider, cache_ttl=30, clock=clock))
    sealed = here.encrypt(SECRET, ctx())
    assert elsewhere.decrypt(sealed, ctx()) == SECRET
    here.keyring.destroy(ORG_A)
    with pytest.raises(KeyDestroyedError):
        here.decrypt(sealed, ctx())
    clock.now += 31
    with pytest.raises(KeyDestroyedError):
        elsewhere.decrypt(sealed, ctx())


# --- local key provider ------------------------------------------------------------------


def test_wrapped_dek_is_bound_to_its_org(provider: LocalKeyProvider) -> None:
    dek, wrapped = provider.generate_dek(ORG_A)
    assert len(dek) == 32 and dek not in wrapped.blob
    assert provider.unwrap(ORG_A, wrapped) == dek
    with pytest.raises(KeyUnwrapError, match="another organization"):
        provider.unwrap(ORG_B, wrapped)
    corrupted = WrappedKey(wrapped.kek_id, wrapped.blob[:-1] + bytes([wrapped.blob[-1] ^ 1]))
    with pytest.raises(KeyUnwrapError):
        provider.unwrap(ORG_A, corrupted)
    with pytest.raises(KeyUnwrapError, match="not a format-1"):
        provider.unwrap(ORG_A, WrappedKey(wrapped.kek_id, wrapped.blob[:20]))


def test_unknown_kek(provider: LocalKeyProvider) -> None:
    _, wrapped = LocalKeyProvider([os.urandom(32)]).generate_dek(ORG_A)
    with pytest.raises(UnknownKekError, match=wrapped.kek_id):
        provider.unwrap(ORG_A, wrapped)


def test_kek_rotation_rewraps_without_touching_fields(store: MemoryKeyStore) -> None:
    old_kek, new_kek = os.urandom(32), os.urandom(32)
    before = FieldCipher(Keyring(store, LocalKeyProvider([old_kek])))
    v1 = before.encrypt(SECRET, ctx())
    before.keyring.rotate(ORG_A)
    v2 = before.encrypt(SECRET, ctx())

    during = Keyring(store, LocalKeyProvider([new_kek, old_kek]))
    assert during.provider.current_kek_id == kek_id_of(new_kek)
    assert during.rewrap(ORG_A) == 2
    assert during.rewrap(ORG_A) == 0
    assert {r.kek_id for r in store.list_versions(ORG_A)} == {kek_id_of(new_kek)}

    after = FieldCipher(Keyring(store, LocalKeyProvider([new_kek])))
    assert after.decrypt(v1, ctx()) == SECRET
    assert after.decrypt(v2, ctx()) == SECRET


def test_rewrap_skips_destroyed_keys(store: MemoryKeyStore) -> None:
    old_kek = os.urandom(32)
    keyring = Keyring(store, LocalKeyProvider([old_kek]))
    keyring.current_key(ORG_A)
    keyring.rotate(ORG_A)
    keyring.destroy(ORG_A, 1)
    assert Keyring(store, LocalKeyProvider([os.urandom(32), old_kek])).rewrap(ORG_A) == 1


def test_kek_ids_are_fingerprints() -> None:
    kek = os.urandom(32)
    assert kek_id_of(kek) == kek_id_of(bytes(kek))
    assert kek_id_of(kek) != kek_id_of(os.urandom(32))
    assert kek_id_of(kek).startswith("local-") and len(kek_id_of(kek)) == 22


# --- settings and the key file -------------------------------------------------------------


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


def test_env_kek_list_newest_first(monkeypatch: pytest.MonkeyPatch) -> None:
    new, old = os.urandom(32), os.urandom(32)
    monkeypatch.setenv("ENCRYPTION_PROVIDER", "local")
    monkeypatch.setenv("ENCRYPTION_LOCAL_KEK", f"{_b64(new)},{_b64(old)}")
    provider = provider_from_settings(CryptoSettings.from_env())
    assert isinstance(provider, LocalKeyProvider)
    assert provider.current_kek_id == kek_id_of(new)
    assert provider.kek_ids == (kek_id_of(new), kek_id_of(old))
    _, wrapped = LocalKeyProvider([old]).generate_dek(ORG_A)
    assert len(provider.unwrap(ORG_A, wrapped)) == 32


def test_settings_repr_hides_the_kek(monkeypatch: pytest.MonkeyPatch) -> None:
    kek = _b64(os.urandom(32))
    monkeypatch.setenv("ENCRYPTION_LOCAL_KEK", kek)
    assert kek not in repr(CryptoSettings.from_env())


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("not base64!", "not valid base64"),
        (_b64(b"short"), "decodes to 5 bytes"),
        (_b64(os.urandom(32)) + ",", "entry 2"),
    ],
)
def test_bad_env_kek(monkeypatch: pytest.MonkeyPatch, value: str, message: str) -> None:
    monkeypatch.setenv("ENCRYPTION_LOCAL_KEK", value)
    with pytest.raises(ConfigurationError, match=message) as caught:
        provider_from_settings(CryptoSettings.from_env())
    assert value.rstrip(",") not in str(caught.value)


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("ENCRYPTION_PROVIDER", "vault", "ENCRYPTION_PROVIDER is 'vault'"),
        ("ENCRYPTION_KEY_CACHE_SECONDS", "soon", "ENCRYPTION_KEY_CACHE_SECONDS"),
        ("ENCRYPTION_KEY_CACHE_SECONDS", "-1", "between 0 and 3600"),
    ],
)
def test_bad_settings(monkeypatch: pytest.MonkeyPatch, name: str, value: str, message: str) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigurationError, match=message):
        CryptoSettings.from_env()


def test_kms_needs_a_key_id(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ENCRYPTION_PROVIDER", "kms")
    monkeypatch.delenv("KMS_KEY_ID", raising=False)
    with pytest.raises(ConfigurationError, match="KMS_KEY_ID is not set"):
        provider_from_settings(CryptoSettings.from_env())


def test_key_file_created_private_and_rotated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "restartix" / "kek.json"
    first = add_kek_to_file(path)
    assert path.stat().st_mode & 0o777 == 0o600
    second = add_kek_to_file(path)
    assert [kek_id_of(k) for k in read_kek_file(path)] == [second, first]

    monkeypatch.delenv("ENCRYPTION_LOCAL_KEK", raising=False)
    monkeypatch.setenv("ENCRYPTION_LOCAL_KEK_FILE", str(path))
    provider = provider_from_settings(CryptoSettings.from_env())
    assert provider.current_kek_id == second


def test_missing_key_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ENCRYPTION_LOCAL_KEK", raising=False)
    monkeypatch.setenv("ENCRYPTION_LOCAL_KEK_FILE", str(tmp_path / "absent.json"))
    with pytest.raises(ConfigurationError, match="no local KEK: set ENCRYPTION_LOCAL_KEK"):
        provider_from_settings(CryptoSettings.from_env())


def test_key_file_inside_the_project_is_refused() -> None:
    inside = Path(__file__).resolve().parent / "kek.json"
    with pytest.raises(ConfigurationError, match="inside the project tree"):
        add_kek_to_file(inside)
    assert not inside.exists()
    with pytest.raises(ConfigurationError, match="inside the project tree"):
        read_kek_file(inside)


def test_key_file_readable_by_others_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "kek.json"
    add_kek_to_file(path)
    path.chmod(0o644)
    with pytest.raises(ConfigurationError, match="chmod 600"):
        read_kek_file(path)


@pytest.mark.parametrize(
    "content",
    ["not json", "[]", '{"format": 2, "keks": ["x"]}', '{"format": 1, "keks": []}'],
)
def test_malformed_key_file(tmp_path: Path, content: str) -> None:
    path = tmp_path / "kek.json"
    path.write_text(content)
    path.chmod(0o600)
    with pytest.raises(ConfigurationError, match="not a format-1 key file"):
        read_kek_file(path)


def test_key_file_with_bad_entry_names_it(tmp_path: Path) -> None:
    path = tmp_path / "kek.json"
    path.write_text(json.dumps({"format": 1, "keks": [_b64(os.urandom(32)), _b64(b"x" * 16)]}))
    path.chmod(0o600)
    with pytest.raises(ConfigurationError, match=r"entry 2 of .* decodes to 16 bytes"):
        read_kek_file(path)
