"""Service plans, their versions and patients' enrollments through the real API: publish
keeps enrollments on their version, sessions are used once per appointment and never past
the total, revoke is a manager's, the person sees what they have left in every clinic;
other tenants' ids, bad input and roles."""

from __future__ import annotations

import uuid

import msgspec

from app.domains.events.catalog import CATALOG
from tests.api_client import Api
from tests.api_world import clinic, error_code


def _service(api: Api, org) -> dict:
    body = {"name": "Physio", "duration_minutes": 50, "currency": "RON"}
    return api.post(org.url("/services"), as_=org.owner, json=body).json()


def _pack(api: Api, org, sessions: int = 3, **extra) -> dict:
    body = {
        "plan_type": "session_pack",
        "name": f"{sessions} sessions",
        "price_amount": 10000 * sessions,
        "currency": "RON",
        "sessions_total": sessions,
        "validity_days": 30,
        **extra,
    }
    made = api.post(org.url("/service-plans"), as_=org.owner, json=body)
    assert made.status_code == 201, made.text
    return made.json()


def _patient(api: Api, org, first: str = "Ana") -> dict:
    body = {"first_name": first, "last_name": "Pop"}
    made = api.post(org.url("/patients"), as_=org.receptionist, json=body)
    assert made.status_code == 201, made.text
    return made.json()


def _enroll(api: Api, org, patient: dict, plan: dict) -> dict:
    made = api.post(
        org.url(f"/patients/{patient['id']}/plans"),
        as_=org.receptionist,
        json={"service_plan_id": plan["id"]},
    )
    assert made.status_code == 201, made.text
    return made.json()


def test_a_plan_publishes_versions_and_enrollments_keep_theirs(api: Api) -> None:
    a = clinic(api, "clinic-a")
    physio = _service(api, a)
    band = api.post(
        a.url("/products"),
        as_=a.owner,
        json={"name": "Band", "sku": "B-1", "price_amount": 500, "currency": "RON"},
    ).json()
    pack = _pack(
        api,
        a,
        3,
        service_ids=[physio["id"]],
        products=[{"product_id": band["id"], "quantity": 2}],
        translations={"en": {"name": "Three sessions"}},
    )
    assert (pack["current_version"], pack["sessions_total"], pack["plan_type"]) == (
        1,
        3,
        "session_pack",
    )
    ana = _patient(api, a)
    enrolled = _enroll(api, a, ana, pack)
    assert (enrolled["version"], enrolled["sessions_remaining"], enrolled["state"]) == (
        1,
        3,
        "active",
    )

    published = api.post(
        a.url(f"/service-plans/{pack['id']}/versions"),
        as_=a.admin,
        json={
            "name": "Five sessions",
            "price_amount": 45000,
            "currency": "RON",
            "sessions_total": 5,
            "validity_days": 60,
        },
    )
    assert published.status_code == 201, published.text
    assert (published.json()["version"], published.json()["service_ids"]) == (2, [])
    current = api.get(a.url(f"/service-plans/{pack['id']}"), as_=a.receptionist).json()
    assert (current["current_version"], current["sessions_total"]) == (2, 5)
    versions = api.get(a.url(f"/service-plans/{pack['id']}/versions"), as_=a.owner).json()
    assert [v["version"] for v in versions] == [2, 1]
    assert versions[1]["service_ids"] == [physio["id"]]
    assert versions[1]["products"] == [{"product_id": band["id"], "quantity": 2}]
    one = api.get(a.url(f"/service-plans/{pack['id']}/versions/1"), as_=a.owner)
    assert (one.status_code, one.json()["price_amount"]) == (200, 30000)
    missing = api.get(a.url(f"/service-plans/{pack['id']}/versions/9"), as_=a.owner)
    assert (missing.status_code, error_code(missing)) == (404, "service_plan_not_found")
    kept = api.get(a.url(f"/patients/{ana['id']}/plans/{enrolled['id']}"), as_=a.owner).json()
    assert (kept["version"], kept["sessions_total"], kept["price_amount"]) == (1, 3, 30000)
    newer = _enroll(api, a, ana, pack)
    assert (newer["version"], newer["sessions_total"]) == (2, 5)

    off = api.patch(a.url(f"/service-plans/{pack['id']}"), as_=a.owner, json={"active": False})
    assert (off.status_code, off.json()["active"]) == (200, False)
    refused = api.post(
        a.url(f"/patients/{ana['id']}/plans"),
        as_=a.receptionist,
        json={"service_plan_id": pack["id"]},
    )
    assert (refused.status_code, error_code(refused)) == (409, "service_plan_inactive")
    listed = api.get(a.url("/service-plans"), as_=a.owner, params={"active": "false"}).json()
    assert [p["id"] for p in listed["items"]] == [pack["id"]]
    assert api.delete(a.url(f"/service-plans/{pack['id']}"), as_=a.owner).status_code == 204
    assert api.get(a.url(f"/service-plans/{pack['id']}"), as_=a.owner).status_code == 404
    still = api.get(a.url(f"/patients/{ana['id']}/plans"), as_=a.owner).json()["items"]
    assert {e["id"] for e in still} == {enrolled["id"], newer["id"]}
    types = api.sql(
        "SELECT type, payload->>'version' FROM events.outbox WHERE organization_id = %s"
        " AND type LIKE 'service_plan.%%' ORDER BY position",
        (a.id,),
    )
    assert types == [
        ("service_plan.published", "1"),
        ("service_plan.published", "2"),
        ("service_plan.updated", None),
        ("service_plan.deleted", None),
    ]


