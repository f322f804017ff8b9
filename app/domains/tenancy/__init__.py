"""Organizations (clinics), their domains, members and invitations; public host resolution."""

from app.domains import Domain

DOMAIN = Domain(
    name="tenancy",
    summary=__doc__,
    depends=("iam", "events"),
    errors={
        "organization_not_found": 404,
        "member_not_found": 404,
        "invitation_invalid": 410,
        "last_owner": 409,
        "already_member": 409,
        "domain_not_verified": 409,
        "domain_already_added": 409,
        "domain_unavailable": 409,
        "cannot_change_own_role": 403,
        "invalid_expiry": 422,
        "invalid_status": 422,
    },
)
