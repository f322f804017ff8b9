"""Roles through the real app: the permission catalog, system templates (read-only) and an
organization's custom roles (create, edit, delete), gated by roles.manage."""

from __future__ import annotations

import uuid

from tests.api_client import Api
from tests.api_world import clinic, error_code, role_id


def test_permission_catalog_for_any_signed_in_human(api: Api) -> None:
    api.human("loner@example.test")
    response = api.get("/v1/permissions", as_="loner@example.test")
    assert response.status_code == 200
    catalog = {p["code"]: p["description"] for p in response.json()}
    assert {"members.read", "members.invite", "roles.manage", "audit.read"} <= set(catalog)
    assert all(catalog.values())
    assert api.get("/v1/permissions").status_code == 401


def test_custom_role_lifecycle(api: Api) -> None:
    a = clinic(api, "clinic-a", roles=("owner", "admin", "specialist"))
    listed = api.get(a.url("/roles"), as_=a.emails["specialist"]).json()
    system = {r["code"]: r for r in listed if r["system"]}
    assert set(system) == {"owner", "admin", "specialist", "receptionist", "billing"}
    assert "roles.manage" in system["owner"]["permissions"]
    assert not [r for r in listed if not r["system"]]

    created = api.post(
        a.url("/roles"),
        as_=a.admin,
        json={
            "code": "front_desk_lead",
            "name": "Front desk lead",
            "description": "Reception plus invitations",
            "permissions": ["members.read", "members.invite"],
        },
    )
    assert created.status_code == 201, created.text
    role = created.json()
    assert role["system"] is False
    assert role["permissions"] == ["members.invite", "members.read"]

    edited = api.patch(
        a.url(f"/roles/{role['id']}"),
        as_=a.admin,
        json={"name": "Desk lead", "permissions": ["members.read", "audit.read"]},
    )
    assert edited.status_code == 200, edited.text
    assert edited.json()["name"] == "Desk lead"
    assert edited.json()["description"] == "Reception plus invitations"
    assert edited.json()["permissions"] == ["audit.read", "members.read"]

    # Held by a member: the role cannot go.
    api.member(a.id, api.human("lead@clinic-a.test"), "front_desk_lead")
    assert api.get(a.url("/audit-log"), as_="lead@clinic-a.test").status_code == 200
    held = api.delete(a.url(f"/roles/{role['id']}"), as_=a.admin)
    assert held.status_code == 409
    assert error_code(held) == "role_in_use"
    api.sql("DELETE FROM tenancy.organization_memberships WHERE role_id = %s", (role["id"],))
    assert api.delete(a.url(f"/roles/{role['id']}"), as_=a.admin).status_code == 204
    assert [r for r in api.get(a.url("/roles"), as_=a.admin).json() if not r["system"]] == []
    gone = api.delete(a.url(f"/roles/{role['id']}"), as_=a.admin)
    assert gone.status_code == 404


def test_system_templates_are_read_only(api: Api) -> None:
    a = clinic(api, "clinic-a", roles=("owner",))
    template = role_id(api, "receptionist")
    edit = api.patch(
        a.url(f"/roles/{template}"), as_=a.owner, json={"permissions": ["members.manage"]}
    )
    assert edit.status_code == 404
    assert error_code(edit) == "role_not_found"
    drop = api.delete(a.url(f"/roles/{template}"), as_=a.owner)
    assert drop.status_code == 404
    assert "members.manage" not in api.value(
        "SELECT array_agg(permission_code) FROM iam.role_permissions WHERE role_id = %s",
        (template,),
    )


def test_role_rules(api: Api) -> None:
    a = clinic(api, "clinic-a", roles=("owner",))
    base = {"code": "therapist_plus", "name": "Therapist+"}
    assert api.post(a.url("/roles"), as_=a.owner, json=base).status_code == 201
    duplicate = api.post(a.url("/roles"), as_=a.owner, json=base)
    assert duplicate.status_code == 409
    assert error_code(duplicate) == "roles_org_code_key"
    unknown = api.post(
        a.url("/roles"), as_=a.owner, json={**base, "code": "x_y", "permissions": ["nuke.all"]}
    )
    assert unknown.status_code == 422
    assert error_code(unknown) == "unknown_permission"
    for body in (
        {**base, "code": "Has Caps"},
        {**base, "code": "x"},
        {**base, "name": ""},
        {**base, "name": "n" * 201},
        {**base, "description": "d" * 1001},
        {**base, "permissions": "members.read"},
        {**base, "permissions": ["NOT VALID"]},
        {**base, "system": True},
    ):
        response = api.post(a.url("/roles"), as_=a.owner, json=body)
        assert response.status_code == 400, (body, response.text)
        assert error_code(response) == "validation_failed"
    # Longer than the table allows, shorter than the request schema: the constraint answers.
    too_long = api.post(
        a.url("/roles"), as_=a.owner, json={**base, "code": "y_z", "name": "n" * 150}
    )
    assert too_long.status_code == 422
    assert error_code(too_long) == "roles_name_length"


def test_roles_manage_gates_every_change(api: Api) -> None:
    a = clinic(api, "clinic-a", roles=("owner", "receptionist"))
    mine = api.post(a.url("/roles"), as_=a.owner, json={"code": "mine", "name": "Mine"}).json()
    for method, path, body in (
        ("post", "/roles", {"code": "x_role", "name": "X"}),
        ("patch", f"/roles/{mine['id']}", {"name": "Hijacked"}),
        ("delete", f"/roles/{mine['id']}", None),
    ):
        kwargs = {"json": body} if body is not None else {}
        response = getattr(api, method)(a.url(path), as_=a.receptionist, **kwargs)
        assert response.status_code == 403, (method, path, response.text)
        assert error_code(response) == "permission_denied"
    assert api.value("SELECT name FROM iam.roles WHERE id = %s", (mine["id"],)) == "Mine"


def test_another_organizations_role_is_invisible(api: Api) -> None:
    a = clinic(api, "clinic-a", roles=("owner",))
    b = clinic(api, "clinic-b", roles=("owner",))
    theirs = api.post(b.url("/roles"), as_=b.owner, json={"code": "theirs", "name": "T"}).json()
    assert theirs["id"] not in [r["id"] for r in api.get(a.url("/roles"), as_=a.owner).json()]
    for response in (
        api.patch(a.url(f"/roles/{theirs['id']}"), as_=a.owner, json={"name": "Mine now"}),
        api.delete(a.url(f"/roles/{theirs['id']}"), as_=a.owner),
        api.delete(a.url(f"/roles/{uuid.uuid4()}"), as_=a.owner),
    ):
        assert response.status_code == 404
        assert error_code(response) == "role_not_found"
    assert api.value("SELECT name FROM iam.roles WHERE id = %s", (theirs["id"],)) == "T"
    # B's owner cannot read A's roles either: not a member, not found.
    assert api.get(a.url("/roles"), as_=b.owner).status_code == 404
