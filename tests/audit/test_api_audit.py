"""The audit log viewer through the real app: filters, pages, isolation between
organizations, the console's cross-tenant view, and request ids carried into audit rows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.api_client import Api
from tests.api_world import clinic, error_code, role_id


def _rename(api: Api, org_url: str, as_: str, name: str, request_id: str) -> None:
    response = api.patch(
        org_url, as_=as_, json={"name": name}, headers={"X-Request-Id": request_id}
    )
    assert response.status_code == 200, response.text
    assert response.headers["x-request-id"] == request_id


def test_request_id_and_actor_reach_the_audit_row(api: Api) -> None:
    a = clinic(api, "clinic-a", roles=("owner",))
    _rename(api, a.url(), a.owner, "Clinic A Renamed", "req-rename-0001")
    rows = api.sql(
        "SELECT entity_type, action, actor_id::text, organization_id::text, changed_columns "
        "FROM audit.audit_log WHERE request_id = 'req-rename-0001'"
    )
    assert rows == [("tenancy.organizations", "update", a.principals["owner"], a.id, ["name"])]
    # A generated id is carried just the same.
    response = api.post(a.url("/roles"), as_=a.owner, json={"code": "extra", "name": "Extra"})
    generated = response.headers["x-request-id"]
    assert (
        api.value(
            "SELECT count(*) FROM audit.audit_log "
            "WHERE request_id = %s AND entity_type = 'iam.roles'",
            (generated,),
        )
        == 1
    )


def test_viewer_filters_and_pages(api: Api) -> None:
    a = clinic(api, "clinic-a", roles=("owner", "admin", "specialist"))
    _rename(api, a.url(), a.owner, "Name one", "r-1")
    _rename(api, a.url(), a.admin, "Name two", "r-2")
    api.patch(
        a.url(f"/members/{a.memberships['specialist']}"),
        as_=a.admin,
        json={"role_id": role_id(api, "receptionist")},
        headers={"X-Request-Id": "r-3"},
    )
    everything = api.get(a.url("/audit-log"), as_=a.owner, params={"limit": 100}).json()
    ids = [e["request_id"] for e in everything["items"]]
    # Newest first.
    assert ids.index("r-3") < ids.index("r-2") < ids.index("r-1")
    times = [e["created_at"] for e in everything["items"]]
    assert times == sorted(times, reverse=True)

    by_actor = api.get(
        a.url("/audit-log"), as_=a.owner, params={"actor_id": a.principals["admin"]}
    ).json()["items"]
    assert {e["request_id"] for e in by_actor} == {"r-2", "r-3"}
    by_entity = api.get(
        a.url("/audit-log"),
        as_=a.owner,
        params={"entity_type": "tenancy.organization_memberships", "action": "update"},
    ).json()["items"]
    assert [e["request_id"] for e in by_entity] == ["r-3"]
    assert by_entity[0]["entity_id"] == a.memberships["specialist"]
    by_id = api.get(
        a.url("/audit-log"),
        as_=a.owner,
        params={"entity_type": "tenancy.organizations", "entity_id": a.id, "action": "update"},
    ).json()["items"]
    assert [e["request_id"] for e in by_id] == ["r-2", "r-1"]

    future = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    past = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
    assert api.get(a.url("/audit-log"), as_=a.owner, params={"since": future}).json()["items"] == []
    assert api.get(a.url("/audit-log"), as_=a.owner, params={"until": past}).json()["items"] == []
    window = api.get(
        a.url("/audit-log"), as_=a.owner, params={"since": past, "until": future, "limit": 100}
    ).json()["items"]
    assert len(window) == len(everything["items"])

    walked: list[str] = []
    cursor = None
    while True:
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = api.get(a.url("/audit-log"), as_=a.owner, params=params).json()
        walked += [e["id"] for e in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert walked == [e["id"] for e in everything["items"]]

    for params in ({"actor_id": "nope"}, {"since": "yesterday"}, {"limit": 500}):
        bad = api.get(a.url("/audit-log"), as_=a.owner, params=params)
        assert bad.status_code == 400, params
        assert error_code(bad) == "validation_failed"
    bad_cursor = api.get(a.url("/audit-log"), as_=a.owner, params={"cursor": "WyJ4Il0"})
    assert bad_cursor.status_code == 400
    assert error_code(bad_cursor) == "invalid_cursor"


def test_each_organization_sees_only_its_own_log(api: Api) -> None:
    a = clinic(api, "clinic-a", roles=("owner", "receptionist"))
    b = clinic(api, "clinic-b", roles=("owner",))
    _rename(api, a.url(), a.owner, "A again", "a-req")
    _rename(api, b.url(), b.owner, "B again", "b-req")
    mine = api.get(a.url("/audit-log"), as_=a.owner, params={"limit": 100}).json()["items"]
    assert {e["organization_id"] for e in mine} == {a.id}
    assert "b-req" not in {e["request_id"] for e in mine}
    # Filtering by the other organization's entity finds nothing, rather than leaking it.
    leaked = api.get(
        a.url("/audit-log"), as_=a.owner, params={"entity_id": b.id, "limit": 100}
    ).json()["items"]
    assert leaked == []
    # B's log is a 404 for A's owner; the receptionist lacks audit.read.
    assert api.get(b.url("/audit-log"), as_=a.owner).status_code == 404
    denied = api.get(a.url("/audit-log"), as_=a.receptionist)
    assert denied.status_code == 403
    assert error_code(denied) == "permission_denied"


def test_console_reads_across_organizations(api: Api) -> None:
    a = clinic(api, "clinic-a", roles=("owner",))
    b = clinic(api, "clinic-b", roles=("owner",))
    _rename(api, a.url(), a.owner, "A again", "a-req")
    _rename(api, b.url(), b.owner, "B again", "b-req")
    root = api.human("root@platform.test")
    api.platform(root, "superadmin")
    every = api.get(
        "/v1/console/audit-log", as_="root@platform.test", params={"limit": 100}
    ).json()["items"]
    assert {"a-req", "b-req"} <= {e["request_id"] for e in every}
    only_b = api.get(
        "/v1/console/audit-log",
        as_="root@platform.test",
        params={"organization_id": b.id, "limit": 100},
    ).json()["items"]
    assert {e["organization_id"] for e in only_b} == {b.id}
    # Support staff and clinic owners are refused.
    support = api.human("help@platform.test")
    api.platform(support, "support")
    for who in ("help@platform.test", a.owner):
        response = api.get("/v1/console/audit-log", as_=who)
        assert response.status_code == 403, who
        assert error_code(response) == "permission_denied"
