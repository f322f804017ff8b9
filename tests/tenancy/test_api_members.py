"""Members through the real app: listing (filters, sorting, cursor pages), role and status
changes, removal, the owner rules and cross-organization ids."""

from __future__ import annotations

import base64
import uuid

import msgspec
import pytest

from tests.api_client import Api
from tests.api_world import ROLES, clinic, error_code, role_id


def _b64(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def test_list_members_with_filters(api: Api) -> None:
    a = clinic(api, "clinic-a")
    clinic(api, "clinic-b", roles=("owner",))
    response = api.get(a.url("/members"), as_=a.receptionist)
    assert response.status_code == 200, response.text
    page = response.json()
    assert page["next_cursor"] is None
    assert sorted(m["role"] for m in page["items"]) == sorted(ROLES)
    assert {m["email"] for m in page["items"]} == set(a.emails.values())
    first = page["items"][0]
    assert set(first) == {
        "id", "principal_id", "email", "display_name", "role_id", "role", "status",
        "invited_at", "invited_by", "accepted_at", "last_used_at", "created_at",
    }  # fmt: skip

    only_admins = api.get(a.url("/members"), as_=a.owner, params={"role": "admin"}).json()
    assert [m["email"] for m in only_admins["items"]] == [a.admin]

    found = api.get(a.url("/members"), as_=a.owner, params={"q": "RECEPTION"}).json()
    assert [m["email"] for m in found["items"]] == [a.receptionist]
    # LIKE wildcards in q are literal.
    assert api.get(a.url("/members"), as_=a.owner, params={"q": "%"}).json()["items"] == []
    assert api.get(a.url("/members"), as_=a.owner, params={"q": "_"}).json()["items"] == []

    api.sql("UPDATE tenancy.organization_memberships SET status = 'suspended' WHERE id = %s",
            (a.memberships["billing"],))  # fmt: skip
    suspended = api.get(a.url("/members"), as_=a.owner, params={"status": "suspended"}).json()
    assert [m["role"] for m in suspended["items"]] == ["billing"]


def test_sorting_and_cursor_pages_walk_every_member_once(api: Api) -> None:
    a = clinic(api, "clinic-a", roles=("owner",))
    for i in range(11):
        principal = api.human(f"m{i:02d}@clinic-a.test")
        api.member(a.id, principal, "specialist")
    seen: list[str] = []
    cursor = None
    pages = 0
    while True:
        params = {"limit": 4, "sort": "-email"}
        if cursor:
            params["cursor"] = cursor
        page = api.get(a.url("/members"), as_=a.owner, params=params).json()
        assert len(page["items"]) <= 4
        seen += [m["email"] for m in page["items"]]
        pages += 1
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert pages == 3
    assert len(seen) == 12 == len(set(seen))
    assert seen == sorted(seen, reverse=True)

    by_name = api.get(a.url("/members"), as_=a.owner, params={"sort": "display_name,-created_at"})
    names = [m["display_name"] for m in by_name.json()["items"]]
    assert names == sorted(names)


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"sort": "password"}, "invalid_sort"),
        ({"sort": "email,email"}, "invalid_sort"),
        ({"sort": "m.id; drop table x"}, "invalid_sort"),
        ({"cursor": "not base64 !!"}, "invalid_cursor"),
        ({"cursor": "bm90IGpzb24"}, "invalid_cursor"),  # base64 of "not json"
        ({"cursor": "WzEsMiwzLDQsNV0"}, "invalid_cursor"),  # [1,2,3,4,5]: wrong arity
        # Issue 14, finding 5: cursors of non-strings were an operator mismatch (500).
        ({"cursor": _b64("[123,456]")}, "invalid_cursor"),
        ({"cursor": _b64("[true,false]")}, "invalid_cursor"),
        ({"cursor": _b64("[1e308,1]")}, "invalid_cursor"),
        ({"cursor": _b64("[1,2]"), "sort": "email"}, "invalid_cursor"),
        ({"limit": 0}, "validation_failed"),
        ({"limit": 101}, "validation_failed"),
        ({"limit": "ten"}, "validation_failed"),
        ({"status": "retired"}, "validation_failed"),
        ({"q": "x" * 201}, "validation_failed"),
    ],
)
def test_bad_list_parameters_are_400(api: Api, params: dict, code: str) -> None:
    a = clinic(api, "clinic-a", roles=("owner",))
    response = api.get(a.url("/members"), as_=a.owner, params=params)
    assert response.status_code == 400, response.text
    assert error_code(response) == code


def test_a_cursor_of_another_sort_order_is_refused_not_crashed(api: Api) -> None:
    a = clinic(api, "clinic-a", roles=("owner", "admin", "specialist"))
    page = api.get(a.url("/members"), as_=a.owner, params={"limit": 1}).json()
    # The cursor holds a timestamp; replaying it under an email sort must not reach SQL as
    # a type error.
    response = api.get(
        a.url("/members"),
        as_=a.owner,
        params={"limit": 1, "cursor": page["next_cursor"], "sort": "created_at"},
    )
    assert response.status_code == 200
    wrong = api.get(
        a.url("/members"),
        as_=a.owner,
        params={"limit": 1, "cursor": page["next_cursor"], "sort": "email,created_at"},
    )
    assert wrong.status_code == 400
    assert error_code(wrong) == "invalid_cursor"