def test_plan_types_and_their_terms(api: Api) -> None:
    a = clinic(api, "clinic-a")
    membership = api.post(
        a.url("/service-plans"),
        as_=a.owner,
        json={
            "plan_type": "membership",
            "name": "Monthly",
            "price_amount": 20000,
            "currency": "RON",
            "period": "month",
            "sessions_per_period": 4,
        },
    )
    assert membership.status_code == 201, membership.text
    assert (membership.json()["renews"], membership.json()["sessions_per_period"]) == (True, 4)
    program = api.post(
        a.url("/service-plans"),
        as_=a.owner,
        json={
            "plan_type": "telerehab_program",
            "name": "Knee at home",
            "price_amount": 9900,
            "currency": "RON",
            "validity_days": 60,
            "telerehab_access": True,
            "library_access": True,
            "treatment_plan_assignments_total": 2,
        },
    )
    assert program.status_code == 201, program.text
    ana = _patient(api, a)
    member = _enroll(api, a, ana, membership.json())
    assert (member["sessions_total"], member["plan_type"]) == (4, "membership")
    remote = _enroll(api, a, ana, program.json())
    assert (remote["sessions_total"], remote["assignments_total"]) == (None, 2)
    no_sessions = api.post(
        a.url(f"/patients/{ana['id']}/plans/{remote['id']}/consumptions"),
        as_=a.receptionist,
        json={"appointment_id": str(uuid.uuid4())},
    )
    assert (no_sessions.status_code, error_code(no_sessions)) == (409, "plan_has_no_sessions")
    mismatched = (
        {"plan_type": "session_pack", "validity_days": 30},  # no sessions_total
        {"plan_type": "membership", "validity_days": 30},  # no period
        {"plan_type": "telerehab_program", "validity_days": 30},  # no grant
        {"plan_type": "session_pack", "sessions_total": 3, "validity_days": 3, "period": "week"},
    )
    for terms in mismatched:
        body = {"name": "X", "price_amount": 1, "currency": "RON", **terms}
        response = api.post(a.url("/service-plans"), as_=a.owner, json=body)
        assert (response.status_code, error_code(response)) == (
            422,
            "service_plan_versions_terms_match_type",
        ), terms
    euro = api.post(
        a.url("/products"),
        as_=a.owner,
        json={"name": "Ball", "sku": "BALL", "price_amount": 900, "currency": "EUR"},
    ).json()
    mixed = api.post(
        a.url("/service-plans"),
        as_=a.owner,
        json={
            "plan_type": "session_pack",
            "name": "Mixed",
            "price_amount": 100,
            "currency": "RON",
            "sessions_total": 1,
            "validity_days": 1,
            "products": [{"product_id": euro["id"]}],
        },
    )
    assert (mixed.status_code, error_code(mixed)) == (422, "currency_mismatch")
    assert (
        api.value("SELECT count(*) FROM catalog.service_plans WHERE organization_id = %s", (a.id,))
        == 2
    )


