"""The consent ledger: purposes, documents, grants and withdrawals with evidence."""

from app.domains import Domain

DOMAIN = Domain(
    name="consent",
    summary=__doc__,
    depends=("iam", "tenancy", "events"),
    errors={
        "consent_not_granted": 409,
        "consent_document_required": 409,
        "consent_document_not_found": 404,
        "consent_requires_form": 409,
    },
)
