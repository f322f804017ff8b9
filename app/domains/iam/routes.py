"""The iam domain's HTTP routes."""

from litestar import Router

from app.domains.iam import console, me, roles

ROUTERS = [
    Router(
        path="/",
        route_handlers=[
            me.get_me,
            roles.list_permissions,
            roles.list_roles,
            roles.create_role,
            roles.update_role,
            roles.delete_role,
            console.list_humans,
            console.block_human,
            console.unblock_human,
            console.set_platform_role,
            console.list_organizations,
        ],
    )
]