def test_sessions_are_used_once_per_appointment_and_never_past_the_total(api: Api) -> None:
    a = clinic(api, "clinic-a")
    pack = _pack(api, a, 2)
    ana = _patient(api, a)
    enrolled = _enroll(api, a, ana, pack)
    url = a.url(f"/patients/{ana['id']}/plans/{enrolled['id']}/consumptions")
    first_visit, second_visit = str(uuid.uuid4()), str(uuid.uuid4())
    used = api.post(url, as_=a.emails["specialist"], json={"appointment_id": first_visit})
    assert (used.status_code, used.json()["sessions_remaining"], used.json()["replayed"]) == (
        201,
        1,
        False,
    )
    replay = api.post(url, as_=a.receptionist, json={"appointment_id": first_visit})
    assert (replay.status_code, replay.json()["replayed"]) == (200, True)
    assert replay.json()["consumption_id"] == used.json()["consumption_id"]
    last = api.post(url, as_=a.receptionist, json={"appointment_id": second_visit})
    assert (last.status_code, last.json()["status"]) == (201, "exhausted")
    over = api.post(url, as_=a.receptionist, json={"appointment_id": str(uuid.uuid4())})
    assert (over.status_code, error_code(over)) == (409, "plan_exhausted")
    history = api.get(url, as_=a.emails["specialist"]).json()
    assert sorted(c["appointment_id"] for c in history["items"]) == sorted(
        [first_visit, second_visit]
    )
    state = api.get(a.url(f"/patients/{ana['id']}/plans"), as_=a.owner).json()["items"][0]
    assert (state["state"], state["sessions_used"], state["sessions_remaining"]) == (
        "exhausted",
        2,
        0,
    )
    exhausted = api.get(
        a.url(f"/patients/{ana['id']}/plans"), as_=a.owner, params={"state": "exhausted"}
    ).json()
    assert [e["id"] for e in exhausted["items"]] == [enrolled["id"]]
    second = _enroll(api, a, ana, pack)
    taken = api.post(
        a.url(f"/patients/{ana['id']}/plans/{second['id']}/consumptions"),
        as_=a.receptionist,
        json={"appointment_id": first_visit},
    )
    assert (taken.status_code, error_code(taken)) == (409, "appointment_already_consumed")
    # Revoking is a manager's decision.
    revoke = a.url(f"/patients/{ana['id']}/plans/{second['id']}/revoke")
    denied = api.post(revoke, as_=a.receptionist, json={"reason": "refund"})
    assert (denied.status_code, error_code(denied)) == (403, "permission_denied")
    revoked = api.post(revoke, as_=a.owner, json={"reason": "refund"})
    assert (revoked.status_code, revoked.json()["state"], revoked.json()["revoke_reason"]) == (
        200,
        "revoked",
        "refund",
    )
    twice = api.post(revoke, as_=a.owner, json={"reason": "again"})
    assert (twice.status_code, error_code(twice)) == (409, "plan_revoked")
    after = api.post(
        a.url(f"/patients/{ana['id']}/plans/{second['id']}/consumptions"),
        as_=a.receptionist,
        json={"appointment_id": str(uuid.uuid4())},
    )
    assert (after.status_code, error_code(after)) == (409, "plan_revoked")
    types = api.sql(
        "SELECT type FROM events.outbox WHERE organization_id = %s AND type LIKE 'patient_plan.%%'"
        " ORDER BY position",
        (a.id,),
    )
    assert [t for (t,) in types] == [
        "patient_plan.enrolled",
        "patient_plan.consumed",
        "patient_plan.consumed",
        "patient_plan.exhausted",
        "patient_plan.enrolled",
        "patient_plan.revoked",
    ]
    # Every payload the catalog published decodes strictly into its struct.
    published = api.sql(
        "SELECT type, version, payload::text FROM events.outbox WHERE organization_id = %s",
        (a.id,),
    )
    for event_type, version, payload in published:
        msgspec.json.decode(payload, type=CATALOG[(event_type, version)])


