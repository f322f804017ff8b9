"""Who performs a service and what a patient tier includes, through the real API: the happy
path, the provisioning it drives, 401/403/404, other organizations' ids, bad input."""

from __future__ import annotations

import uuid

import psycopg

from tests.api_client import Api
from tests.api_world import clinic, error_code
from workers.registry import default_registry
from workers.tasks import roll_subscription_periods


def _made(response) -> dict:
    assert response.status_code == 201, response.text
    return response.json()


def _world(api: Api, slug: str):
    org = clinic(api, slug)
    service = _made(
        api.post(
            org.url("/services"),
            as_=org.owner,
            json={"name": "Physio", "duration_minutes": 50, "currency": "RON"},
        )
    )
    spec = _made(api.post(org.url("/specialists"), as_=org.admin, json={"display_name": "Dr A"}))
    plan = _made(
        api.post(
            org.url("/service-plans"),
            as_=org.owner,
            json={
                "plan_type": "session_pack",
                "name": "Pack",
                "price_amount": 100,
                "currency": "RON",
                "sessions_total": 3,
                "validity_days": 30,
            },
        )
    )
    tier = _made(
        api.post(org.url("/patient-tiers"), as_=org.owner, json={"code": "gold", "name": "Gold"})
    )
    return org, service, spec, plan, tier


def test_service_specialists_are_set_listed_and_checked(api: Api) -> None:
    a, service, spec, _, _ = _world(api, "clinic-a")
    b, b_service, b_spec, _, _ = _world(api, "clinic-b")
    url = a.url(f"/services/{service['id']}/specialists")
    put = api.put(url, as_=a.owner, json={"specialist_ids": [spec["id"], spec["id"]]})
    assert put.status_code == 200, put.text
    assert [s["specialist_id"] for s in put.json()] == [spec["id"]]
    listed = api.get(url, as_=a.receptionist).json()
    assert listed == [{"specialist_id": spec["id"], "display_name": "Dr A", "title": None}]
    # A deleted specialist is no longer offered, and cannot be set.
    assert api.delete(a.url(f"/specialists/{spec['id']}"), as_=a.admin).status_code == 204
    assert api.get(url, as_=a.owner).json() == []
    gone = api.put(url, as_=a.owner, json={"specialist_ids": [spec["id"]]})
    assert (gone.status_code, error_code(gone)) == (404, "specialist_not_found")
    # Another clinic's specialist or service.
    other = api.put(url, as_=a.owner, json={"specialist_ids": [b_spec["id"]]})
    assert (other.status_code, error_code(other)) == (404, "specialist_not_found")
    for response in (
        api.get(b.url(f"/services/{service['id']}/specialists"), as_=b.owner),
        api.put(
            b.url(f"/services/{service['id']}/specialists"),
            as_=b.owner,
            json={"specialist_ids": [b_spec["id"]]},
        ),
        api.get(a.url(f"/services/{uuid.uuid4()}/specialists"), as_=a.owner),
    ):
        assert (response.status_code, error_code(response)) == (404, "service_not_found")
    assert api.get(url).status_code == 401
    assert api.put(url, json={"specialist_ids": []}).status_code == 401
    denied = api.put(url, as_=a.receptionist, json={"specialist_ids": []})
    assert denied.status_code == 403
    for body in (
        {},
        {"specialist_ids": "x"},
        {"specialist_ids": ["not-a-uuid"]},
        {"specialist_ids": [str(uuid.uuid4()) for _ in range(101)]},
        {"specialist_ids": [], "extra": 1},
    ):
        bad = api.put(url, as_=a.owner, json=body)
        assert bad.status_code == 400, (body, bad.text)
    assert api.put(url, as_=a.owner, json={"specialist_ids": []}).json() == []
    assert api.get(b.url(f"/services/{b_service['id']}/specialists"), as_=b.owner).json() == []


