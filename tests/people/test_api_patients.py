"""Patients, caregivers and the person's own profiles through the real API and database:
the sharing gate, cross-organization ids, caregivers losing access, bad input, roles."""

from __future__ import annotations

import uuid

from tests.api_client import Api
from tests.api_world import clinic, error_code

ANA = {"first_name": "Ana", "last_name": "Pop", "phone": "+40 722 000 001", "email": "ana@pop.test"}


def _patient(api: Api, org, body: dict | None = None) -> dict:
    made = api.post(org.url("/patients"), as_=org.receptionist, json=body or ANA)
    assert made.status_code == 201, made.text
    return made.json()


def test_staff_register_list_filter_edit_delete_and_restore_a_patient(api: Api) -> None:
    a = clinic(api, "clinic-a")
    ana = _patient(api, a, {**ANA, "consumer_id": "A-1", "notes": "knee"})
    assert (ana["first_name"], ana["profile_shared"], ana["has_account"]) == ("Ana", False, False)
    _patient(api, a, {"first_name": "Ion", "last_name": "Ionescu"})

    page = api.get(a.url("/patients"), as_=a.emails["specialist"], params={"sort": "last_name"})
    assert [p["last_name"] for p in page.json()["items"]] == ["Ionescu", "Pop"]
    found = api.get(a.url("/patients"), as_=a.owner, params={"q": "pop.test"}).json()["items"]
    assert [p["id"] for p in found] == [ana["id"]]
    by_ref = api.get(a.url("/patients"), as_=a.owner, params={"consumer_id": "A-1"}).json()
    assert [p["id"] for p in by_ref["items"]] == [ana["id"]]
    first = api.get(a.url("/patients"), as_=a.owner, params={"limit": 1}).json()
    second = api.get(
        a.url("/patients"), as_=a.owner, params={"limit": 1, "cursor": first["next_cursor"]}
    ).json()
    assert len(first["items"]) == len(second["items"]) == 1
    assert first["items"][0]["id"] != second["items"][0]["id"]

    edited = api.patch(
        a.url(f"/patients/{ana['id']}"), as_=a.receptionist, json={"notes": "both knees"}
    )
    assert (edited.status_code, edited.json()["notes"]) == (200, "both knees")
    taken = api.patch(
        a.url(f"/patients/{ana['id']}"), as_=a.receptionist, json={"consumer_id": "A-1"}
    )
    assert taken.status_code == 200
    other = _patient(api, a, {"first_name": "Eva", "last_name": "Ene"})
    dup = api.patch(a.url(f"/patients/{other['id']}"), as_=a.owner, json={"consumer_id": "A-1"})
    assert (dup.status_code, error_code(dup)) == (409, "patients_consumer_id_key")

    assert api.delete(a.url(f"/patients/{ana['id']}"), as_=a.receptionist).status_code == 204
    gone = api.get(a.url(f"/patients/{ana['id']}"), as_=a.owner)
    assert (gone.status_code, error_code(gone)) == (404, "patient_not_found")
    listed = api.get(a.url("/patients"), as_=a.owner).json()["items"]
    assert ana["id"] not in {p["id"] for p in listed}
    back = api.post(a.url(f"/patients/{ana['id']}/restore"), as_=a.owner)
    assert (back.status_code, back.json()["consumer_id"]) == (200, "A-1")
    types = api.sql(
        "SELECT type FROM events.outbox WHERE organization_id = %s AND type LIKE 'patient.%%'"
        " ORDER BY position",
        (a.id,),
    )
    assert [t for (t,) in types] == [
        "patient.created",
        "patient.created",
        "patient.updated",
        "patient.updated",
        "patient.created",
        "patient.deleted",
        "patient.restored",
    ]


