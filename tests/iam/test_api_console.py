"""The platform console through the real app: humans (search, block, platform roles) and
organizations; platform admins act, support staff read, everyone else is refused."""

from __future__ import annotations

import uuid

import pytest

from tests.api_client import Api
from tests.api_world import clinic, error_code

ROOT = "root@platform.test"
HELP = "help@platform.test"


@pytest.fixture
def staff(api: Api) -> dict[str, str]:
    root = api.human(ROOT)
    api.platform(root, "superadmin")
    support = api.human(HELP)
    api.platform(support, "support")
    return {"root": root, "support": support}


def test_humans_search_filters_and_pages(api: Api, staff: dict[str, str]) -> None:
    clinic(api, "clinic-a")
    api.sql("UPDATE iam.humans SET blocked_at = now() WHERE email = 'billing@clinic-a.test'")
    api.sql(
        "UPDATE iam.humans SET last_activity_at = now() - interval '40 days', "
        "created_at = now() - interval '90 days' WHERE email = 'specialist@clinic-a.test'"
    )
    api.sql(
        "UPDATE iam.humans SET last_activity_at = now() WHERE email <> 'specialist@clinic-a.test'"
    )
    for who in (ROOT, HELP):
        found = api.get("/v1/console/humans", as_=who, params={"q": "clinic-a"})
        assert found.status_code == 200, found.text
        assert len(found.json()["items"]) == 5
    blocked = api.get("/v1/console/humans", as_=HELP, params={"blocked": "true"}).json()["items"]
    assert [h["email"] for h in blocked] == ["billing@clinic-a.test"]
    idle = api.get("/v1/console/humans", as_=HELP, params={"inactive_days": 30}).json()["items"]
    assert [h["email"] for h in idle] == ["specialist@clinic-a.test"]
    staff_rows = api.get("/v1/console/humans", as_=HELP, params={"q": "platform"}).json()["items"]
    assert {(h["email"], h["platform_role"]) for h in staff_rows} == {
        (ROOT, "superadmin"),
        (HELP, "support"),
    }
    seen: list[str] = []
    cursor = None
    while True:
        params = {"limit": 3, **({"cursor": cursor} if cursor else {})}
        page = api.get("/v1/console/humans", as_=ROOT, params=params).json()
        seen += [h["email"] for h in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == sorted(seen) and len(seen) == len(set(seen)) == 7


def test_block_and_unblock(api: Api, staff: dict[str, str]) -> None:
    a = clinic(api, "clinic-a", roles=("owner", "admin"))
    target = a.principals["admin"]
    # Support staff read but do not block.
    refused = api.post(f"/v1/console/humans/{target}/block", as_=HELP)
    assert refused.status_code == 403
    assert error_code(refused) == "permission_denied"
    assert api.get(a.url(), as_=a.admin).status_code == 200

    blocked = api.post(f"/v1/console/humans/{target}/block", as_=ROOT)
    assert blocked.status_code == 200, blocked.text
    assert blocked.json()["blocked_at"] is not None
    locked_out = api.get(a.url(), as_=a.admin)
    assert locked_out.status_code == 403
    assert error_code(locked_out) == "human_blocked"

    unblocked = api.post(f"/v1/console/humans/{target}/unblock", as_=ROOT)
    assert unblocked.json()["blocked_at"] is None
    assert api.get(a.url(), as_=a.admin).status_code == 200

    self_block = api.post(f"/v1/console/humans/{staff['root']}/block", as_=ROOT)
    assert self_block.status_code == 422
    assert error_code(self_block) == "cannot_block_self"
    nobody = api.post(f"/v1/console/humans/{uuid.uuid4()}/block", as_=ROOT)
    assert nobody.status_code == 404
    owner_tries = api.post(f"/v1/console/humans/{target}/block", as_=a.owner)
    assert owner_tries.status_code == 403


def test_platform_roles(api: Api, staff: dict[str, str]) -> None:
    a = clinic(api, "clinic-a", roles=("owner",))
    person = a.principals["owner"]
    path = f"/v1/console/humans/{person}/platform-role"
    assert api.put(path, as_=HELP, json={"role": "support"}).status_code == 403
    granted = api.put(path, as_=ROOT, json={"role": "support"})
    assert granted.status_code == 200, granted.text
    assert granted.json()["platform_role"] == "support"
    assert api.get("/v1/console/humans", as_=a.owner).status_code == 200
    revoked = api.put(path, as_=ROOT, json={"role": None})
    assert revoked.json()["platform_role"] is None
    assert api.get("/v1/console/humans", as_=a.owner).status_code == 403
    for body in ({"role": "god"}, {}, {"role": "support", "until": "never"}):
        bad = api.put(path, as_=ROOT, json=body)
        assert bad.status_code == 400, body
    own = api.put(
        f"/v1/console/humans/{staff['root']}/platform-role", as_=ROOT, json={"role": None}
    )
    assert own.status_code == 422
    assert error_code(own) == "cannot_revoke_self"


def test_organizations_list(api: Api, staff: dict[str, str]) -> None:
    a = clinic(api, "clinic-a", roles=("owner", "admin"))
    clinic(api, "physio-b", roles=("owner",))
    api.sql("UPDATE tenancy.organizations SET status = 'suspended' WHERE slug = 'physio-b'")
    listed = api.get("/v1/console/orgs", as_=HELP)
    assert listed.status_code == 200
    rows = {o["slug"]: o for o in listed.json()}
    assert set(rows) == {"clinic-a", "physio-b"}
    assert rows["clinic-a"]["members"] == 2
    assert [
        o["slug"] for o in api.get("/v1/console/orgs", as_=ROOT, params={"q": "PHYSIO"}).json()
    ] == ["physio-b"]
    suspended = api.get("/v1/console/orgs", as_=ROOT, params={"status": "suspended"}).json()
    assert [o["slug"] for o in suspended] == ["physio-b"]
    denied = api.get("/v1/console/orgs", as_=a.owner)
    assert denied.status_code == 403
    assert api.get("/v1/console/humans", as_=a.owner).status_code == 403
