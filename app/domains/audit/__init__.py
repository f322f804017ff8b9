"""The append-only audit log: triggers, partitions, the org and console readers."""

from app.domains import Domain

DOMAIN = Domain(
    name="audit",
    summary=__doc__,
    depends=("iam",),
    errors={},
)