def test_tier_inclusions_publish_a_version_and_provision_subscribers(api: Api) -> None:
    a, _, _, plan, tier = _world(api, "clinic-a")
    b, _, _, b_plan, b_tier = _world(api, "clinic-b")
    url = a.url(f"/patient-tiers/{tier['id']}/inclusions")
    assert api.get(url, as_=a.owner).json() == []
    put = api.put(
        url, as_=a.owner, json={"inclusions": [{"service_plan_id": plan["id"], "quantity": 2}]}
    )
    assert put.status_code == 200, put.text
    assert put.json() == [
        {"service_plan_id": plan["id"], "plan_type": "session_pack", "quantity": 2, "version": 2}
    ]
    patient = _made(
        api.post(
            a.url("/patients"), as_=a.receptionist, json={"first_name": "Ana", "last_name": "Pop"}
        )
    )
    moved = api.put(
        a.url(f"/patients/{patient['id']}/subscription"), as_=a.owner, json={"tier": "gold"}
    )
    assert moved.status_code == 200, moved.text
    plans = api.get(a.url(f"/patients/{patient['id']}/plans"), as_=a.owner).json()["items"]
    assert sorted((p["service_plan_id"], p["price_amount"]) for p in plans) == [
        (plan["id"], 0),
        (plan["id"], 0),
    ]
    # Other clinics' tiers and plans, unknown tiers.
    for response in (
        api.get(b.url(f"/patient-tiers/{tier['id']}/inclusions"), as_=b.owner),
        api.put(
            b.url(f"/patient-tiers/{tier['id']}/inclusions"), as_=b.owner, json={"inclusions": []}
        ),
        api.get(a.url(f"/patient-tiers/{uuid.uuid4()}/inclusions"), as_=a.owner),
    ):
        assert (response.status_code, error_code(response)) == (404, "patient_tier_not_found")
    foreign = api.put(url, as_=a.owner, json={"inclusions": [{"service_plan_id": b_plan["id"]}]})
    assert (foreign.status_code, error_code(foreign)) == (404, "service_plan_not_found")
    twice = api.put(
        url,
        as_=a.owner,
        json={"inclusions": [{"service_plan_id": plan["id"]}, {"service_plan_id": plan["id"]}]},
    )
    assert (twice.status_code, error_code(twice)) == (422, "duplicate_inclusion")
    assert api.get(url).status_code == 401
    assert api.put(url, json={"inclusions": []}).status_code == 401
    # Every role that reads both the tiers and the catalog sees them.
    assert api.get(url, as_=a.emails["billing"]).json() == put.json()
    assert api.put(url, as_=a.receptionist, json={"inclusions": []}).status_code == 403
    for body in (
        {},
        {"inclusions": {}},
        {"inclusions": [{"service_plan_id": plan["id"], "quantity": 0}]},
        {"inclusions": [{"service_plan_id": plan["id"], "quantity": 11}]},
        {"inclusions": [{"service_plan_id": plan["id"], "quantity": "two"}]},
        {"inclusions": [{"quantity": 1}]},
        {"inclusions": [{"service_plan_id": str(uuid.uuid4())} for _ in range(51)]},
    ):
        bad = api.put(url, as_=a.owner, json=body)
        assert bad.status_code == 400, (body, bad.text)
    # Nothing above changed the tier: still version 2 with the one inclusion.
    assert [i["version"] for i in api.get(url, as_=a.owner).json()] == [2]
    assert api.get(b.url(f"/patient-tiers/{b_tier['id']}/inclusions"), as_=b.owner).json() == []


def test_the_worker_task_rolls_due_subscriptions_and_the_hook_grants_the_new_period(
    api: Api,
) -> None:
    a, _, _, plan, tier = _world(api, "clinic-a")
    api.put(
        a.url(f"/patient-tiers/{tier['id']}/inclusions"),
        as_=a.owner,
        json={"inclusions": [{"service_plan_id": plan["id"]}]},
    )
    ids = []
    for name in ("Ana", "Ion", "Eva"):
        patient = _made(
            api.post(
                a.url("/patients"), as_=a.receptionist, json={"first_name": name, "last_name": "P"}
            )
        )
        api.put(
            a.url(f"/patients/{patient['id']}/subscription"), as_=a.owner, json={"tier": "gold"}
        )
        ids.append(patient["id"])
    # Two of the three subscriptions' periods ended an hour ago.
    api.sql(
        "UPDATE people.patient_subscriptions SET current_period_start = now() - interval '1 month'"
        " - interval '1 hour', current_period_end = now() - interval '1 hour'"
        " WHERE status = 'active' AND patient_id = ANY(%s::uuid[])",
        (ids[:2],),
    )
    before = api.value("SELECT count(*) FROM catalog.patient_service_plans")
    with psycopg.connect(api.db.system_url) as conn:
        note = roll_subscription_periods.run(conn, batch=1)
    assert note == "rolled 2 patient subscriptions, renewed 0 memberships"
    with psycopg.connect(api.db.system_url) as conn:
        note = roll_subscription_periods.run(conn)
    assert note == "rolled 0 patient subscriptions, renewed 0 memberships"
    assert api.value("SELECT count(*) FROM catalog.patient_service_plans") == before + 2
    current = api.sql(
        "SELECT e.patient_id::text FROM catalog.patient_service_plans AS e"
        " JOIN people.patient_subscriptions AS s ON s.id = e.source_tier_subscription_id"
        " WHERE s.status = 'active' AND e.period_start = s.current_period_start"
        " AND s.current_period_end > now()"
    )
    assert sorted(r[0] for r in current) == sorted(ids)
    assert "roll_subscription_periods" in default_registry().tasks