def test_expiry_is_derived_and_a_scheduled_plan_waits(api: Api) -> None:
    a = clinic(api, "clinic-a")
    pack = _pack(api, a, 3)
    ana = _patient(api, a)
    enrolled = _enroll(api, a, ana, pack)
    # The period ended (moved by the database, as the clock would): nothing else is written.
    api.sql(
        "UPDATE catalog.patient_service_plans SET period_start = now() - interval '40 days',"
        " period_end = now() - interval '10 days' WHERE id = %s",
        (enrolled["id"],),
    )
    seen = api.get(a.url(f"/patients/{ana['id']}/plans/{enrolled['id']}"), as_=a.owner).json()
    assert (seen["status"], seen["state"]) == ("active", "expired")
    expired = api.post(
        a.url(f"/patients/{ana['id']}/plans/{enrolled['id']}/consumptions"),
        as_=a.receptionist,
        json={"appointment_id": str(uuid.uuid4())},
    )
    assert (expired.status_code, error_code(expired)) == (409, "plan_expired")
    later = api.post(
        a.url(f"/patients/{ana['id']}/plans"),
        as_=a.receptionist,
        json={"service_plan_id": pack["id"], "starts_at": "2099-01-01T00:00:00Z"},
    )
    assert (later.status_code, error_code(later)) == (422, "invalid_period")


def test_other_tenants_ids_are_404_and_roles_without_the_permission_403(api: Api) -> None:
    a, b = clinic(api, "clinic-a"), clinic(api, "clinic-b")
    pack = _pack(api, a, 3)
    ana = _patient(api, a)
    enrolled = _enroll(api, a, ana, pack)
    b_pack = _pack(api, b, 3)
    b_patient = _patient(api, b, "Bob")
    plan_404 = (
        api.get(b.url(f"/service-plans/{pack['id']}"), as_=b.owner),
        api.patch(b.url(f"/service-plans/{pack['id']}"), as_=b.owner, json={"active": False}),
        api.delete(b.url(f"/service-plans/{pack['id']}"), as_=b.owner),
        api.get(b.url(f"/service-plans/{pack['id']}/versions"), as_=b.owner),
        api.get(b.url(f"/service-plans/{pack['id']}/versions/1"), as_=b.owner),
        api.post(
            b.url(f"/service-plans/{pack['id']}/versions"),
            as_=b.owner,
            json={
                "name": "x",
                "price_amount": 1,
                "currency": "RON",
                "sessions_total": 1,
                "validity_days": 1,
            },
        ),
        # B's patient in A's plan: the plan is not B's.
        api.post(
            b.url(f"/patients/{b_patient['id']}/plans"),
            as_=b.owner,
            json={"service_plan_id": pack["id"]},
        ),
    )
    for response in plan_404:
        assert (response.status_code, error_code(response)) == (404, "service_plan_not_found")
    patient_404 = (
        api.get(b.url(f"/patients/{ana['id']}/plans"), as_=b.owner),
        api.get(b.url(f"/patients/{ana['id']}/plans/{enrolled['id']}"), as_=b.owner),
        api.post(
            b.url(f"/patients/{ana['id']}/plans"),
            as_=b.owner,
            json={"service_plan_id": b_pack["id"]},
        ),
    )
    for response in patient_404:
        assert (response.status_code, error_code(response)) == (404, "patient_not_found")
    enrollment_404 = (
        api.post(
            b.url(f"/patients/{b_patient['id']}/plans/{enrolled['id']}/revoke"),
            as_=b.owner,
            json={"reason": "x"},
        ),
        api.post(
            b.url(f"/patients/{b_patient['id']}/plans/{enrolled['id']}/consumptions"),
            as_=b.owner,
            json={"appointment_id": str(uuid.uuid4())},
        ),
        api.get(
            b.url(f"/patients/{b_patient['id']}/plans/{enrolled['id']}/consumptions"),
            as_=b.owner,
        ),
        # Right organization, wrong patient in the path.
        api.get(
            a.url(f"/patients/{_patient(api, a, 'Eva')['id']}/plans/{enrolled['id']}"), as_=a.owner
        ),
    )
    for response in enrollment_404:
        assert (response.status_code, error_code(response)) == (404, "plan_enrollment_not_found")
    assert api.get(b.url("/service-plans"), as_=b.owner).json()["items"][0]["id"] == b_pack["id"]
    # No token.
    assert api.get(a.url("/service-plans")).status_code == 401
    assert api.get(a.url(f"/patients/{ana['id']}/plans")).status_code == 401
    assert api.get("/v1/me/plans").status_code == 401
    # Roles: clinicians and the front desk enroll but do not write plans; billing reads
    # plans and prices but no patient's plan.
    terms = {
        "plan_type": "session_pack",
        "name": "x",
        "price_amount": 1,
        "currency": "RON",
        "sessions_total": 1,
        "validity_days": 1,
    }
    for role in ("specialist", "receptionist", "billing"):
        who = a.emails[role]
        assert api.get(a.url("/service-plans"), as_=who).status_code == 200
        assert api.post(a.url("/service-plans"), as_=who, json=terms).status_code == 403
        assert api.delete(a.url(f"/service-plans/{pack['id']}"), as_=who).status_code == 403
        assert (
            api.post(
                a.url(f"/service-plans/{pack['id']}/versions"),
                as_=who,
                json={k: v for k, v in terms.items() if k != "plan_type"},
            ).status_code
            == 403
        )
    billing = a.emails["billing"]
    assert api.get(a.url(f"/patients/{ana['id']}/plans"), as_=billing).status_code == 403
    assert (
        api.post(
            a.url(f"/patients/{ana['id']}/plans"), as_=billing, json={"service_plan_id": pack["id"]}
        ).status_code
        == 403
    )
    assert (
        api.post(
            a.url(f"/patients/{ana['id']}/plans/{enrolled['id']}/consumptions"),
            as_=billing,
            json={"appointment_id": str(uuid.uuid4())},
        ).status_code
        == 403
    )
    # Platform support reads no patient's plan: without a break-glass grant a platform role
    # holds no patient-data permission.
    support = "support@platform.test"
    api.platform(api.human(support), "support")
    seen = api.get(a.url(f"/patients/{ana['id']}/plans"), as_=support)
    assert (seen.status_code, error_code(seen)) == (403, "permission_denied")


