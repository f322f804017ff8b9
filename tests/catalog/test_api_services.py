"""Services and products through the real API and database: the lifecycle and its events,
translations, cross-organization ids, bad input, roles, the services.max limit, and the
public listing with its cache."""

from __future__ import annotations

import uuid

import msgspec

from app.domains.events.catalog import CATALOG
from tests.api_client import Api
from tests.api_world import clinic, error_code

PHYSIO = {
    "name": "Physiotherapy",
    "duration_minutes": 50,
    "price_amount": 15000,
    "currency": "RON",
    "bookable_online": True,
    "translations": {"en": {"name": "Physiotherapy", "description": "A session"}},
}


def _service(api: Api, org, body: dict | None = None) -> dict:
    made = api.post(org.url("/services"), as_=org.owner, json=body or PHYSIO)
    assert made.status_code == 201, made.text
    return made.json()


def test_a_service_is_created_listed_edited_deleted_and_restored(api: Api) -> None:
    a = clinic(api, "clinic-a")
    physio = _service(api, a, {**PHYSIO, "buffer_after_minutes": 10, "modality": "in_clinic"})
    assert (physio["price_amount"], physio["currency"], physio["buffer_after_minutes"]) == (
        15000,
        "RON",
        10,
    )
    assert physio["translations"] == {"en": {"name": "Physiotherapy", "description": "A session"}}
    video = _service(
        api,
        a,
        {"name": "Video check", "duration_minutes": 20, "currency": "RON", "modality": "video"},
    )
    assert (video["bookable_online"], video["active"], video["price_amount"]) == (False, True, 0)

    listed = api.get(a.url("/services"), as_=a.emails["specialist"], params={"sort": "name"})
    assert [s["name"] for s in listed.json()["items"]] == ["Physiotherapy", "Video check"]
    only = api.get(a.url("/services"), as_=a.receptionist, params={"modality": "video"}).json()
    assert [s["id"] for s in only["items"]] == [video["id"]]
    bookable = api.get(a.url("/services"), as_=a.owner, params={"bookable_online": "true"})
    assert [s["id"] for s in bookable.json()["items"]] == [physio["id"]]
    found = api.get(a.url("/services"), as_=a.owner, params={"q": "video"}).json()["items"]
    assert [s["id"] for s in found] == [video["id"]]
    first = api.get(a.url("/services"), as_=a.owner, params={"limit": 1}).json()
    second = api.get(
        a.url("/services"), as_=a.owner, params={"limit": 1, "cursor": first["next_cursor"]}
    ).json()
    assert {first["items"][0]["id"], second["items"][0]["id"]} == {physio["id"], video["id"]}

    edited = api.patch(
        a.url(f"/services/{physio['id']}"),
        as_=a.admin,
        json={"price_amount": 16000, "translations": {"ro": {"name": "Fizioterapie"}}},
    )
    assert edited.status_code == 200, edited.text
    assert (edited.json()["price_amount"], edited.json()["translations"]) == (
        16000,
        {"ro": {"name": "Fizioterapie"}},
    )
    assert api.delete(a.url(f"/services/{physio['id']}"), as_=a.owner).status_code == 204
    gone = api.get(a.url(f"/services/{physio['id']}"), as_=a.receptionist)
    assert (gone.status_code, error_code(gone)) == (404, "service_not_found")
    # The manager still sees it, marked deleted, to restore it.
    assert api.get(a.url(f"/services/{physio['id']}"), as_=a.owner).json()["deleted_at"]
    listed = api.get(a.url("/services"), as_=a.owner).json()["items"]
    assert [s["id"] for s in listed] == [video["id"]]
    again = api.delete(a.url(f"/services/{physio['id']}"), as_=a.owner)
    assert (again.status_code, error_code(again)) == (404, "service_not_found")
    back = api.post(a.url(f"/services/{physio['id']}/restore"), as_=a.owner)
    assert (back.status_code, back.json()["deleted_at"]) == (200, None)
    types = api.sql(
        "SELECT type, payload FROM events.outbox WHERE organization_id = %s"
        " AND type LIKE 'service.%%' ORDER BY position",
        (a.id,),
    )
    assert [t for t, _ in types] == [
        "service.created",
        "service.created",
        "service.updated",
        "service.deleted",
        "service.restored",
    ]
    assert types[2][1]["changed"] == ["price_amount", "translations"]
    for event_type, version, payload in api.sql(
        "SELECT type, version, payload::text FROM events.outbox WHERE organization_id = %s",
        (a.id,),
    ):
        msgspec.json.decode(payload, type=CATALOG[(event_type, version)])
    audited = api.value(
        "SELECT count(*) FROM audit.audit_log WHERE entity_type = 'catalog.services'"
        " AND entity_id = %s",
        (physio["id"],),
    )
    assert audited == 4  # insert, update, delete, restore


