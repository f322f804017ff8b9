"""Invitations through the real app: create, accept by the invitee only, single use, expiry,
revoke, permissions, cross-organization ids, and Idempotency-Key replay on create."""

from __future__ import annotations

import uuid

from tests.api_client import Api
from tests.api_world import Clinic, clinic, error_code, role_id


def _invite(api: Api, org: Clinic, email: str, role: str = "specialist", **extra) -> dict:
    body = {"email": email, "role_id": role_id(api, role), **extra}
    response = api.post(org.url("/invitations"), as_=org.owner, json=body)
    assert response.status_code == 201, response.text
    return response.json()


def _accept(api: Api, email: str, token: str):
    return api.post("/v1/invitations/accept", as_=email, json={"token": token})


def test_invite_accept_single_use(api: Api) -> None:
    a = clinic(api, "clinic-a", roles=("owner", "receptionist"))
    created = _invite(api, a, "Dana@Example.test")
    invitation, token = created["invitation"], created["token"]
    assert len(token) >= 32
    assert invitation["email"] == "Dana@Example.test"
    assert invitation["invited_by"] == a.principals["owner"]
    assert invitation["accepted_at"] is None and invitation["revoked_at"] is None
    # Only the token's hash is stored.
    assert (
        api.value(
            "SELECT count(*) FROM tenancy.invitations "
            "WHERE token_hash = sha256(convert_to(%s, 'UTF8'))",
            (token,),
        )
        == 1
    )
    listed = api.get(a.url("/invitations"), as_=a.receptionist)
    assert [i["id"] for i in listed.json()] == [invitation["id"]]

    # Someone else holding the link cannot use it, and does not burn it.
    api.human("eve@example.test")
    stolen = _accept(api, "eve@example.test", token)
    assert stolen.status_code == 410
    assert error_code(stolen) == "invitation_invalid"

    # The invitee signs in for the first time (provisioned now) and accepts; email case is
    # not significant.
    accepted = _accept(api, "dana@example.test", token)
    assert accepted.status_code == 200, accepted.text
    assert accepted.json() == {"organization_id": a.id}
    members = api.get(a.url("/members"), as_=a.owner, params={"q": "dana"}).json()["items"]
    assert len(members) == 1
    member = members[0]
    assert member["role"] == "specialist" and member["status"] == "active"
    assert member["invited_by"] == a.principals["owner"]
    assert member["invited_at"] is not None and member["accepted_at"] is not None
    assert api.get(a.url(), as_="dana@example.test").status_code == 200

    again = _accept(api, "dana@example.test", token)
    assert again.status_code == 410
    assert error_code(again) == "invitation_invalid"
    shown = api.get(a.url("/invitations"), as_=a.owner).json()[0]
    assert shown["accepted_at"] is not None


def test_an_expired_invitation_cannot_be_accepted(api: Api) -> None:
    a = clinic(api, "clinic-a", roles=("owner",))
    created = _invite(api, a, "late@example.test", expires_in_hours=1)
    api.sql(
        "UPDATE tenancy.invitations SET created_at = now() - interval '2 hours', "
        "expires_at = now() - interval '1 second' WHERE id = %s",
        (created["invitation"]["id"],),
    )
    response = _accept(api, "late@example.test", created["token"])
    assert response.status_code == 410
    assert error_code(response) == "invitation_invalid"
    assert (
        api.value(
            "SELECT count(*) FROM tenancy.organization_memberships WHERE organization_id = %s",
            (a.id,),
        )
        == 1
    )


def test_revoke(api: Api) -> None:
    a = clinic(api, "clinic-a", roles=("owner", "admin", "receptionist"))
    created = _invite(api, a, "dana@example.test")
    path = a.url(f"/invitations/{created['invitation']['id']}")
    denied = api.delete(path, as_=a.receptionist)
    assert denied.status_code == 403
    assert api.delete(path, as_=a.admin).status_code == 204
    again = api.delete(path, as_=a.admin)
    assert again.status_code == 410
    assert error_code(again) == "invitation_invalid"
    assert _accept(api, "dana@example.test", created["token"]).status_code == 410
    # A fresh invitation to the same email is allowed once the old one is revoked.
    assert _invite(api, a, "dana@example.test")["invitation"]["id"] != created["invitation"]["id"]


