"""Usage meters, usage events and the limits they measure."""

from app.domains import Domain

DOMAIN = Domain(
    name="metering",
    summary=__doc__,
    depends=("iam", "tenancy", "billing"),
    errors={
        "meter_unknown": 422,
        "usage_quantity_invalid": 422,
        "usage_out_of_window": 422,
        "idempotency_key_invalid": 400,
    },
)