def test_other_tenants_ids_are_404_and_roles_without_the_permission_403(api: Api) -> None:
    a, b = clinic(api, "clinic-a"), clinic(api, "clinic-b")
    physio = _service(api, a)
    band = api.post(
        a.url("/products"),
        as_=a.owner,
        json={"name": "Band", "sku": "BAND-1", "price_amount": 2000, "currency": "RON"},
    ).json()
    for response in (
        api.get(b.url(f"/services/{physio['id']}"), as_=b.owner),
        api.patch(b.url(f"/services/{physio['id']}"), as_=b.owner, json={"name": "x"}),
        api.delete(b.url(f"/services/{physio['id']}"), as_=b.owner),
        api.post(b.url(f"/services/{physio['id']}/restore"), as_=b.owner),
        api.get(b.url(f"/services/{uuid.uuid4()}"), as_=b.owner),
    ):
        assert (response.status_code, error_code(response)) == (404, "service_not_found")
    for response in (
        api.get(b.url(f"/products/{band['id']}"), as_=b.owner),
        api.patch(b.url(f"/products/{band['id']}"), as_=b.owner, json={"name": "x"}),
        api.delete(b.url(f"/products/{band['id']}"), as_=b.owner),
    ):
        assert (response.status_code, error_code(response)) == (404, "product_not_found")
    assert api.get(b.url("/services"), as_=b.owner).json()["items"] == []
    assert api.get(b.url("/products"), as_=b.owner).json()["items"] == []
    # Naming A's organization in the URL as a member of B: not a member there.
    assert api.get(a.url("/services"), as_=b.owner).status_code == 404
    # No token at all.
    for path in ("/services", f"/services/{physio['id']}", "/products"):
        assert api.get(a.url(path)).status_code == 401
    assert api.post(a.url("/services"), json=PHYSIO).status_code == 401
    # Clinicians, the front desk and billing read the catalog but do not change it.
    for role in ("specialist", "receptionist", "billing"):
        who = a.emails[role]
        assert api.get(a.url("/services"), as_=who).status_code == 200
        assert api.post(a.url("/services"), as_=who, json=PHYSIO).status_code == 403
        assert (
            api.patch(a.url(f"/services/{physio['id']}"), as_=who, json={"name": "x"}).status_code
            == 403
        )
        assert api.delete(a.url(f"/services/{physio['id']}"), as_=who).status_code == 403
        assert api.post(a.url(f"/services/{physio['id']}/restore"), as_=who).status_code == 403
        assert (
            api.post(
                a.url("/products"),
                as_=who,
                json={"name": "x", "sku": "X-1", "currency": "RON"},
            ).status_code
            == 403
        )
        assert api.delete(a.url(f"/products/{band['id']}"), as_=who).status_code == 403
    # Platform support may be let in to read, but changes nothing in a clinic's catalog.
    support = "support@platform.test"
    api.platform(api.human(support), "support")
    assert api.post(a.url("/services"), as_=support, json=PHYSIO).status_code == 403


