"""The tenancy domain's HTTP routes: organizations, members, invitations, domains, resolve."""

from litestar import Router

from app.api.common import console_router, org_router, signed_in_router
from app.domains.tenancy import console, domains, invitations, members, orgs, public

ROUTERS = [
    org_router(
        orgs.get_organization,
        orgs.update_organization,
        members.list_members,
        members.update_member,
        members.remove_member,
        invitations.list_invitations,
        invitations.create_invitation,
        invitations.revoke_invitation,
        domains.list_domains,
        domains.add_domain,
        domains.verify_domain,
        domains.set_primary_domain,
        domains.remove_domain,
    ),
    signed_in_router(orgs.create_organization, invitations.accept_invitation),
    console_router(console.list_organizations),
    Router(path="/", route_handlers=[public.resolve]),
]
