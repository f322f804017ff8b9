"""Stored files in the object store (the organization logo first): upload, check, sweep."""

from app.domains import Domain

DOMAIN = Domain(
    name="storage",
    summary=__doc__,
    depends=("iam", "tenancy", "events", "billing", "metering"),
    errors={
        "file_not_found": 404,
        "file_not_pending": 409,
        "file_purpose_unknown": 422,
        "file_key_mismatch": 422,
        "upload_deadline_invalid": 422,
    },
)