def test_who_may_invite_whom(api: Api) -> None:
    a = clinic(api, "clinic-a", roles=("owner", "admin", "receptionist"))
    body = {"email": "x@example.test", "role_id": role_id(api, "specialist")}
    denied = api.post(a.url("/invitations"), as_=a.receptionist, json=body)
    assert denied.status_code == 403
    assert error_code(denied) == "permission_denied"
    owner_body = {"email": "boss@example.test", "role_id": role_id(api, "owner")}
    denied = api.post(a.url("/invitations"), as_=a.admin, json=owner_body)
    assert denied.status_code == 403
    assert api.post(a.url("/invitations"), as_=a.owner, json=owner_body).status_code == 201
    assert api.post(a.url("/invitations"), as_=a.admin, json=body).status_code == 201
    duplicate = api.post(a.url("/invitations"), as_=a.admin, json=body)
    assert duplicate.status_code == 409
    assert error_code(duplicate) == "invitations_one_pending_per_email"
    member = api.post(
        a.url("/invitations"),
        as_=a.owner,
        json={"email": a.receptionist, "role_id": role_id(api, "admin")},
    )
    assert member.status_code == 409
    assert error_code(member) == "already_member"


def test_cross_organization_ids(api: Api) -> None:
    a = clinic(api, "clinic-a", roles=("owner",))
    b = clinic(api, "clinic-b", roles=("owner",))
    b_role = api.post(b.url("/roles"), as_=b.owner, json={"code": "b_only", "name": "B"}).json()
    response = api.post(
        a.url("/invitations"),
        as_=a.owner,
        json={"email": "x@example.test", "role_id": b_role["id"]},
    )
    assert response.status_code == 404
    assert error_code(response) == "role_not_found"
    theirs = _invite(api, b, "y@example.test")["invitation"]["id"]
    # B's invitation under A's URL answers exactly like an id that does not exist.
    cross = api.delete(a.url(f"/invitations/{theirs}"), as_=a.owner)
    random = api.delete(a.url(f"/invitations/{uuid.uuid4()}"), as_=a.owner)
    assert cross.status_code == random.status_code == 410
    assert error_code(cross) == error_code(random) == "invitation_invalid"
    assert api.value("SELECT revoked_at FROM tenancy.invitations WHERE id = %s", (theirs,)) is None
    assert api.get(a.url("/invitations"), as_=a.owner).json() == []


def test_invitation_bodies_are_validated(api: Api) -> None:
    a = clinic(api, "clinic-a", roles=("owner",))
    good = {"email": "x@example.test", "role_id": role_id(api, "specialist")}
    for body in (
        {**good, "email": "not-an-email"},
        {**good, "email": "a@b." + "c" * 260},
        {**good, "role_id": "nope"},
        {**good, "expires_in_hours": 0},
        {**good, "expires_in_hours": 721},
        {**good, "expires_in_hours": [24]},
        {**good, "admin": True},
        {"email": "x@example.test"},
    ):
        response = api.post(a.url("/invitations"), as_=a.owner, json=body)
        assert response.status_code == 400, (body, response.text)
        assert error_code(response) == "validation_failed"
    for body in ({"token": "short"}, {"token": 123}, {}, {"token": "x" * 200}):
        response = api.post("/v1/invitations/accept", as_=a.owner, json=body)
        assert response.status_code == 400, (body, response.text)
    assert api.get(a.url("/invitations"), as_=a.owner).json() == []


def test_idempotency_key_replays_the_created_invitation(api: Api) -> None:
    a = clinic(api, "clinic-a", roles=("owner",))
    body = {"email": "dana@example.test", "role_id": role_id(api, "specialist")}
    headers = {"Idempotency-Key": "invite-dana-1"}
    first = api.post(a.url("/invitations"), as_=a.owner, json=body, headers=headers)
    assert first.status_code == 201, first.text
    second = api.post(a.url("/invitations"), as_=a.owner, json=body, headers=headers)
    assert second.status_code == 201
    assert second.json() == first.json()
    assert second.headers["idempotent-replayed"] == "true"
    assert "idempotent-replayed" not in first.headers
    assert (
        api.value("SELECT count(*) FROM tenancy.invitations WHERE organization_id = %s", (a.id,))
        == 1
    )
    # The same key with another body is refused, and runs nothing.
    other = api.post(
        a.url("/invitations"),
        as_=a.owner,
        json={**body, "email": "other@example.test"},
        headers=headers,
    )
    assert other.status_code == 422
    assert error_code(other) == "idempotency_key_reused"
    assert (
        api.value("SELECT count(*) FROM tenancy.invitations WHERE organization_id = %s", (a.id,))
        == 1
    )
    # A refused request (409 duplicate) with a new key is an outcome: it replays too.
    again = api.post(
        a.url("/invitations"), as_=a.owner, json=body, headers={"Idempotency-Key": "invite-2"}
    )
    assert again.status_code == 409
    replay = api.post(
        a.url("/invitations"), as_=a.owner, json=body, headers={"Idempotency-Key": "invite-2"}
    )
    assert replay.status_code == 409
    assert replay.headers["idempotent-replayed"] == "true"