def test_bad_input_is_400_in_the_envelope(api: Api) -> None:
    a = clinic(api, "clinic-a")
    pack = _pack(api, a, 3)
    ana = _patient(api, a)
    enrolled = _enroll(api, a, ana, pack)
    base = {
        "plan_type": "session_pack",
        "name": "P",
        "price_amount": 100,
        "currency": "RON",
        "sessions_total": 3,
        "validity_days": 30,
    }
    for body in (
        {k: v for k, v in base.items() if k != "plan_type"},  # missing
        {k: v for k, v in base.items() if k != "price_amount"},
        {**base, "plan_type": "subscription"},  # not a type
        {**base, "price_amount": 99.9},  # money is integer minor units
        {**base, "price_amount": "a hundred"},
        {**base, "sessions_total": 1001},  # oversize
        {**base, "validity_days": 0},
        {**base, "name": "N" * 201},
        {**base, "period": "day"},
        {**base, "service_ids": ["not-a-uuid"]},
        {**base, "service_ids": [str(uuid.uuid4())] * 101},
        {**base, "products": [{"product_id": str(uuid.uuid4()), "quantity": 0}]},
        {**base, "current_version": 7},
    ):
        response = api.post(a.url("/service-plans"), as_=a.owner, json=body)
        assert (response.status_code, error_code(response)) == (400, "validation_failed"), body
    unknown = api.post(
        a.url("/service-plans"), as_=a.owner, json={**base, "service_ids": [str(uuid.uuid4())]}
    )
    assert (unknown.status_code, error_code(unknown)) == (404, "service_not_found")
    for body in ({"active": "no"}, {"name": "x"}, {"sort_order": 10**8}):
        response = api.patch(a.url(f"/service-plans/{pack['id']}"), as_=a.owner, json=body)
        assert response.status_code == 400, body
    assert api.get(a.url(f"/service-plans/{pack['id']}/versions/0"), as_=a.owner).status_code == 400
    assert api.get(a.url(f"/service-plans/{pack['id']}/versions/x"), as_=a.owner).status_code == 400
    for body in (
        {},
        {"service_plan_id": "nope"},
        {"service_plan_id": pack["id"], "starts_at": "soon"},
    ):
        response = api.post(a.url(f"/patients/{ana['id']}/plans"), as_=a.owner, json=body)
        assert response.status_code == 400, body
    consume = a.url(f"/patients/{ana['id']}/plans/{enrolled['id']}/consumptions")
    for body in ({}, {"appointment_id": 12}, {"appointment_id": "x"}):
        assert api.post(consume, as_=a.owner, json=body).status_code == 400, body
    revoke = a.url(f"/patients/{ana['id']}/plans/{enrolled['id']}/revoke")
    for body in ({}, {"reason": ""}, {"reason": "r" * 501}, {"reason": 1}):
        assert api.post(revoke, as_=a.owner, json=body).status_code == 400, body
    params = {"state": "finished"}
    assert (
        api.get(a.url(f"/patients/{ana['id']}/plans"), as_=a.owner, params=params).status_code
        == 400
    )
    assert (
        api.get(a.url("/service-plans"), as_=a.owner, params={"plan_type": "x"}).status_code == 400
    )
    assert api.value("SELECT sessions_used FROM catalog.patient_service_plans") == 0


