"""Platform service providers and organizations' integrations, with sealed credentials."""

from app.domains import Domain

DOMAIN = Domain(
    name="integrations",
    summary=__doc__,
    depends=("iam", "tenancy", "billing"),
    errors={},
)
