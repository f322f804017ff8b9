"""Portal onboarding through the real API and database: a new human becomes a patient with a
profile and a subscription snapshotted from the default tier; guest profiles with their email
are claimed; idempotency; host and slug; bad input; suspended and unknown clinics; limits,
also under concurrency."""

from __future__ import annotations

import threading

import psycopg

from tests.api_client import Api
from tests.api_world import clinic, error_code
from tests.databases import ScratchDatabase
from tests.people.test_api_subscriptions import decode_people_events

NAMES = {"first_name": "Ana", "last_name": "Pop"}


def test_a_new_human_onboards_end_to_end_and_again_gets_the_same_patient(api: Api) -> None:
    a = clinic(api, "clinic-a")
    ana = "ana@pop.test"  # never seen before: the first request provisions the human
    made = api.post(
        "/v1/portal/onboard",
        as_=ana,
        json={"slug": "clinic-a", **NAMES, "date_of_birth": "1990-05-17", "city": "Cluj"},
    )
    assert made.status_code == 201, made.text
    body = made.json()
    assert (body["organization_id"], body["created"], body["claimed"]) == (a.id, True, False)
    assert (body["subscription"]["tier_code"], body["subscription"]["version"]) == ("standard", 1)
    assert body["subscription"]["id"] == body["patient_subscription_id"]
    # The profile is hers, the patient row is the clinic's, the snapshot the default tier's.
    mine = api.get("/v1/me/profiles", as_=ana).json()
    assert [(p["id"], p["own"], p["city"], p["email"]) for p in mine] == [
        (body["patient_profile_id"], True, "Cluj", ana)
    ]
    assert [(p["id"], p["tier_code"]) for p in api.get("/v1/me/patients", as_=ana).json()] == [
        (body["patient_id"], "standard")
    ]
    seen = api.get(a.url(f"/patients/{body['patient_id']}"), as_=a.receptionist).json()
    assert (seen["first_name"], seen["has_account"]) == ("Ana", True)
    snapshot = api.sql(
        "SELECT limit_code, value FROM people.patient_subscription_limits"
        " WHERE subscription_id = %s",
        (body["patient_subscription_id"],),
    )
    assert snapshot == [("bookings.monthly", 4)]

    again = api.post("/v1/portal/onboard", as_=ana, json={"slug": "clinic-a"})
    assert again.status_code == 200, again.text
    assert (again.json()["patient_id"], again.json()["created"]) == (body["patient_id"], False)
    assert api.value("SELECT count(*) FROM people.patients") == 1
    types = [
        t
        for (t,) in api.sql(
            "SELECT type FROM events.outbox WHERE organization_id = %s AND type LIKE 'patient%%'"
            " ORDER BY position",
            (a.id,),
        )
    ]
    assert types == ["patient_subscription.changed", "patient.created", "patient.onboarded"]
    decode_people_events(api)


def test_the_clinic_is_resolved_by_host_or_slug_as_the_public_resolve_does(api: Api) -> None:
    a, b = clinic(api, "clinic-a"), clinic(api, "clinic-b")
    api.sql(
        "INSERT INTO tenancy.organization_domains (organization_id, domain, verified_at)"
        " VALUES (%s, 'kineto-b.ro', now())",
        (b.id,),
    )
    ion = "ion@x.test"
    by_sub = api.post(
        "/v1/portal/onboard", as_=ion, json={"host": "clinic-a.restartix.app", **NAMES}
    )
    assert (by_sub.status_code, by_sub.json()["organization_id"]) == (201, a.id)
    by_domain = api.post("/v1/portal/onboard", as_=ion, json={"host": "Kineto-B.ro:443"})
    assert (by_domain.status_code, by_domain.json()["organization_id"]) == (201, b.id)
    assert by_domain.json()["patient_profile_id"] == by_sub.json()["patient_profile_id"]
    resolved = api.get("/v1/public/resolve", params={"host": "Kineto-B.ro:443"}).json()
    assert resolved["id"] == b.id
    unknown = api.post("/v1/portal/onboard", as_=ion, json={"slug": "no-such-clinic"})
    assert (unknown.status_code, error_code(unknown)) == (404, "organization_not_found")
    unknown_host = api.post("/v1/portal/onboard", as_=ion, json={"host": "nowhere.example"})
    assert (unknown_host.status_code, error_code(unknown_host)) == (404, "organization_not_found")
    api.sql("UPDATE tenancy.organizations SET status = 'suspended' WHERE id = %s", (a.id,))
    for where in ({"slug": "clinic-a"}, {"host": "clinic-a.restartix.app"}):
        suspended = api.post("/v1/portal/onboard", as_="eva@x.test", json={**where, **NAMES})
        assert (suspended.status_code, error_code(suspended)) == (403, "organization_not_active")


