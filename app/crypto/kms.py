"""The AWS KMS key provider: GenerateDataKey, Encrypt and Decrypt under one KMS key.

Every call carries the organization id as KMS encryption context, so a wrapped DEK only
unwraps for the organization it was generated for (and KMS audit logs name that org).
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from app.crypto.errors import ConfigurationError, KeyProviderError, KeyUnwrapError
from app.crypto.providers import DEK_SIZE, WrappedKey
from app.crypto.settings import CryptoSettings

_PURPOSE = "restartix-field-dek"
_UNWRAP_FAILURES = {"InvalidCiphertextException", "IncorrectKeyException"}


def encryption_context(organization_id: UUID) -> dict[str, str]:
    return {"organization_id": str(organization_id), "purpose": _PURPOSE}


class KmsKeyProvider:
    """Data keys generated and wrapped by KMS; the KMS key never leaves KMS."""

    def __init__(
        self,
        key_id: str,
        *,
        endpoint_url: str = "",
        region: str = "eu-central-1",
        client: Any = None,
    ) -> None:
        if not key_id:
            raise ConfigurationError(
                "KMS_KEY_ID is not set; ENCRYPTION_PROVIDER=kms needs a KMS key id, ARN or alias"
            )
        self._key_id = key_id
        self._where = endpoint_url or f"AWS KMS in {region}"
        self._client = client or boto3.client(
            "kms",
            endpoint_url=endpoint_url or None,
            region_name=region,
            config=Config(
                connect_timeout=3,
                read_timeout=10,
                retries={"max_attempts": 3, "mode": "standard"},
            ),
        )
        self._arn: str | None = None

    @classmethod
    def from_settings(cls, settings: CryptoSettings) -> KmsKeyProvider:
        return cls(
            settings.kms_key_id,
            endpoint_url=settings.kms_endpoint_url,
            region=settings.kms_region,
        )

    @property
    def current_kek_id(self) -> str:
        # KMS answers with the key ARN, so resolve aliases once to compare like with like.
        if self._arn is None:
            found = self._call("DescribeKey", None, self._client.describe_key, KeyId=self._key_id)
            self._arn = found["KeyMetadata"]["Arn"]
        return self._arn

    def generate_dek(self, organization_id: UUID) -> tuple[bytes, WrappedKey]:
        answer = self._call(
            "GenerateDataKey",
            organization_id,
            self._client.generate_data_key,
            KeyId=self._key_id,
            KeySpec="AES_256",
            EncryptionContext=encryption_context(organization_id),
        )
        dek = _checked_dek(answer["Plaintext"], organization_id)
        return dek, WrappedKey(answer["KeyId"], answer["CiphertextBlob"])

    def wrap(self, organization_id: UUID, dek: bytes) -> WrappedKey:
        if len(dek) != DEK_SIZE:
            raise ValueError(f"a DEK is {DEK_SIZE} bytes, got {len(dek)}")
        answer = self._call(
            "Encrypt",
            organization_id,
            self._client.encrypt,
            KeyId=self._key_id,
            Plaintext=dek,
            EncryptionContext=encryption_context(organization_id),
        )
        return WrappedKey(answer["KeyId"], answer["CiphertextBlob"])

    def unwrap(self, organization_id: UUID, wrapped: WrappedKey) -> bytes:
        answer = self._call(
            "Decrypt",
            organization_id,
            self._client.decrypt,
            KeyId=wrapped.kek_id,
            CiphertextBlob=wrapped.blob,
            EncryptionContext=encryption_context(organization_id),
        )
        return _checked_dek(answer["Plaintext"], organization_id)

    def _call(self, action: str, organization_id: UUID | None, method: Any, **kwargs: Any) -> Any:
        scope = f" for organization {organization_id}" if organization_id else ""
        try:
            return method(**kwargs)
        except ClientError as exc:
            error = exc.response.get("Error", {})
            code = error.get("Code", "error")
            if code in _UNWRAP_FAILURES:
                raise KeyUnwrapError(
                    f"KMS refused to unwrap the data key{scope} ({code}): corrupted, or wrapped "
                    "for another organization or KMS key"
                ) from None
            raise KeyProviderError(
                f"KMS {action}{scope} failed at {self._where}: {code}: {error.get('Message', '')}"
            ) from None
        except BotoCoreError as exc:
            raise KeyProviderError(f"KMS {action}{scope} failed at {self._where}: {exc}") from None


def _checked_dek(dek: bytes, organization_id: UUID) -> bytes:
    if len(dek) != DEK_SIZE:
        raise KeyProviderError(
            f"KMS returned a {len(dek)}-byte data key for organization {organization_id}; "
            f"expected {DEK_SIZE}"
        )
    return dek
