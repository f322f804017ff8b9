"""Identity and access: principals, humans, roles, permissions, the request scope."""

from app.domains import Domain

DOMAIN = Domain(
    name="iam",
    summary=__doc__,
    depends=(),
    errors={
        "role_not_found": 404,
        "role_in_use": 409,
        "permission_denied": 403,
    },
)