def test_a_guest_profile_is_claimed_at_sign_up(api: Api) -> None:
    a, b = clinic(api, "clinic-a"), clinic(api, "clinic-b")
    ana = "ana@pop.test"
    guest_a = api.post(
        a.url("/patients"), as_=a.receptionist, json={**NAMES, "email": ana, "consumer_id": "A-1"}
    ).json()
    guest_b = api.post(b.url("/patients"), as_=b.receptionist, json={**NAMES, "email": ana}).json()
    assert guest_a["has_account"] is False
    # Onboarding at A claims A's guest profile and merges B's into it.
    made = api.post("/v1/portal/onboard", as_=ana, json={"slug": "clinic-a", "city": "Cluj"})
    assert made.status_code == 200, made.text
    assert (made.json()["patient_id"], made.json()["claimed"], made.json()["created"]) == (
        guest_a["id"],
        True,
        False,
    )
    profile = made.json()["patient_profile_id"]
    assert api.get(a.url(f"/patients/{guest_a['id']}"), as_=a.owner).json()["has_account"] is True
    at_b = api.get(b.url(f"/patients/{guest_b['id']}"), as_=b.owner).json()
    assert (at_b["patient_profile_id"], at_b["has_account"]) == (profile, True)
    assert {p["id"] for p in api.get("/v1/me/patients", as_=ana).json()} == {
        guest_a["id"],
        guest_b["id"],
    }
    claimed = api.sql(
        "SELECT organization_id::text FROM events.outbox WHERE type = 'patient_profile.claimed'"
        " ORDER BY position"
    )
    assert claimed == [(a.id,), (b.id,)]
    decode_people_events(api)
    # Now hers, the clinic no longer edits the contact fields.
    refused = api.patch(a.url(f"/patients/{guest_a['id']}"), as_=a.owner, json={"phone": "+40 1"})
    assert (refused.status_code, error_code(refused)) == (409, "profile_owned_by_patient")
    # A guest profile with another email is not claimed.
    other = api.post(a.url("/patients"), as_=a.receptionist, json={**NAMES, "email": "x@y.test"})
    assert api.get(a.url(f"/patients/{other.json()['id']}"), as_=a.owner).json()["has_account"] is (
        False
    )


def test_bad_input_is_400_and_refusals_are_clear(api: Api) -> None:
    clinic(api, "clinic-a")
    ion = "ion@x.test"
    for body in (
        {**NAMES},  # neither host nor slug
        {"slug": "clinic-a", "host": "clinic-a.restartix.app", **NAMES},  # both
        {"slug": 5, **NAMES},  # wrong type
        {"slug": "x" * 64, **NAMES},  # oversize
        {"host": "h" * 261, **NAMES},
        {"slug": "clinic-a", "first_name": "A" * 101, "last_name": "Pop"},
        {"slug": "clinic-a", **NAMES, "sex": "robot"},
        {"slug": "clinic-a", **NAMES, "profile_shared": True},  # not the person's to set
        {"slug": "clinic-a", **NAMES, "phone": "call me"},
    ):
        response = api.post("/v1/portal/onboard", as_=ion, json=body)
        assert (response.status_code, error_code(response)) == (400, "validation_failed"), body
    names = api.post("/v1/portal/onboard", as_=ion, json={"slug": "clinic-a", "first_name": "I"})
    assert (names.status_code, error_code(names)) == (400, "invalid_field")
    assert api.value("SELECT count(*) FROM people.patient_profiles") == 0
    assert api.post("/v1/portal/onboard", json={"slug": "clinic-a", **NAMES}).status_code == 401
    blocked = "blocked@x.test"
    api.sql(
        "UPDATE iam.humans SET blocked_at = now() WHERE principal_id = %s", (api.human(blocked),)
    )
    refused = api.post("/v1/portal/onboard", as_=blocked, json={"slug": "clinic-a", **NAMES})
    assert (refused.status_code, error_code(refused)) == (403, "human_blocked")