@pytest.mark.parametrize(
    ("sort", "values"),
    [
        (None, [123, 456]),
        (None, [True, False]),
        (None, [1e308, 1]),
        ("email", [1, 2]),
        ("email", [None, None]),
        (None, ["2024-01-01T00:00:00", str(uuid.uuid4())]),  # no time zone
        (None, [[1], {"a": 1}]),
    ],
)
def test_a_signed_cursor_with_values_of_the_wrong_type_is_400(
    api: Api, sort: str | None, values: list
) -> None:
    """Even a correctly signed cursor reaches SQL only with values of the columns' types."""
    from app.api.lists import parse_sort
    from app.db.queries import catalogue

    a = clinic(api, "clinic-a", roles=("owner",))
    signer = api.client.app.state.resources.cursors
    order = parse_sort(catalogue("tenancy").members_list, sort)
    payload = msgspec.json.encode([order.query.qualified, order.signature, values])
    cursor = _b64(payload.decode()) + "." + _b64_bytes(signer._mac(payload))
    params = {"cursor": cursor, **({"sort": sort} if sort else {})}
    response = api.get(a.url("/members"), as_=a.owner, params=params)
    assert response.status_code == 400, response.text
    assert error_code(response) == "invalid_cursor"


def _b64_bytes(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def test_change_role_and_status(api: Api) -> None:
    a = clinic(api, "clinic-a", roles=("owner", "admin", "specialist"))
    target = a.memberships["specialist"]
    changed = api.patch(
        a.url(f"/members/{target}"), as_=a.admin, json={"role_id": role_id(api, "receptionist")}
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["role"] == "receptionist"
    suspended = api.patch(a.url(f"/members/{target}"), as_=a.admin, json={"status": "suspended"})
    assert suspended.json()["status"] == "suspended"
    # A suspended member is no longer in the organization: 404, like a stranger.
    gone = api.get(a.url("/members"), as_=a.emails["specialist"])
    assert gone.status_code == 404
    back = api.patch(a.url(f"/members/{target}"), as_=a.admin, json={"status": "active"})
    assert back.json()["status"] == "active"
    assert api.get(a.url("/members"), as_=a.emails["specialist"]).status_code == 200


def test_remove_member(api: Api) -> None:
    a = clinic(api, "clinic-a", roles=("owner", "admin", "specialist"))
    response = api.delete(a.url(f"/members/{a.memberships['specialist']}"), as_=a.admin)
    assert response.status_code == 204
    assert response.content == b""
    assert api.get(a.url(), as_=a.emails["specialist"]).status_code == 404
    again = api.delete(a.url(f"/members/{a.memberships['specialist']}"), as_=a.admin)
    assert again.status_code == 404
    assert error_code(again) == "member_not_found"


def test_last_owner_is_protected(api: Api) -> None:
    a = clinic(api, "clinic-a", roles=("owner", "admin"))
    me = a.memberships["owner"]
    for method, body in (
        ("patch", {"status": "suspended"}),
        ("delete", None),
    ):
        kwargs = {"json": body} if body is not None else {}
        response = getattr(api, method)(a.url(f"/members/{me}"), as_=a.owner, **kwargs)
        assert response.status_code == 409, (method, body, response.text)
        assert error_code(response) == "last_owner"
    # Nobody changes their own membership's role (issue 14), an owner neither.
    own = api.patch(a.url(f"/members/{me}"), as_=a.owner, json={"role_id": role_id(api, "admin")})
    assert own.status_code == 403, own.text
    assert error_code(own) == "cannot_change_own_role"
    # With a second owner, the first steps down: the other owner changes their role.
    second = api.human("second-owner@clinic-a.test")
    api.member(a.id, second, "owner")
    stepped = api.patch(
        a.url(f"/members/{me}"),
        as_="second-owner@clinic-a.test",
        json={"role_id": role_id(api, "admin")},
    )
    assert stepped.status_code == 200
    assert stepped.json()["role"] == "admin"


def test_only_owners_change_owners(api: Api) -> None:
    a = clinic(api, "clinic-a", roles=("owner", "admin", "specialist"))
    owner_role = role_id(api, "owner")
    for method, path, body in (
        ("patch", f"/members/{a.memberships['owner']}", {"status": "suspended"}),
        ("patch", f"/members/{a.memberships['owner']}", {"role_id": role_id(api, "admin")}),
        ("delete", f"/members/{a.memberships['owner']}", None),
        ("patch", f"/members/{a.memberships['specialist']}", {"role_id": owner_role}),
        ("patch", f"/members/{a.memberships['admin']}", {"role_id": owner_role}),
    ):
        kwargs = {"json": body} if body is not None else {}
        response = getattr(api, method)(a.url(path), as_=a.admin, **kwargs)
        assert response.status_code == 403, (method, path, body, response.text)
        # The admin's own membership is refused before the owner rule is even asked.
        own = path.endswith(a.memberships["admin"])
        assert error_code(response) == ("cannot_change_own_role" if own else "permission_denied")
    # The owner may make an owner.
    promoted = api.patch(
        a.url(f"/members/{a.memberships['admin']}"), as_=a.owner, json={"role_id": owner_role}
    )
    assert promoted.status_code == 200
    assert promoted.json()["role"] == "owner"


def test_receptionist_reads_but_cannot_manage(api: Api) -> None:
    a = clinic(api, "clinic-a", roles=("owner", "specialist", "receptionist"))
    assert api.get(a.url("/members"), as_=a.receptionist).status_code == 200
    target = a.url(f"/members/{a.memberships['specialist']}")
    for response in (
        api.patch(target, as_=a.receptionist, json={"status": "suspended"}),
        api.patch(target, as_=a.receptionist, json={"role_id": role_id(api, "admin")}),
        api.delete(target, as_=a.receptionist),
    ):
        assert response.status_code == 403, response.text
        assert error_code(response) == "permission_denied"
    assert (
        api.value(
            "SELECT status FROM tenancy.organization_memberships WHERE id = %s",
            (a.memberships["specialist"],),
        )
        == "active"
    )


def test_cross_organization_ids_in_url_and_body(api: Api) -> None:
    a = clinic(api, "clinic-a", roles=("owner", "specialist"))
    b = clinic(api, "clinic-b", roles=("owner", "specialist"))
    theirs = b.url("")
    # B's membership id under A's URL.
    for method, body in (("patch", {"status": "suspended"}), ("delete", None)):
        kwargs = {"json": body} if body is not None else {}
        response = getattr(api, method)(
            a.url(f"/members/{b.memberships['specialist']}"), as_=a.owner, **kwargs
        )
        assert response.status_code == 404, response.text
        assert error_code(response) == "member_not_found"
    # B's custom role id in the body of a change in A.
    b_role = api.post(
        f"{theirs}/roles", as_=b.owner, json={"code": "b_only", "name": "B only"}
    ).json()["id"]
    response = api.patch(
        a.url(f"/members/{a.memberships['specialist']}"), as_=a.owner, json={"role_id": b_role}
    )
    assert response.status_code == 404, response.text
    assert error_code(response) == "role_not_found"
    # A's owner using A's membership id under B's URL: not a member of B, so 404.
    response = api.patch(
        b.url(f"/members/{a.memberships['specialist']}"), as_=a.owner, json={"status": "suspended"}
    )
    assert response.status_code == 404
    assert error_code(response) == "organization_not_found"
    assert (
        api.sql(
            "SELECT status, role_id FROM tenancy.organization_memberships WHERE id = ANY(%s) "
            "ORDER BY status",
            ([a.memberships["specialist"], b.memberships["specialist"]],),
        )
        == [("active", uuid.UUID(role_id(api, "specialist")))] * 2
    )


def test_member_bodies_are_validated(api: Api) -> None:
    a = clinic(api, "clinic-a", roles=("owner", "specialist"))
    target = a.url(f"/members/{a.memberships['specialist']}")
    for body in (
        {"status": "retired"},
        {"role_id": "not-a-uuid"},
        {"role_id": 12},
        {"nickname": "x"},
        [],
    ):
        response = api.patch(target, as_=a.owner, json=body)
        assert response.status_code == 400, (body, response.text)
        assert error_code(response) == "validation_failed"
    unknown_role = api.patch(target, as_=a.owner, json={"role_id": str(uuid.uuid4())})
    assert unknown_role.status_code == 404
    assert error_code(unknown_role) == "role_not_found"
    bad_path = api.patch(a.url("/members/not-a-uuid"), as_=a.owner, json={})
    assert bad_path.status_code in (400, 404)


@pytest.mark.parametrize("depth", [100_000, 1_000, 65])
def test_a_deeply_nested_body_is_400_in_the_envelope(api: Api, depth: int) -> None:
    """Issue 14, finding 5: a body nested 100,000 levels deep was a RecursionError (500)."""
    a = clinic(api, "clinic-a", roles=("owner",))
    for body in ("[" * depth + "]" * depth, '{"a":' * depth + "1" + "}" * depth):
        response = api.patch(
            a.url(f"/members/{a.memberships['owner']}"),
            as_=a.owner,
            content=body,
            headers={"Content-Type": "application/json"},
        )
        assert response.status_code == 400, response.text[:300]
        assert error_code(response) == "malformed_json"
        assert "deep" in response.json()["error"]["message"]


def test_nesting_inside_strings_does_not_count(api: Api) -> None:
    a = clinic(api, "clinic-a", roles=("owner",))
    response = api.post(
        a.url("/roles"),
        as_=a.owner,
        json={"code": "deep_name", "name": "[" * 500 + "{" * 500, "permissions": []},
    )
    assert response.status_code != 400 or error_code(response) != "json_too_deep"
