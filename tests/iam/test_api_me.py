"""`GET /v1/me` through the real app (issue 14, finding 10: custom roles were hidden)."""

from __future__ import annotations

from tests.api_client import Api
from tests.api_world import clinic


def test_me_lists_memberships_of_custom_roles_with_their_permissions(api: Api) -> None:
    a = clinic(api, "clinic-a", roles=("owner",))
    b = clinic(api, "clinic-b", roles=("owner",))
    role = api.value(
        "INSERT INTO iam.roles (organization_id, code, name) VALUES (%s, 'front_desk', 'Front')"
        " RETURNING id",
        (a.id,),
    )
    api.sql(
        "INSERT INTO iam.role_permissions (role_id, permission_code) VALUES (%s, 'members.read')",
        (role,),
    )
    email = "desk@clinic-a.test"
    principal = api.human(email)
    api.member(a.id, principal, "front_desk")
    api.member(b.id, principal, "specialist")

    me = api.get("/v1/me", as_=email)
    assert me.status_code == 200, me.text
    memberships = {m["organization_slug"]: m for m in me.json()["memberships"]}
    assert set(memberships) == {"clinic-a", "clinic-b"}
    assert memberships["clinic-a"]["role"] == "front_desk"
    assert memberships["clinic-a"]["permissions"] == ["members.read"]
    assert memberships["clinic-b"]["role"] == "specialist"

    # Holding a custom role shows that role, not the organization's other custom roles.
    api.value(
        "INSERT INTO iam.roles (organization_id, code, name) VALUES (%s, 'other', 'Other')"
        " RETURNING id",
        (a.id,),
    )
    listed = api.get(b.url("/roles"), as_=email)
    if listed.status_code == 200:
        codes = {r["code"] for r in listed.json()}
        assert "other" not in codes
