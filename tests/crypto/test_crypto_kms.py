"""KmsKeyProvider against a KMS-compatible server over HTTP (the test session's moto_server)."""

from __future__ import annotations

import os
import secrets
import uuid
from pathlib import Path
from typing import Any

import boto3
import pytest

from app.crypto import (
    CryptoSettings,
    FieldCipher,
    FieldContext,
    KeyDestroyedError,
    KeyProviderError,
    Keyring,
    KeyUnwrapError,
    WrappedKey,
    provider_from_settings,
)
from app.crypto.kms import KmsKeyProvider
from tests.crypto_support import MemoryKeyStore
from tests.s3server import S3Server, free_port
from tests.s3server import s3_server as s3_server

REGION = "eu-central-1"
ORG_A = uuid.UUID("0193a5a0-0000-7000-8000-00000000000a")
ORG_B = uuid.UUID("0193a5a0-0000-7000-8000-00000000000b")
ROW = uuid.UUID("0193a5a0-0000-7000-8000-0000000000f1")


@pytest.fixture
def kms_endpoint(s3_server: S3Server) -> str:
    """The session's moto_server answers KMS on the same port as S3."""
    return s3_server.endpoint_url


@pytest.fixture(autouse=True)
def aws_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # Throwaway credentials for the local server; never a developer's real profile.
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "restartix-test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", secrets.token_hex(16))
    monkeypatch.delenv("AWS_SESSION_TOKEN", raising=False)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "aws-credentials"))


@pytest.fixture
def kms(kms_endpoint: str, aws_env: None) -> Any:
    return boto3.client("kms", endpoint_url=kms_endpoint, region_name=REGION)


def new_kms_key(kms: Any) -> str:
    return kms.create_key(Description="restartix test KEK")["KeyMetadata"]["Arn"]


@pytest.fixture
def key_arn(kms: Any) -> str:
    return new_kms_key(kms)


@pytest.fixture
def provider(kms_endpoint: str, key_arn: str) -> KmsKeyProvider:
    return KmsKeyProvider(key_arn, endpoint_url=kms_endpoint, region=REGION)


def ctx(org: uuid.UUID = ORG_A) -> FieldContext:
    return FieldContext("billing.organization_billing", "tax_id_encrypted", org, ROW)


def test_generate_and_unwrap_a_dek(provider: KmsKeyProvider, key_arn: str) -> None:
    dek, wrapped = provider.generate_dek(ORG_A)
    assert len(dek) == 32
    assert dek not in wrapped.blob
    assert wrapped.kek_id == key_arn == provider.current_kek_id
    assert provider.unwrap(ORG_A, wrapped) == dek


def test_wrap_an_existing_dek(provider: KmsKeyProvider) -> None:
    dek = os.urandom(32)
    assert provider.unwrap(ORG_A, provider.wrap(ORG_A, dek)) == dek


def test_wrapped_dek_only_unwraps_for_its_org(provider: KmsKeyProvider) -> None:
    _, wrapped = provider.generate_dek(ORG_A)
    with pytest.raises(KeyUnwrapError, match="InvalidCiphertextException"):
        provider.unwrap(ORG_B, wrapped)


def test_alias_resolves_to_the_key_arn(kms: Any, kms_endpoint: str, key_arn: str) -> None:
    alias = f"alias/restartix-test-{secrets.token_hex(4)}"
    kms.create_alias(AliasName=alias, TargetKeyId=key_arn)
    provider = KmsKeyProvider(alias, endpoint_url=kms_endpoint, region=REGION)
    assert provider.current_kek_id == key_arn
    dek, wrapped = provider.generate_dek(ORG_A)
    assert provider.unwrap(ORG_A, wrapped) == dek


def test_field_round_trip_configured_from_env(
    monkeypatch: pytest.MonkeyPatch, kms_endpoint: str, key_arn: str
) -> None:
    monkeypatch.setenv("ENCRYPTION_PROVIDER", "kms")
    monkeypatch.setenv("KMS_ENDPOINT_URL", kms_endpoint)
    monkeypatch.setenv("KMS_KEY_ID", key_arn)
    monkeypatch.setenv("KMS_REGION", REGION)
    provider = provider_from_settings(CryptoSettings.from_env())
    assert isinstance(provider, KmsKeyProvider)

    store = MemoryKeyStore()
    writer = FieldCipher(Keyring(store, provider))
    value = os.urandom(64)
    sealed = writer.encrypt(value, ctx())
    assert store.records[(ORG_A, 1)].kek_id == key_arn

    # A second process: nothing cached, so the DEK comes back through KMS Decrypt.
    reader = FieldCipher(Keyring(store, provider_from_settings(CryptoSettings.from_env())))
    assert reader.decrypt(sealed, ctx()) == value

    writer.keyring.destroy(ORG_A)
    with pytest.raises(KeyDestroyedError):
        FieldCipher(Keyring(store, provider)).decrypt(sealed, ctx())


def test_kms_key_rotation_rewraps_data_keys(kms: Any, kms_endpoint: str, key_arn: str) -> None:
    store = MemoryKeyStore()
    old = FieldCipher(Keyring(store, KmsKeyProvider(key_arn, endpoint_url=kms_endpoint)))
    sealed = old.encrypt(b"NL91ABNA0417164300", ctx())
    before = store.records[(ORG_A, 1)]

    new_arn = new_kms_key(kms)
    rotated = Keyring(store, KmsKeyProvider(new_arn, endpoint_url=kms_endpoint))
    assert rotated.rewrap(ORG_A) == 1
    assert rotated.rewrap(ORG_A) == 0
    after = store.records[(ORG_A, 1)]
    assert after.kek_id == new_arn and after.wrapped_key != before.wrapped_key

    # Decrypt names the KMS key, and the server checks the blob really is under it.
    fresh = FieldCipher(Keyring(store, KmsKeyProvider(new_arn, endpoint_url=kms_endpoint)))
    assert fresh.decrypt(sealed, ctx()) == b"NL91ABNA0417164300"
    stale = WrappedKey(key_arn, after.wrapped_key)
    with pytest.raises(KeyProviderError, match="KMS Decrypt for organization"):
        KmsKeyProvider(key_arn, endpoint_url=kms_endpoint).unwrap(ORG_A, stale)


def test_unknown_kms_key(kms_endpoint: str) -> None:
    provider = KmsKeyProvider("alias/restartix-missing", endpoint_url=kms_endpoint)
    with pytest.raises(KeyProviderError, match=r"GenerateDataKey .* NotFoundException"):
        provider.generate_dek(ORG_A)


def test_unreachable_kms_names_the_endpoint() -> None:
    endpoint = f"http://127.0.0.1:{free_port()}"
    provider = KmsKeyProvider("alias/anything", endpoint_url=endpoint)
    with pytest.raises(KeyProviderError, match=f"failed at {endpoint}"):
        provider.generate_dek(ORG_A)