def test_bad_input_is_400_in_the_envelope_and_changes_nothing(api: Api) -> None:
    a = clinic(api, "clinic-a")
    physio = _service(api, a)
    for body in (
        {"duration_minutes": 50, "currency": "RON"},  # missing name
        {"name": "X", "currency": "RON"},  # missing duration
        {"name": "X", "duration_minutes": 50},  # missing currency
        {**PHYSIO, "name": 5},  # wrong type
        {**PHYSIO, "duration_minutes": "fifty"},
        {**PHYSIO, "price_amount": 150.5},  # money is integer minor units
        {**PHYSIO, "price_amount": -1},
        {**PHYSIO, "price_amount": 10**12},  # oversize
        {**PHYSIO, "name": "A" * 201},
        {**PHYSIO, "description": "d" * 4001},
        {**PHYSIO, "duration_minutes": 0},
        {**PHYSIO, "duration_minutes": 1441},
        {**PHYSIO, "buffer_before_minutes": 481},
        {**PHYSIO, "currency": "ron"},
        {**PHYSIO, "currency": "EURO"},
        {**PHYSIO, "modality": "phone"},
        {**PHYSIO, "translations": {"fr": {"name": "Physio"}}},
        {**PHYSIO, "translations": {"en": {"price": "1"}}},
        {**PHYSIO, "translations": {"en": {"name": ""}}},
        {**PHYSIO, "translations": {"en": {"name": "N" * 201}}},
        {**PHYSIO, "translations": ["en"]},
        {**PHYSIO, "organization_id": str(uuid.uuid4())},  # not the client's to set
    ):
        response = api.post(a.url("/services"), as_=a.owner, json=body)
        assert (response.status_code, error_code(response)) == (400, "validation_failed"), body
    for body in ({"name": ""}, {"sort_order": 10**7}, {"bookable_online": "yes"}, {"x": 1}):
        response = api.patch(a.url(f"/services/{physio['id']}"), as_=a.owner, json=body)
        assert response.status_code == 400, body
    for params in ({"q": "x" * 201}, {"active": "maybe"}, {"sort": "price_amount"}):
        assert api.get(a.url("/services"), as_=a.owner, params=params).status_code == 400, params
    assert api.get(a.url("/services/not-a-uuid"), as_=a.owner).status_code in (400, 404)
    assert api.value("SELECT count(*) FROM catalog.services") == 1
    unchanged = api.get(a.url(f"/services/{physio['id']}"), as_=a.owner).json()
    assert unchanged["name"] == PHYSIO["name"]


def test_products_skus_are_unique_among_live_products(api: Api) -> None:
    a = clinic(api, "clinic-a")
    body = {"name": "Band", "sku": "BAND-1", "price_amount": 2000, "currency": "RON"}
    band = api.post(a.url("/products"), as_=a.owner, json=body)
    assert band.status_code == 201, band.text
    band = band.json()
    dup = api.post(a.url("/products"), as_=a.admin, json={**body, "name": "Other"})
    assert (dup.status_code, error_code(dup)) == (409, "products_sku_key")
    b = clinic(api, "clinic-b")
    assert api.post(b.url("/products"), as_=b.owner, json=body).status_code == 201
    edited = api.patch(a.url(f"/products/{band['id']}"), as_=a.owner, json={"price_amount": 2500})
    assert (edited.status_code, edited.json()["price_amount"]) == (200, 2500)
    listed = api.get(a.url("/products"), as_=a.receptionist, params={"q": "band-"}).json()
    assert [p["id"] for p in listed["items"]] == [band["id"]]
    assert api.get(a.url(f"/products/{band['id']}"), as_=a.emails["billing"]).status_code == 200
    assert api.delete(a.url(f"/products/{band['id']}"), as_=a.owner).status_code == 204
    assert api.get(a.url(f"/products/{band['id']}"), as_=a.owner).status_code == 404
    reused = api.post(a.url("/products"), as_=a.owner, json=body)
    assert reused.status_code == 201, "a deleted product's SKU can be taken again"
    for bad in (
        {**body, "sku": "has space"},
        {**body, "sku": "S" * 65},
        {**body, "price_amount": 1.5},
        {"name": "x", "currency": "RON"},
        {**body, "currency": 1},
    ):
        response = api.post(a.url("/products"), as_=a.owner, json=bad)
        assert (response.status_code, error_code(response)) == (400, "validation_failed"), bad
    types = api.sql(
        "SELECT type FROM events.outbox WHERE organization_id = %s AND type LIKE 'product.%%'"
        " ORDER BY position",
        (a.id,),
    )
    assert [t for (t,) in types] == [
        "product.created",
        "product.updated",
        "product.deleted",
        "product.created",
    ]
    for event_type, version, payload in api.sql(
        "SELECT type, version, payload::text FROM events.outbox WHERE organization_id = %s",
        (a.id,),
    ):
        msgspec.json.decode(payload, type=CATALOG[(event_type, version)])


