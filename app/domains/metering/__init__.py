"""Usage meters, usage events and the limits they measure."""

from app.domains import Domain

DOMAIN = Domain(
    name="metering",
    summary=__doc__,
    depends=("iam", "tenancy", "billing"),
    errors={},
)
