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
        "consent_purpose_unknown": 422,
        "consent_scope_mismatch": 422,
        "consent_subject_invalid": 422,
        "consent_not_withdrawable": 422,
        "consent_ledger_append_only": 409,
    },
)
