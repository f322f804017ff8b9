"""The billing surfaces through the API: settings, the encrypted billing profile, patient
tiers, the console, and their bad inputs."""

from __future__ import annotations

import uuid

from tests.api_client import Api, new_email


def _clinic(api: Api) -> tuple[str, str, str, str]:
    org = api.org("clinic-bill")
    owner, receptionist = new_email("owner"), new_email("desk")
    api.member(org, api.human(owner), "owner")
    api.member(org, api.human(receptionist), "receptionist")
    root = new_email("root")
    api.platform(api.human(root))
    return org, owner, receptionist, root


def test_settings_are_read_by_members_and_changed_by_settings_editors(api: Api) -> None:
    org, owner, receptionist, _ = _clinic(api)
    assert api.get(f"/v1/orgs/{org}/settings", as_=receptionist).status_code == 200
    changed = api.patch(
        f"/v1/orgs/{org}/settings",
        as_=owner,
        json={"timezone": "Europe/London", "brand_color": "#12ab9f", "week_starts_on": 0},
    )
    assert changed.status_code == 200, changed.text
    assert (changed.json()["timezone"], changed.json()["brand_color"]) == (
        "Europe/London",
        "#12ab9f",
    )
    denied = api.patch(f"/v1/orgs/{org}/settings", as_=receptionist, json={"week_starts_on": 3})
    assert denied.status_code == 403
    assert api.get(f"/v1/orgs/{org}/settings", as_=owner).json()["week_starts_on"] == 0
    bad_zone = api.patch(f"/v1/orgs/{org}/settings", as_=owner, json={"timezone": "Mars/Olympus"})
    assert (bad_zone.status_code, bad_zone.json()["error"]["code"]) == (422, "invalid_timezone")
    for body in ({"week_starts_on": 9}, {"brand_color": "red"}, {"timezone": 5}, {"nope": 1}):
        assert api.patch(f"/v1/orgs/{org}/settings", as_=owner, json=body).status_code == 400, body
    assert api.sql(
        "SELECT count(*) FROM events.outbox"
        " WHERE type = 'organization_settings.updated' AND organization_id = %s",
        (org,),
    ) == [(1,)]


def test_the_tax_id_is_encrypted_at_rest_and_read_back_by_billing_readers(api: Api) -> None:
    org, owner, receptionist, _ = _clinic(api)
    saved = api.put(
        f"/v1/orgs/{org}/billing",
        as_=owner,
        json={
            "legal_name": "Kineto SRL",
            "tax_id": "RO12345678",
            "billing_email": "bills@kineto.test",
        },
    )
    assert saved.status_code == 200, saved.text
    assert saved.json()["tax_id"] == "RO12345678"
    raw = api.value(
        "SELECT tax_id_encrypted FROM billing.organization_billing WHERE organization_id = %s",
        (org,),
    )
    assert raw is not None and b"RO12345678" not in bytes(raw)
    audit = api.sql(
        "SELECT new_values ->> 'tax_id_encrypted' FROM audit.audit_log "
        "WHERE entity_type = 'billing.organization_billing' AND action = 'update'"
    )
    assert audit and {row[0] for row in audit} <= {"[redacted]", None}
    assert api.get(f"/v1/orgs/{org}/billing", as_=owner).json()["tax_id"] == "RO12345678"
    assert api.get(f"/v1/orgs/{org}/billing", as_=receptionist).status_code == 403
    assert (
        api.put(f"/v1/orgs/{org}/billing", as_=receptionist, json={"legal_name": "X"}).status_code
        == 403
    )
    assert (
        api.put(f"/v1/orgs/{org}/billing", as_=owner, json={"tax_id": "R" * 33}).status_code == 400
    )
    assert (
        api.put(f"/v1/orgs/{org}/billing", as_=owner, json={"country": "romania"}).status_code
        == 400
    )


