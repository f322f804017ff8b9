"""A small world for the API tests: a clinic with one human per system role, set up as the
superuser so the code under test only ever sees it through HTTP."""

from __future__ import annotations

from dataclasses import dataclass, field

from tests.api_client import Api

ROLES = ("owner", "admin", "specialist", "receptionist", "billing")


@dataclass
class Clinic:
    id: str
    slug: str
    emails: dict[str, str] = field(default_factory=dict)  # role -> email
    principals: dict[str, str] = field(default_factory=dict)  # role -> principal id
    memberships: dict[str, str] = field(default_factory=dict)  # role -> membership id

    @property
    def owner(self) -> str:
        return self.emails["owner"]

    @property
    def admin(self) -> str:
        return self.emails["admin"]

    @property
    def receptionist(self) -> str:
        return self.emails["receptionist"]

    def url(self, tail: str = "") -> str:
        return f"/v1/orgs/{self.id}{tail}"


def clinic(
    api: Api, slug: str, roles: tuple[str, ...] = ROLES, tier: str | None = "dedicated"
) -> Clinic:
    """An organization with one active member in each of `roles` (emails `<role>@<slug>.test`),
    on `tier` (the default has every feature and no member limit; None keeps the free tier)."""
    made = Clinic(id=api.org(slug), slug=slug)
    if tier is not None:
        api.sql("SELECT billing.change_tier(%s, %s)", (made.id, tier))
    for role in roles:
        email = f"{role}@{slug}.test"
        principal = api.human(email)
        made.emails[role] = email
        made.principals[role] = principal
        made.memberships[role] = api.member(made.id, principal, role)
    return made


def role_id(api: Api, code: str, org_id: str | None = None) -> str:
    """The id of a system template (org_id None) or of an organization's custom role."""
    return str(
        api.value(
            "SELECT id FROM iam.roles WHERE code = %s AND organization_id IS NOT DISTINCT FROM %s",
            (code, org_id),
        )
    )


def error_code(response) -> str:
    body = response.json()
    assert set(body) == {"error"}, body
    assert set(body["error"]) == {"code", "message", "details", "request_id"}, body
    return body["error"]["code"]