def test_service_plans_max_is_enforced_on_the_free_tier(api: Api) -> None:
    a = clinic(api, "clinic-free", tier=None)
    for _ in range(3):
        _pack(api, a, 3)
    over = api.post(
        a.url("/service-plans"),
        as_=a.owner,
        json={
            "plan_type": "session_pack",
            "name": "4th",
            "price_amount": 1,
            "currency": "RON",
            "sessions_total": 1,
            "validity_days": 1,
        },
    )
    assert (over.status_code, error_code(over)) == (402, "limit_exceeded")
    assert over.json()["error"]["details"]["limit_code"] == "service_plans.max"
    plan = api.get(a.url("/service-plans"), as_=a.owner).json()["items"][0]
    new_version = api.post(
        a.url(f"/service-plans/{plan['id']}/versions"),
        as_=a.owner,
        json={
            "name": "v2",
            "price_amount": 1,
            "currency": "RON",
            "sessions_total": 1,
            "validity_days": 1,
        },
    )
    assert new_version.status_code == 201, "a new version is not a new plan"


def test_the_person_sees_their_plans_in_every_clinic_each_clinic_only_its_own(api: Api) -> None:
    a, b = clinic(api, "clinic-a"), clinic(api, "clinic-b")
    ana_email = "ana@pop.test"
    api.human(ana_email)
    own = api.post(
        "/v1/me/profiles", as_=ana_email, json={"first_name": "Ana", "last_name": "Pop"}
    ).json()
    patients = {}
    for org in (a, b):
        patients[org.id] = api.value(
            "INSERT INTO people.patients (organization_id, patient_profile_id) VALUES (%s, %s)"
            " RETURNING id",
            (org.id, own["id"]),
        )
    in_a = _enroll(api, a, {"id": str(patients[a.id])}, _pack(api, a, 4))
    in_b = _enroll(api, b, {"id": str(patients[b.id])}, _pack(api, b, 2))
    api.post(
        a.url(f"/patients/{patients[a.id]}/plans/{in_a['id']}/consumptions"),
        as_=a.receptionist,
        json={"appointment_id": str(uuid.uuid4())},
    )
    mine = {p["id"]: p for p in api.get("/v1/me/plans", as_=ana_email).json()}
    assert set(mine) == {in_a["id"], in_b["id"]}
    assert (mine[in_a["id"]]["organization_id"], mine[in_a["id"]]["sessions_remaining"]) == (
        a.id,
        3,
    )
    assert (mine[in_b["id"]]["state"], mine[in_b["id"]]["sessions_remaining"]) == ("active", 2)
    assert "price_amount" not in mine[in_a["id"]]
    # Each clinic sees only its own enrollment of her.
    seen_a = api.get(a.url(f"/patients/{patients[a.id]}/plans"), as_=a.owner).json()["items"]
    assert [e["id"] for e in seen_a] == [in_a["id"]]
    assert api.get(b.url(f"/patients/{patients[a.id]}/plans"), as_=b.owner).status_code == 404
    stranger = "stranger@x.test"
    api.human(stranger)
    assert api.get("/v1/me/plans", as_=stranger).json() == []
    # A parent sees the plans of the child they care for, next to their own.
    child = api.post(
        "/v1/me/profiles",
        as_=ana_email,
        json={"first_name": "Matei", "last_name": "Pop", "relationship": "parent"},
    ).json()
    child_patient = api.value(
        "INSERT INTO people.patients (organization_id, patient_profile_id) VALUES (%s, %s)"
        " RETURNING id",
        (a.id, child["id"]),
    )
    for_child = _enroll(api, a, {"id": str(child_patient)}, _pack(api, a, 6))
    mine = {p["id"]: p for p in api.get("/v1/me/plans", as_=ana_email).json()}
    assert set(mine) == {in_a["id"], in_b["id"], for_child["id"]}
    assert mine[for_child["id"]]["patient_profile_id"] == child["id"]
