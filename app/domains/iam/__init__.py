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
        "break_glass_reason_invalid": 400,
        "break_glass_duration_invalid": 400,
        "break_glass_not_staff": 422,
        "break_glass_already_open": 409,
        "break_glass_not_open": 409,
        "break_glass_not_found": 404,
        "organization_not_found": 404,
        "human_blocked": 403,
        "unknown_permission": 422,
        "cannot_block_self": 422,
        "cannot_revoke_self": 422,
    },
)