def test_other_tenants_ids_are_404_and_unauthorized_roles_403(api: Api) -> None:
    a, b = clinic(api, "clinic-a"), clinic(api, "clinic-b")
    ana = _patient(api, a)
    for response in (
        api.get(b.url(f"/patients/{ana['id']}"), as_=b.owner),
        api.patch(b.url(f"/patients/{ana['id']}"), as_=b.owner, json={"notes": "x"}),
        api.delete(b.url(f"/patients/{ana['id']}"), as_=b.owner),
        api.post(b.url(f"/patients/{ana['id']}/restore"), as_=b.owner),
        api.get(b.url(f"/patients/{ana['id']}/caregivers"), as_=b.owner),
        api.post(
            b.url(f"/patients/{ana['id']}/caregivers"),
            as_=b.owner,
            json={"email": b.admin, "relationship": "other"},
        ),
        api.get(b.url(f"/patients/{uuid.uuid4()}"), as_=b.owner),
    ):
        assert (response.status_code, error_code(response)) == (404, "patient_not_found")
    assert api.get(b.url("/patients"), as_=b.owner).json()["items"] == []
    # A member of B naming A's organization in the URL is not a member there.
    assert api.get(a.url("/patients"), as_=b.owner).status_code == 404
    # The billing role holds neither patients.read nor patients.manage.
    billing = a.emails["billing"]
    assert api.get(a.url("/patients"), as_=billing).status_code == 403
    assert api.get(a.url(f"/patients/{ana['id']}"), as_=billing).status_code == 403
    assert api.post(a.url("/patients"), as_=billing, json=ANA).status_code == 403
    assert api.delete(a.url(f"/patients/{ana['id']}"), as_=billing).status_code == 403
    # Platform support reads no patient data, even naming the organization.
    support = "support@platform.test"
    api.platform(api.human(support), "support")
    # (staff see the organization, but hold patients.read only under break-glass)
    assert error_code(api.get(a.url("/patients"), as_=support)) == "permission_denied"
    assert api.get(a.url(f"/patients/{ana['id']}"), as_=support).status_code == 403
    assert api.get(a.url(f"/patients/{ana['id']}/caregivers"), as_=support).status_code == 403
    assert api.patch(a.url(f"/patients/{ana['id']}"), as_=support, json={}).status_code == 403


def test_bad_input_is_400_in_the_envelope(api: Api) -> None:
    a = clinic(api, "clinic-a")
    ana = _patient(api, a)
    for body in (
        {"last_name": "Pop"},  # missing field
        {"first_name": 5, "last_name": "Pop"},  # wrong type
        {"first_name": "A" * 101, "last_name": "Pop"},  # oversize
        {"first_name": "   ", "last_name": "Pop"},  # blank
        {**ANA, "phone": "call me"},
        {**ANA, "email": "nope"},
        {**ANA, "notes": "x" * 4001},
        {**ANA, "profile_shared": True},  # not the clinic's to set
    ):
        response = api.post(a.url("/patients"), as_=a.owner, json=body)
        assert (response.status_code, error_code(response)) == (400, "validation_failed"), body
    for body in ({"consumer_id": "x" * 65}, {"notes": 1}, {"unknown": 1}):
        response = api.patch(a.url(f"/patients/{ana['id']}"), as_=a.owner, json=body)
        assert response.status_code == 400, body
    for params in ({"q": "x" * 201}, {"profile_shared": "maybe"}, {"sort": "email"}):
        response = api.get(a.url("/patients"), as_=a.owner, params=params)
        assert response.status_code == 400, params
    assert api.get(a.url("/patients/not-a-uuid"), as_=a.owner).status_code in (400, 404)
    caregiver = api.post(
        a.url(f"/patients/{ana['id']}/caregivers"),
        as_=a.owner,
        json={"email": a.admin, "relationship": "friend"},
    )
    assert caregiver.status_code == 400


def test_the_sharing_gate_and_the_persons_own_side(api: Api) -> None:
    a, b = clinic(api, "clinic-a"), clinic(api, "clinic-b")
    ana_email = "ana@pop.test"
    api.human(ana_email)
    own = api.post(
        "/v1/me/profiles",
        as_=ana_email,
        json={**ANA, "date_of_birth": "1990-05-17", "city": "Cluj", "country": "RO"},
    )
    assert own.status_code == 201, own.text
    assert (own.json()["own"], own.json()["city"]) == (True, "Cluj")
    again = api.post("/v1/me/profiles", as_=ana_email, json=ANA)
    assert (again.status_code, error_code(again)) == (409, "profile_exists")
    profile = own.json()["id"]
    for org in (a, b):
        api.sql(
            "INSERT INTO people.patients (organization_id, patient_profile_id) VALUES (%s, %s)",
            (org.id, profile),
        )
    seen = api.get(a.url("/patients"), as_=a.owner).json()["items"][0]
    assert (seen["first_name"], seen["email"], seen["has_account"]) == ("Ana", ana_email, True)
    assert (seen["date_of_birth"], seen["city"], seen["country"]) == (None, None, None)
    # The consent flow flips it (forms issue); here the database does.
    api.sql("UPDATE people.patients SET profile_shared = TRUE WHERE organization_id = %s", (a.id,))
    shared = api.get(a.url(f"/patients/{seen['id']}"), as_=a.owner).json()
    assert (shared["date_of_birth"], shared["city"], shared["country"]) == (
        "1990-05-17",
        "Cluj",
        "RO",
    )
    other = api.get(b.url("/patients"), as_=b.owner).json()["items"][0]
    assert (other["date_of_birth"], other["city"]) == (None, None)
    # Once Ana has an account, the clinic no longer edits her contact fields.
    refused = api.patch(a.url(f"/patients/{seen['id']}"), as_=a.owner, json={"phone": "+40 1234"})
    assert (refused.status_code, error_code(refused)) == (409, "profile_owned_by_patient")
    mine = api.get("/v1/me/patients", as_=ana_email).json()
    assert {p["organization_id"] for p in mine} == {a.id, b.id}
    edited = api.patch(f"/v1/me/profiles/{profile}", as_=ana_email, json={"city": "Iasi"})
    assert (edited.status_code, edited.json()["city"]) == (200, "Iasi")
    assert (
        api.patch(f"/v1/me/profiles/{profile}", as_=ana_email, json={"sex": "x"}).status_code == 400
    )
    stranger = "stranger@x.test"
    api.human(stranger)
    assert api.get("/v1/me/profiles", as_=stranger).json() == []
    assert api.get("/v1/me/patients", as_=stranger).json() == []
    denied = api.patch(f"/v1/me/profiles/{profile}", as_=stranger, json={"city": "X"})
    assert (denied.status_code, error_code(denied)) == (404, "profile_not_found")


