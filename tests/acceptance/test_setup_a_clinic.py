"""Setting up a clinic, end to end through the HTTP API against PostgreSQL and Redis.

The Layer 1 gate (seed 1.23): provisioning creates every companion; a superadmin changes the
tier, attaches an add-on, grants an override and flips an org entitlement; the clinic admin
defines patient tiers; patient signup respects the default tier; each guard answers with its
status and discriminator; the audit log carries the right actor type and action context;
catalog edits leave live snapshots alone until migrated.
"""

from __future__ import annotations

from tests.api_client import Api, new_email


def _limit(body: dict, code: str) -> dict:
    return next(item for item in body["limits"] if item["code"] == code)


def _entitlement(body: dict, code: str) -> dict:
    return next(item for item in body["entitlements"] if item["code"] == code)


def test_setup_a_clinic(api: Api) -> None:
    root_email = new_email("root")
    api.platform(api.human(root_email))
    owner_email = new_email("owner")
    owner = api.human(owner_email)

    # The superadmin provisions the clinic with its first owner.
    created = api.post(
        "/v1/orgs",
        as_=root_email,
        json={"slug": "kineto-plus", "name": "Kineto Plus", "owner_principal_id": owner},
        headers={"X-Request-Id": "setup-provision"},
    )
    assert created.status_code == 201, created.text
    org = created.json()["id"]

    # Every companion exists: settings, billing, org entitlements, Free, a default patient tier.
    assert (
        api.get(f"/v1/orgs/{org}/settings", as_=owner_email).json()["timezone"]
        == "Europe/Bucharest"
    )
    billing = api.get(f"/v1/orgs/{org}/billing", as_=owner_email)
    assert billing.status_code == 200 and billing.json()["tier"] == "free"
    entitlements = api.get(f"/v1/orgs/{org}/entitlements", as_=owner_email).json()
    assert entitlements["tier"] == "free"
    assert _entitlement(entitlements, "patient_portal") == {
        "code": "patient_portal",
        "scope": "org",
        "enabled": True,
        "source": "organization",
    }
    assert _limit(entitlements, "members.max")["value"] == 3
    assert _limit(entitlements, "members.max")["usage"] == 1
    tiers = api.get(f"/v1/orgs/{org}/patient-tiers", as_=owner_email).json()
    assert [(t["code"], t["is_default"]) for t in tiers] == [("standard", True)]

    # The tier-entitlement guard: Free has no custom domains -> 402 with its discriminator.
    domain = api.post(f"/v1/orgs/{org}/domains", as_=owner_email, json={"domain": "kinetoplus.ro"})
    assert domain.status_code == 402
    assert domain.json()["error"]["code"] == "tier_entitlement_unavailable"
    assert domain.json()["error"]["details"] == {
        "kind": "tier_entitlement",
        "entitlement": "custom_domains",
    }

    # The limit guard: Free allows 3 members (the owner plus two invitations).
    roles = {r["code"]: r["id"] for r in api.get(f"/v1/orgs/{org}/roles", as_=owner_email).json()}
    for n in range(2):
        invited = api.post(
            f"/v1/orgs/{org}/invitations",
            as_=owner_email,
            json={"email": f"physio{n}@kinetoplus.test", "role_id": roles["specialist"]},
        )
        assert invited.status_code == 201, invited.text
    over = api.post(
        f"/v1/orgs/{org}/invitations",
        as_=owner_email,
        json={"email": "physio9@kinetoplus.test", "role_id": roles["specialist"]},
    )
    assert over.status_code == 402
    assert over.json()["error"]["code"] == "limit_exceeded"
    assert over.json()["error"]["details"]["kind"] == "limit"
    assert over.json()["error"]["details"]["limit"] == 3
    assert over.json()["error"]["details"]["usage"] == 3

    # The superadmin moves the clinic to Pro and attaches the extra-members add-on.
    pro = api.put(f"/v1/console/orgs/{org}/subscription", as_=root_email, json={"tier": "pro"})
    assert pro.status_code == 200, pro.text
    assert pro.json()["tier"] == "pro"
    addon = api.post(
        f"/v1/console/orgs/{org}/addons", as_=root_email, json={"tier": "extra_members"}
    )
    assert addon.status_code == 201, addon.text
    entitlements = api.get(f"/v1/orgs/{org}/entitlements", as_=owner_email).json()
    assert entitlements["tier"] == "pro"
    assert _limit(entitlements, "members.max")["value"] == 35
    assert _entitlement(entitlements, "custom_domains")["enabled"] is True
    assert (
        api.post(
            f"/v1/orgs/{org}/domains", as_=owner_email, json={"domain": "kinetoplus.ro"}
        ).status_code
        == 201
    )

    # An override with a reason: api_access for a pilot.
    override = api.post(
        f"/v1/console/orgs/{org}/overrides",
        as_=root_email,
        json={"entitlement": "api_access", "enabled": True, "reason": "pilot until launch"},
    )
    assert override.status_code == 201, override.text
    api_access = _entitlement(
        api.get(f"/v1/orgs/{org}/entitlements", as_=owner_email).json(), "api_access"
    )
    assert api_access == {
        "code": "api_access",
        "scope": "tier",
        "enabled": True,
        "source": "override",
    }

    # The clinic admin defines a patient tier.
    premium = api.post(
        f"/v1/orgs/{org}/patient-tiers",
        as_=owner_email,
        json={
            "code": "premium",
            "name": "Premium",
            "entitlements": {"priority_booking": True, "exercise_library": True},
            "limits": {"bookings.monthly": 12},
        },
    )
    assert premium.status_code == 201, premium.text
    assert premium.json()["version"] == 1
    assert premium.json()["limits"] == {"bookings.monthly": 12}

    # Patient signup respects the default tier: a new human onboards through the portal and is
    # snapshotted on the default tier; once the admin makes Premium the default, the next
    # signup gets Premium, and the first patient keeps what they signed up with.
    first_patient = new_email("patient")
    signup = api.post(
        "/v1/portal/onboard",
        as_=first_patient,
        json={"slug": "kineto-plus", "first_name": "Ana", "last_name": "Pop"},
    )
    assert signup.status_code == 201, signup.text
    assert signup.json()["subscription"]["tier_code"] == "standard"
    first_url = f"/v1/orgs/{org}/patients/{signup.json()['patient_id']}/subscription"
    standard = api.get(first_url, as_=owner_email).json()
    assert standard["limits"] == [
        {"code": "bookings.monthly", "value": 4, "source": "subscription"}
    ]
    made_default = api.patch(
        f"/v1/orgs/{org}/patient-tiers/{premium.json()['id']}",
        as_=owner_email,
        json={"is_default": True},
    )
    assert made_default.status_code == 200, made_default.text
    second = api.post(
        "/v1/portal/onboard",
        as_=new_email("patient"),
        json={"host": "kineto-plus.restartix.app", "first_name": "Ion", "last_name": "Ene"},
    )
    assert second.status_code == 201, second.text
    assert second.json()["subscription"]["tier_code"] == "premium"
    premium_sub = api.get(
        f"/v1/orgs/{org}/patients/{second.json()['patient_id']}/subscription", as_=owner_email
    ).json()
    assert premium_sub["limits"][0]["value"] == 12
    assert next(e for e in premium_sub["entitlements"] if e["code"] == "priority_booking")[
        "enabled"
    ]
    assert api.get(first_url, as_=owner_email).json()["tier_code"] == "standard"
    assert [p["tier_code"] for p in api.get("/v1/me/patients", as_=first_patient).json()] == [
        "standard"
    ]

    # The org-entitlement guard: switching patient_portal off stops patient tier changes (403).
    flipped = api.put(
        f"/v1/console/orgs/{org}/entitlements/patient_portal",
        as_=root_email,
        json={"enabled": False, "reason": "processing agreement pending"},
        headers={"X-Request-Id": "setup-flip"},
    )
    assert flipped.status_code == 204, flipped.text
    blocked = api.patch(
        f"/v1/orgs/{org}/patient-tiers/{premium.json()['id']}",
        as_=owner_email,
        json={"name": "Premium+"},
    )
    assert blocked.status_code == 403
    assert blocked.json()["error"]["code"] == "org_entitlement_disabled"
    assert blocked.json()["error"]["details"] == {
        "kind": "org_entitlement",
        "entitlement": "patient_portal",
    }

    # Audit: the flip is an org_entitlement_change by a human; provisioning by a human too.
    assert api.sql(
        "SELECT actor_type, action_context FROM audit.audit_log "
        "WHERE entity_type = 'billing.organization_entitlements' AND request_id = 'setup-flip'"
    ) == [("human", "org_entitlement_change")]
    assert {
        row[0]
        for row in api.sql(
            "SELECT actor_type FROM audit.audit_log WHERE request_id = 'setup-provision'"
        )
    } == {"human"}

    # Catalog edits leave the live snapshot alone until the subscription is migrated.
    published = api.post(
        "/v1/console/tiers/pro/versions",
        as_=root_email,
        json={
            "entitlements": {"custom_domains": True, "audit_export": True},
            "limits": {"members.max": 40},
        },
    )
    assert published.status_code == 201, published.text
    assert published.json()["version"] == 2
    after_edit = api.get(f"/v1/orgs/{org}/entitlements", as_=owner_email).json()
    assert _limit(after_edit, "members.max")["value"] == 35
    assert _entitlement(after_edit, "audit_export")["enabled"] is False
    subscription = next(
        s
        for s in api.get(f"/v1/console/orgs/{org}/subscriptions", as_=root_email).json()
        if s["kind"] == "base" and s["status"] == "active"
    )
    assert (subscription["version"], subscription["latest_version"]) == (1, 2)
    migrated = api.post(f"/v1/console/subscriptions/{subscription['id']}/migrate", as_=root_email)
    assert migrated.status_code == 200, migrated.text
    assert migrated.json()["version"] == 2
    after_migration = api.get(f"/v1/orgs/{org}/entitlements", as_=owner_email).json()
    assert _limit(after_migration, "members.max")["value"] == 50
    assert _entitlement(after_migration, "audit_export")["enabled"] is True

    # Clinic staff cannot reach the console.
    assert (
        api.put(
            f"/v1/console/orgs/{org}/subscription", as_=owner_email, json={"tier": "dedicated"}
        ).status_code
        == 403
    )
