"""The tenancy domain's HTTP routes."""

from litestar import Router

from app.domains.tenancy import domains, invitations, members, orgs, public

ROUTERS = [
    Router(
        path="/",
        route_handlers=[
            orgs.create_organization,
            orgs.get_organization,
            orgs.update_organization,
            members.list_members,
            members.update_member,
            members.remove_member,
            invitations.list_invitations,
            invitations.create_invitation,
            invitations.revoke_invitation,
            invitations.accept_invitation,
            domains.list_domains,
            domains.add_domain,
            domains.verify_domain,
            domains.set_primary_domain,
            domains.remove_domain,
            public.resolve,
        ],
    )
]
