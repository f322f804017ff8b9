"""The iam domain's HTTP routes: who am I, roles and permissions, the console's humans,
break-glass grants."""

from app.api.common import console_router, org_router, signed_in_router
from app.domains.iam import break_glass, console, me, roles

ROUTERS = [
    signed_in_router(me.get_me, roles.list_permissions),
    org_router(
        roles.list_roles,
        roles.create_role,
        roles.update_role,
        roles.delete_role,
        break_glass.org_grants,
    ),
    console_router(
        console.list_humans,
        console.block_human,
        console.unblock_human,
        console.set_platform_role,
        break_glass.open_grant,
        break_glass.list_grants,
        break_glass.close_grant,
    ),
]