def test_patient_tiers_validate_their_perks_and_limits(api: Api) -> None:
    org, owner, receptionist, _ = _clinic(api)
    ok = api.post(
        f"/v1/orgs/{org}/patient-tiers",
        as_=owner,
        json={"code": "gold", "name": "Gold", "entitlements": {"priority_booking": True}},
    )
    assert ok.status_code == 201, ok.text
    edited = api.patch(
        f"/v1/orgs/{org}/patient-tiers/{ok.json()['id']}",
        as_=owner,
        json={"limits": {"bookings.monthly": 8}},
    )
    assert (edited.json()["version"], edited.json()["limits"]) == (2, {"bookings.monthly": 8})
    wrong_perk = api.post(
        f"/v1/orgs/{org}/patient-tiers",
        as_=owner,
        json={"code": "x1", "name": "X", "entitlements": {"custom_domains": True}},
    )
    assert (wrong_perk.status_code, wrong_perk.json()["error"]["code"]) == (
        422,
        "unknown_entitlement",
    )
    assert (
        api.post(f"/v1/orgs/{org}/patient-tiers", as_=owner, json={"name": "No code"}).status_code
        == 400
    )
    dup = api.post(
        f"/v1/orgs/{org}/patient-tiers", as_=owner, json={"code": "gold", "name": "Again"}
    )
    assert (dup.status_code, dup.json()["error"]["code"]) == (409, "patient_tiers_org_code_key")
    denied = api.post(
        f"/v1/orgs/{org}/patient-tiers", as_=receptionist, json={"code": "y1", "name": "Y"}
    )
    assert denied.status_code == 403
    other = api.org("clinic-other")
    assert (
        api.patch(
            f"/v1/orgs/{other}/patient-tiers/{ok.json()['id']}", as_=owner, json={}
        ).status_code
        == 404
    )
    missing = api.patch(
        f"/v1/orgs/{org}/patient-tiers/{uuid.uuid4()}", as_=owner, json={"name": "Z"}
    )
    assert missing.status_code == 404


def test_the_console_is_for_platform_admins_and_checks_its_input(api: Api) -> None:
    org, owner, _, root = _clinic(api)
    assert api.get("/v1/console/tiers", as_=owner).status_code == 403
    assert (
        api.put(
            f"/v1/console/orgs/{uuid.uuid4()}/subscription", as_=root, json={"tier": "pro"}
        ).status_code
        == 404
    )
    unknown = api.put(f"/v1/console/orgs/{org}/subscription", as_=root, json={"tier": "platinum"})
    assert (unknown.status_code, unknown.json()["error"]["code"]) == (422, "tier_not_found")
    addon_as_base = api.put(
        f"/v1/console/orgs/{org}/subscription", as_=root, json={"tier": "extra_members"}
    )
    assert addon_as_base.json()["error"]["code"] == "tier_not_base"
    both = api.post(
        f"/v1/console/orgs/{org}/overrides",
        as_=root,
        json={
            "entitlement": "api_access",
            "enabled": True,
            "limit": "members.max",
            "reason": "both",
        },
    )
    assert both.status_code == 400
    short_reason = api.post(
        f"/v1/console/orgs/{org}/overrides",
        as_=root,
        json={"limit": "members.max", "value": 9, "reason": "x"},
    )
    assert short_reason.status_code == 400
    limit = api.post(
        f"/v1/console/orgs/{org}/overrides",
        as_=root,
        json={"limit": "members.max", "value": 9, "reason": "deal 42"},
    )
    assert limit.status_code == 201
    assert api.delete(f"/v1/console/overrides/{limit.json()['id']}", as_=root).status_code == 204
    assert api.delete(f"/v1/console/overrides/{limit.json()['id']}", as_=root).status_code == 422
    tier_toggle = api.put(
        f"/v1/console/orgs/{org}/entitlements/custom_domains",
        as_=root,
        json={"enabled": True, "reason": "nope"},
    )
    assert tier_toggle.json()["error"]["code"] == "entitlement_not_found"