def test_the_patient_portal_switch_and_patients_max(api: Api) -> None:
    a = clinic(api, "clinic-free", tier=None)
    api.sql(
        "SELECT billing.set_org_entitlement(%s, 'patient_portal', false, 'DPA pending')", (a.id,)
    )
    off = api.post("/v1/portal/onboard", as_="ion@x.test", json={"slug": a.slug, **NAMES})
    assert (off.status_code, error_code(off)) == (403, "org_entitlement_disabled")
    assert off.json()["error"]["details"] == {
        "kind": "org_entitlement",
        "entitlement": "patient_portal",
    }
    api.sql("SELECT billing.set_org_entitlement(%s, 'patient_portal', true, 'signed')", (a.id,))
    api.sql(
        "SELECT billing.grant_override(%s, NULL, 'patients.max', NULL, 1, 'tiny plan')", (a.id,)
    )
    first = api.post("/v1/portal/onboard", as_="ion@x.test", json={"slug": a.slug, **NAMES})
    assert first.status_code == 201, first.text
    over = api.post("/v1/portal/onboard", as_="eva@x.test", json={"slug": a.slug, **NAMES})
    assert (over.status_code, error_code(over)) == (402, "limit_exceeded")
    assert over.json()["error"]["details"]["limit"] == 1
    # Onboarding again is no new patient: it does not count.
    again = api.post("/v1/portal/onboard", as_="ion@x.test", json={"slug": a.slug})
    assert again.status_code == 200
    assert api.value("SELECT count(*) FROM people.patient_profiles") == 1


def _onboard(db: ScratchDatabase, human: str, barrier, results: list) -> None:
    with psycopg.connect(db.app_url) as conn:
        conn.execute("SELECT set_config('app.current_principal_id', %s, true)", (human,))
        barrier.wait()
        try:
            row = conn.execute(
                "SELECT created FROM people.onboard(NULL, 'race-clinic',"
                ' \'{"first_name": "R", "last_name": "C"}\')'
            ).fetchone()
            conn.commit()
            results.append("created" if row[0] else "reused")
        except psycopg.errors.RaiseException as exc:
            conn.rollback()
            results.append(exc.diag.message_primary)


def _race(db: ScratchDatabase, humans: list[str]) -> list[str]:
    barrier = threading.Barrier(len(humans))
    results: list[str] = []
    threads = [
        threading.Thread(target=_onboard, args=(db, human, barrier, results)) for human in humans
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


def test_concurrent_onboardings_leave_exactly_the_limit_and_one_patient_each(
    fresh_database: ScratchDatabase,
) -> None:
    with psycopg.connect(fresh_database.owner_url, autocommit=True) as conn:
        org = conn.execute("SELECT tests.create_org('race-clinic')").fetchone()[0]
        conn.execute(
            "SELECT billing.grant_override(%s, NULL, 'patients.max', NULL, 5, 'race plan')", (org,)
        )
        humans = [
            str(conn.execute("SELECT tests.create_human(%s)", (f"r{i}@race.test",)).fetchone()[0])
            for i in range(20)
        ]
    results = _race(fresh_database, humans)
    assert sorted(results) == ["created"] * 5 + ["limit_exceeded"] * 15
    # One human submitting twice at once gets one patient.
    with psycopg.connect(fresh_database.owner_url) as conn:
        winner = str(
            conn.execute("SELECT human_id FROM people.patient_profiles LIMIT 1").fetchone()[0]
        )
    again = _race(fresh_database, [winner, winner])
    assert sorted(again) == ["reused", "reused"]
    with psycopg.connect(fresh_database.owner_url, autocommit=True) as conn:
        conn.execute(
            "SELECT billing.grant_override(%s, NULL, 'patients.max', NULL, 50, 'more')", (org,)
        )
        newcomer = str(conn.execute("SELECT tests.create_human('new@race.test')").fetchone()[0])
    assert sorted(_race(fresh_database, [newcomer, newcomer])) == ["created", "reused"]
    with psycopg.connect(fresh_database.owner_url) as conn:
        patients, profiles, active = conn.execute(
            "SELECT (SELECT count(*) FROM people.patients),"
            " (SELECT count(*) FROM people.patient_profiles),"
            " (SELECT count(*) FROM people.patient_subscriptions WHERE status = 'active')"
        ).fetchone()
    assert (patients, profiles, active) == (6, 6, 6)