def test_a_caregiver_acts_for_a_child_until_the_link_ends(api: Api) -> None:
    a = clinic(api, "clinic-a")
    mum, aunt = "mum@home.test", "aunt@home.test"
    api.human(mum)
    api.human(aunt)
    child = api.post(
        "/v1/me/profiles",
        as_=mum,
        json={"first_name": "Matei", "last_name": "Pop", "relationship": "parent"},
    )
    assert (child.status_code, child.json()["own"], child.json()["relationship"]) == (
        201,
        None,
        "parent",
    )
    child_id = child.json()["id"]
    patient = api.value(
        "INSERT INTO people.patients (organization_id, patient_profile_id) VALUES (%s, %s)"
        " RETURNING id",
        (a.id, child_id),
    )
    added = api.post(
        a.url(f"/patients/{patient}/caregivers"),
        as_=a.receptionist,
        json={"email": aunt, "relationship": "relative", "permissions": ["book"]},
    )
    assert added.status_code == 201, added.text
    assert added.json()["permissions"] == ["book"]
    unknown = api.post(
        a.url(f"/patients/{patient}/caregivers"),
        as_=a.receptionist,
        json={"email": "nobody@x.test", "relationship": "relative"},
    )
    assert (unknown.status_code, error_code(unknown)) == (422, "caregiver_unknown")
    listed = api.get(a.url(f"/patients/{patient}/caregivers"), as_=a.emails["specialist"])
    assert len(listed.json()) == 2
    assert [p["id"] for p in api.get("/v1/me/profiles", as_=aunt).json()] == [child_id]
    ok = api.patch(f"/v1/me/profiles/{child_id}", as_=aunt, json={"city": "Cluj"})
    assert ok.status_code == 200
    removed = api.delete(
        a.url(f"/patients/{patient}/caregivers/{added.json()['id']}"), as_=a.receptionist
    )
    assert removed.status_code == 204
    assert api.get("/v1/me/profiles", as_=aunt).json() == []
    refused = api.patch(f"/v1/me/profiles/{child_id}", as_=aunt, json={"city": "Iasi"})
    assert (refused.status_code, error_code(refused)) == (404, "profile_not_found")
    again = api.delete(
        a.url(f"/patients/{patient}/caregivers/{added.json()['id']}"), as_=a.receptionist
    )
    assert (again.status_code, error_code(again)) == (404, "caregiver_not_found")
    assert [p["id"] for p in api.get("/v1/me/profiles", as_=mum).json()] == [child_id]


def test_patients_max_is_enforced_on_the_free_tier(api: Api) -> None:
    a = clinic(api, "clinic-free", tier=None)
    for i in range(50):
        api.sql(
            "WITH p AS (INSERT INTO people.patient_profiles (first_name, last_name)"
            " VALUES ('P', %s) RETURNING id)"
            " INSERT INTO people.patients (organization_id, patient_profile_id)"
            " SELECT %s, id FROM p",
            (f"N{i}", a.id),
        )
    over = api.post(a.url("/patients"), as_=a.owner, json=ANA)
    assert (over.status_code, error_code(over)) == (402, "limit_exceeded")