def test_services_max_is_enforced_on_the_free_tier(api: Api) -> None:
    a = clinic(api, "clinic-free", tier=None)
    for i in range(10):
        _service(api, a, {"name": f"S{i}", "duration_minutes": 30, "currency": "RON"})
    over = api.post(a.url("/services"), as_=a.owner, json=PHYSIO)
    assert (over.status_code, error_code(over)) == (402, "limit_exceeded")
    assert over.json()["error"]["details"]["limit_code"] == "services.max"
    first = api.get(a.url("/services"), as_=a.owner, params={"limit": 1}).json()["items"][0]
    assert api.delete(a.url(f"/services/{first['id']}"), as_=a.owner).status_code == 204
    assert api.post(a.url("/services"), as_=a.owner, json=PHYSIO).status_code == 201
    refused = api.post(a.url(f"/services/{first['id']}/restore"), as_=a.owner)
    assert (refused.status_code, error_code(refused)) == (402, "limit_exceeded")


def test_the_public_listing_shows_only_bookable_active_live_services(api: Api) -> None:
    a = clinic(api, "clinic-a", roles=("owner",))
    shown = _service(api, a, {**PHYSIO, "buffer_before_minutes": 15, "sort_order": 1})
    _service(api, a, {**PHYSIO, "name": "Not online", "bookable_online": False})
    inactive = _service(api, a, {**PHYSIO, "name": "Paused", "active": False})
    deleted = _service(api, a, {**PHYSIO, "name": "Gone"})
    assert api.delete(a.url(f"/services/{deleted['id']}"), as_=a.owner).status_code == 204

    listed = api.get("/v1/public/orgs/clinic-a/services")
    assert listed.status_code == 200, listed.text
    assert listed.json() == [
        {
            "id": shown["id"],
            "name": "Physiotherapy",
            "description": "",
            "translations": PHYSIO["translations"],
            "duration_minutes": 50,
            "price_amount": 15000,
            "currency": "RON",
            "modality": "in_clinic",
        }
    ]
    assert api.get("/v1/public/orgs/CLINIC-A/services").json() == listed.json()
    # A change drops the cached answer after the commit.
    api.patch(a.url(f"/services/{inactive['id']}"), as_=a.owner, json={"active": True})
    names = [s["name"] for s in api.get("/v1/public/orgs/clinic-a/services").json()]
    assert names == ["Paused", "Physiotherapy"]  # by sort_order
    api.delete(a.url(f"/services/{shown['id']}"), as_=a.owner)
    names = [s["name"] for s in api.get("/v1/public/orgs/clinic-a/services").json()]
    assert names == ["Paused"]
    # The answer is served from the cache: a write behind the API's back is not seen...
    api.sql(
        "UPDATE catalog.services SET bookable_online = FALSE WHERE organization_id = %s", (a.id,)
    )
    assert [s["name"] for s in api.get("/v1/public/orgs/clinic-a/services").json()] == ["Paused"]
    # ...until the organization's answers are invalidated (here: its rename).
    renamed = api.patch(a.url(), as_=a.owner, json={"name": "Clinic A2"})
    assert renamed.status_code == 200, renamed.text
    assert api.get("/v1/public/orgs/clinic-a/services").json() == []

    missing = api.get("/v1/public/orgs/nobody-here/services")
    assert (missing.status_code, error_code(missing)) == (404, "organization_not_found")
    for slug in ("x", "bad_slug!", "s" * 64):
        assert api.get(f"/v1/public/orgs/{slug}/services").status_code in (400, 404), slug
    # Suspending the clinic (the console) drops its listing with its resolve answers.
    root = "root@platform.test"
    api.platform(api.human(root), "superadmin")
    assert api.patch(a.url(), as_=root, json={"status": "suspended"}).status_code == 200
    assert api.get("/v1/public/orgs/clinic-a/services").status_code == 404
