"""Organizations and /v1/me through the real app: provisioning by platform admins, reading and
editing by members, and the 404 that hides organizations from everyone else."""

from __future__ import annotations

import uuid

from tests.api_client import Api
from tests.api_world import clinic, error_code


def test_me_lists_memberships_and_permissions(api: Api) -> None:
    a = clinic(api, "clinic-a", roles=("owner", "receptionist"))
    b = clinic(api, "clinic-b", roles=("owner",))
    api.member(b.id, a.principals["receptionist"], "admin", status="suspended")
    response = api.get("/v1/me", as_=a.receptionist)
    assert response.status_code == 200
    me = response.json()
    assert me["email"] == a.receptionist
    assert me["principal_id"] == a.principals["receptionist"]
    assert me["platform_role"] is None
    by_slug = {m["organization_slug"]: m for m in me["memberships"]}
    assert set(by_slug) == {"clinic-a", "clinic-b"}
    assert by_slug["clinic-a"]["role"] == "receptionist"
    assert "members.read" in by_slug["clinic-a"]["permissions"]
    assert "members.invite" not in by_slug["clinic-a"]["permissions"]
    # A suspended membership is shown, and grants nothing.
    assert by_slug["clinic-b"]["status"] == "suspended"
    assert by_slug["clinic-b"]["permissions"] == []


def test_platform_admin_creates_an_organization_with_its_owner(api: Api) -> None:
    root = api.human("root@platform.test")
    api.platform(root, "superadmin")
    owner = api.human("owner@new-clinic.test")
    response = api.post(
        "/v1/orgs",
        as_="root@platform.test",
        json={"slug": "new-clinic", "name": "  New Clinic  ", "owner_principal_id": owner},
    )
    assert response.status_code == 201, response.text
    org = response.json()
    assert org["slug"] == "new-clinic" and org["name"] == "New Clinic"
    assert org["status"] == "active"
    mine = api.get(f"/v1/orgs/{org['id']}/members", as_="owner@new-clinic.test").json()
    assert [(m["principal_id"], m["role"]) for m in mine["items"]] == [(owner, "owner")]
    assert mine["items"][0]["invited_by"] == root

    taken = api.post("/v1/orgs", as_="root@platform.test", json={"slug": "new-clinic", "name": "X"})
    assert taken.status_code == 409
    assert error_code(taken) == "organizations_slug_key"
    reserved = api.post("/v1/orgs", as_="root@platform.test", json={"slug": "admin", "name": "X"})
    assert reserved.status_code == 422
    assert error_code(reserved) == "organizations_slug_not_reserved"
    for body in (
        {"slug": "Bad Slug", "name": "X"},
        {"slug": "ok-slug", "name": ""},
        {"slug": "ok-slug", "name": "n" * 201},
        {"slug": "ok-slug"},
        {"slug": "ok-slug", "name": "X", "owner_principal_id": "me"},
        {"slug": "ok-slug", "name": "X", "plan": "gold"},
    ):
        bad = api.post("/v1/orgs", as_="root@platform.test", json=body)
        assert bad.status_code == 400, (body, bad.text)
        assert error_code(bad) == "validation_failed"
    ghost = api.post(
        "/v1/orgs",
        as_="root@platform.test",
        json={"slug": "ghost-clinic", "name": "X", "owner_principal_id": str(uuid.uuid4())},
    )
    assert ghost.status_code == 422
    assert error_code(ghost) == "organization_memberships_principal_id_fkey"


def test_only_platform_admins_create_organizations(api: Api) -> None:
    a = clinic(api, "clinic-a", roles=("owner",))
    support = api.human("help@platform.test")
    api.platform(support, "support")
    for who in (a.owner, "help@platform.test"):
        response = api.post("/v1/orgs", as_=who, json={"slug": "sneaky", "name": "Sneaky"})
        assert response.status_code == 403, who
        assert error_code(response) == "permission_denied"
    assert api.value("SELECT count(*) FROM tenancy.organizations WHERE slug = 'sneaky'") == 0


def test_get_and_rename(api: Api) -> None:
    a = clinic(api, "clinic-a", roles=("owner", "admin", "receptionist"))
    got = api.get(a.url(), as_=a.receptionist)
    assert got.status_code == 200
    assert got.json()["slug"] == "clinic-a" and got.json()["id"] == a.id
    renamed = api.patch(a.url(), as_=a.admin, json={"name": "Clinica A"})
    assert renamed.status_code == 200
    assert renamed.json()["name"] == "Clinica A"
    denied = api.patch(a.url(), as_=a.receptionist, json={"name": "Mine"})
    assert denied.status_code == 403
    # Only platform admins change the status.
    suspend = api.patch(a.url(), as_=a.owner, json={"status": "suspended"})
    assert suspend.status_code == 403
    assert api.get(a.url(), as_=a.owner).json()["name"] == "Clinica A"
    for body in ({"name": ""}, {"status": "closed"}, {"name": 5}, {"slug": "new-slug"}):
        bad = api.patch(a.url(), as_=a.owner, json=body)
        assert bad.status_code == 400, body
        assert error_code(bad) == "validation_failed"


def test_non_members_get_the_same_404_as_for_a_missing_org(api: Api) -> None:
    a = clinic(api, "clinic-a", roles=("owner",))
    b = clinic(api, "clinic-b", roles=("owner",))
    for tail in ("", "/members", "/invitations", "/domains", "/roles", "/audit-log"):
        existing = api.get(b.url(tail), as_=a.owner)
        missing = api.get(f"/v1/orgs/{uuid.uuid4()}{tail}", as_=a.owner)
        assert existing.status_code == missing.status_code == 404, tail
        assert existing.json()["error"] | {"request_id": ""} == missing.json()["error"] | {
            "request_id": ""
        }
    writes = (
        api.patch(b.url(), as_=a.owner, json={"name": "Taken over"}),
        api.post(b.url("/roles"), as_=a.owner, json={"code": "x_role", "name": "X"}),
        api.post(b.url("/domains"), as_=a.owner, json={"domain": "evil.example"}),
    )
    for response in writes:
        assert response.status_code == 404
        assert error_code(response) == "organization_not_found"
    assert api.value("SELECT name FROM tenancy.organizations WHERE id = %s", (b.id,)) == "Clinic B"


def test_suspended_organization_is_closed_to_members_but_not_to_platform_admins(api: Api) -> None:
    a = clinic(api, "clinic-a", roles=("owner",))
    root = api.human("root@platform.test")
    api.platform(root, "superadmin")
    suspended = api.patch(a.url(), as_="root@platform.test", json={"status": "suspended"})
    assert suspended.status_code == 200, suspended.text
    assert suspended.json()["status"] == "suspended"
    assert api.get(a.url(), as_=a.owner).status_code == 404
    assert api.get(a.url(), as_="root@platform.test").status_code == 200
    assert (
        api.patch(a.url(), as_="root@platform.test", json={"status": "active"}).status_code == 200
    )
    assert api.get(a.url(), as_=a.owner).status_code == 200


def test_platform_support_reads_but_does_not_write(api: Api) -> None:
    a = clinic(api, "clinic-a", roles=("owner",))
    support = api.human("help@platform.test")
    api.platform(support, "support")
    assert api.get(a.url(), as_="help@platform.test").status_code == 200
    assert api.get(a.url("/members"), as_="help@platform.test").status_code == 200
    rename = api.patch(a.url(), as_="help@platform.test", json={"name": "Support was here"})
    assert rename.status_code == 403
    assert api.get(a.url(), as_=a.owner).json()["name"] == "Clinic A"
