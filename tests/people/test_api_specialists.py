"""Specialists, specialties and signatures through the real API, database and S3 server:
the happy paths, other tenants' ids, roles, bad input, the signature upload and its
refusals, and specialists.max under concurrency."""

from __future__ import annotations

import threading
import urllib.request
import uuid

import msgspec
import psycopg
import pytest

from app.domains.events.catalog import CATALOG
from app.domains.storage.client import ObjectStore
from app.domains.storage.keys import MiB
from tests.api_client import Api
from tests.api_world import Clinic, clinic, error_code
from tests.s3server import exists, png_bytes, post_fields
from tests.s3server import s3_env as s3_env
from tests.s3server import s3_server as s3_server
from tests.s3server import store as store

ANA = {
    "display_name": "Dr. Ana Pop",
    "title": "Kinetoterapeut",
    "bio": "Knees and shoulders.",
    "scheduling_timezone": "Europe/Bucharest",
    "scheduling_active": True,
}
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64


@pytest.fixture(autouse=True)
def _in_s3(s3_env: None) -> None:
    """Every test here stores in the suite's S3 server."""


def _specialist(api: Api, org: Clinic, body: dict | None = None) -> dict:
    made = api.post(org.url("/specialists"), as_=org.admin, json=body or ANA)
    assert made.status_code == 201, made.text
    return made.json()


def _specialty(api: Api, org: Clinic, code: str, name: str, translations=None) -> dict:
    body = {"code": code, "name": name, "translations": translations or {}}
    made = api.post(org.url("/specialties"), as_=org.owner, json=body)
    assert made.status_code == 201, made.text
    return made.json()


def _events(api: Api, org: Clinic, prefix: str) -> list[tuple[str, dict]]:
    rows = api.sql(
        "SELECT type, version, payload FROM events.outbox WHERE organization_id = %s"
        " AND type LIKE %s ORDER BY position",
        (org.id, f"{prefix}%"),
    )
    # Every payload decodes strictly into its catalogued struct.
    for type_, version, payload in rows:
        msgspec.convert(payload, CATALOG[(type_, version)], strict=False)
    return [(type_, payload) for type_, _, payload in rows]


def test_manage_specialists_and_their_specialties(api: Api) -> None:
    a = clinic(api, "clinic-a")
    physio = _specialty(api, a, "physio", "Physiotherapy", {"ro": {"name": "Kinetoterapie"}})
    sport = _specialty(api, a, "sport", "Sports medicine")
    assert physio["translations"] == {"ro": {"name": "Kinetoterapie"}}

    ana = _specialist(api, a, {**ANA, "human_id": a.principals["specialist"]})
    assert (ana["human_id"], ana["has_signature"], ana["specialty_ids"]) == (
        a.principals["specialist"],
        False,
        [],
    )
    ion = _specialist(api, a, {"display_name": "Ion Ionescu"})
    assert (ion["scheduling_timezone"], ion["scheduling_active"], ion["title"]) == (
        "Europe/Bucharest",
        False,
        None,
    )

    linked = api.put(
        a.url(f"/specialists/{ana['id']}/specialties"),
        as_=a.admin,
        json={"specialty_ids": [physio["id"], sport["id"], physio["id"]]},
    )
    assert linked.status_code == 200, linked.text
    assert sorted(linked.json()["specialty_ids"]) == sorted([physio["id"], sport["id"]])

    # Any member reads, sorts, filters and pages.
    desk = a.receptionist
    names = api.get(a.url("/specialists"), as_=desk, params={"sort": "-display_name"}).json()
    assert [s["display_name"] for s in names["items"]] == ["Ion Ionescu", "Dr. Ana Pop"]
    active = api.get(a.url("/specialists"), as_=desk, params={"scheduling_active": True}).json()
    assert [s["id"] for s in active["items"]] == [ana["id"]]
    by_specialty = api.get(a.url("/specialists"), as_=desk, params={"specialty_id": sport["id"]})
    assert [s["id"] for s in by_specialty.json()["items"]] == [ana["id"]]
    by_login = api.get(
        a.url("/specialists"), as_=desk, params={"human_id": a.principals["specialist"]}
    )
    assert [s["id"] for s in by_login.json()["items"]] == [ana["id"]]
    first = api.get(a.url("/specialists"), as_=desk, params={"limit": 1}).json()
    second = api.get(
        a.url("/specialists"), as_=desk, params={"limit": 1, "cursor": first["next_cursor"]}
    ).json()
    assert {first["items"][0]["id"], second["items"][0]["id"]} == {ana["id"], ion["id"]}
    assert api.get(a.url(f"/specialists/{ana['id']}"), as_=desk).json()["bio"] == ANA["bio"]
    listed = api.get(a.url("/specialties"), as_=desk, params={"sort": "code"}).json()
    assert [s["code"] for s in listed["items"]] == ["physio", "sport"]

    edited = api.patch(
        a.url(f"/specialists/{ana['id']}"),
        as_=a.owner,
        json={"title": None, "scheduling_timezone": "America/New_York", "human_id": None},
    )
    assert edited.status_code == 200, edited.text
    body = edited.json()
    assert (body["title"], body["scheduling_timezone"], body["human_id"]) == (
        None,
        "America/New_York",
        None,
    )
    assert body["bio"] == ANA["bio"]  # left out, left alone

    renamed = api.patch(
        a.url(f"/specialties/{sport['id']}"),
        as_=a.admin,
        json={"name": "Sports", "translations": {"en": {"name": "Sports"}}},
    )
    assert (renamed.status_code, renamed.json()["translations"]) == (
        200,
        {"en": {"name": "Sports"}},
    )
    assert api.delete(a.url(f"/specialties/{sport['id']}"), as_=a.admin).status_code == 204
    after = api.get(a.url(f"/specialists/{ana['id']}"), as_=desk).json()
    assert after["specialty_ids"] == [physio["id"]]

    assert api.delete(a.url(f"/specialists/{ana['id']}"), as_=a.admin).status_code == 204
    gone = api.get(a.url(f"/specialists/{ana['id']}"), as_=a.owner)
    assert (gone.status_code, error_code(gone)) == (404, "specialist_not_found")
    assert [s["id"] for s in api.get(a.url("/specialists"), as_=desk).json()["items"]] == [
        ion["id"]
    ]
    back = api.post(a.url(f"/specialists/{ana['id']}/restore"), as_=a.admin)
    assert (back.status_code, back.json()["specialty_ids"]) == (200, [physio["id"]])
    again = api.post(a.url(f"/specialists/{ana['id']}/restore"), as_=a.admin)
    assert (again.status_code, error_code(again)) == (404, "specialist_not_found")

    assert [t for t, _ in _events(api, a, "specialist.")] == [
        "specialist.created",
        "specialist.created",
        "specialist.updated",
        "specialist.updated",
        "specialist.deleted",
        "specialist.restored",
    ]
    updated = [p for t, p in _events(api, a, "specialist.updated")]
    assert updated[0]["changed"] == ["specialties"]
    assert updated[1]["changed"] == ["human_id", "scheduling_timezone", "title"]
    specialty_events = _events(api, a, "specialty.")
    assert [t for t, _ in specialty_events] == [
        "specialty.created",
        "specialty.created",
        "specialty.updated",
        "specialty.deleted",
    ]
    assert specialty_events[-1][1]["specialists_unlinked"] == 1
    audited = api.value(
        "SELECT count(*) FROM audit.audit_log WHERE entity_type = 'people.specialists'"
        " AND entity_id = %s",
        (ana["id"],),
    )
    assert audited == 4  # created, edited, deleted, restored


def test_other_tenants_ids_are_404_and_unauthorized_roles_403(api: Api) -> None:
    a, b = clinic(api, "clinic-a"), clinic(api, "clinic-b")
    ana = _specialist(api, a)
    physio = _specialty(api, a, "physio", "Physiotherapy")
    own = _specialist(api, b, {"display_name": "Dr. B"})
    s = f"/specialists/{ana['id']}"
    for response in (
        api.get(b.url(s), as_=b.owner),
        api.patch(b.url(s), as_=b.owner, json={"title": "x"}),
        api.delete(b.url(s), as_=b.owner),
        api.post(b.url(f"{s}/restore"), as_=b.owner),
        api.put(b.url(f"{s}/specialties"), as_=b.owner, json={"specialty_ids": []}),
        api.post(b.url(f"{s}/signature"), as_=b.owner, json={"content_type": "image/png"}),
        api.post(b.url(f"{s}/signature/{uuid.uuid4()}/confirm"), as_=b.owner),
        api.get(b.url(f"{s}/signature"), as_=b.owner),
        api.delete(b.url(f"{s}/signature"), as_=b.owner),
        api.get(b.url(f"/specialists/{uuid.uuid4()}"), as_=b.owner),
    ):
        assert (response.status_code, error_code(response)) == (404, "specialist_not_found")
    for response in (
        api.patch(b.url(f"/specialties/{physio['id']}"), as_=b.owner, json={"name": "x"}),
        api.delete(b.url(f"/specialties/{physio['id']}"), as_=b.owner),
    ):
        assert (response.status_code, error_code(response)) == (404, "specialty_not_found")
    foreign = api.put(
        b.url(f"/specialists/{own['id']}/specialties"),
        as_=b.owner,
        json={"specialty_ids": [physio["id"]]},
    )
    assert (foreign.status_code, error_code(foreign)) == (422, "specialty_unknown")
    assert api.get(b.url("/specialists"), as_=b.owner).json()["items"][0]["id"] == own["id"]
    assert api.get(b.url("/specialties"), as_=b.owner).json()["items"] == []
    # A member of B naming A's organization in the URL is not a member there.
    assert api.get(a.url("/specialists"), as_=b.owner).status_code == 404
    # A login from another organization cannot be linked.
    stranger = api.post(
        a.url("/specialists"),
        as_=a.admin,
        json={"display_name": "Spy", "human_id": b.principals["owner"]},
    )
    assert (stranger.status_code, error_code(stranger)) == (422, "specialist_human_not_member")

    # Nobody signed in: 401. Members without specialists.manage read but change nothing.
    assert api.get(a.url("/specialists")).status_code == 401
    for role in ("receptionist", "specialist", "billing"):
        who = a.emails[role]
        assert api.get(a.url("/specialists"), as_=who).status_code == 200
        assert api.get(a.url("/specialties"), as_=who).status_code == 200
        for response in (
            api.post(a.url("/specialists"), as_=who, json=ANA),
            api.patch(a.url(s), as_=who, json={"title": "x"}),
            api.delete(a.url(s), as_=who),
            api.post(a.url(f"{s}/restore"), as_=who),
            api.put(a.url(f"{s}/specialties"), as_=who, json={"specialty_ids": []}),
            api.post(a.url(f"{s}/signature"), as_=who, json={"content_type": "image/png"}),
            api.delete(a.url(f"{s}/signature"), as_=who),
            api.post(a.url("/specialties"), as_=who, json={"code": "xx", "name": "X"}),
            api.patch(a.url(f"/specialties/{physio['id']}"), as_=who, json={"name": "x"}),
            api.delete(a.url(f"/specialties/{physio['id']}"), as_=who),
        ):
            assert (response.status_code, error_code(response)) == (403, "permission_denied")
    # Platform support reads the clinic's staff data and changes none of it.
    support = "support@platform.test"
    api.platform(api.human(support), "support")
    assert [x["id"] for x in api.get(a.url("/specialists"), as_=support).json()["items"]] == [
        ana["id"]
    ]
    assert api.post(a.url("/specialists"), as_=support, json=ANA).status_code == 403
    # A platform admin holds every permission in the console, none in the clinic's people.
    root = "root@platform.test"
    api.platform(api.human(root), "superadmin")
    assert api.post(a.url("/specialists"), as_=root, json=ANA).status_code == 403
    assert api.patch(a.url(s), as_=root, json={"title": "x"}).status_code == 403


def test_bad_input_is_refused_in_the_envelope_and_changes_nothing(api: Api) -> None:
    a = clinic(api, "clinic-a")
    ana = _specialist(api, a)
    for body in (
        {"title": "Dr."},  # missing field
        {"display_name": 5},  # wrong type
        {**ANA, "scheduling_active": "yes"},
        {**ANA, "human_id": "not-a-uuid"},
        {"display_name": "A" * 201},  # oversize
        {**ANA, "title": "T" * 101},
        {**ANA, "bio": "b" * 4001},
        {"display_name": "   "},  # blank
        {**ANA, "scheduling_timezone": "Europe/../etc"},  # not the shape of a zone name
        {**ANA, "scheduling_timezone": "Z" * 65},
        {**ANA, "signature_file_id": str(uuid.uuid4())},  # not settable here
    ):
        response = api.post(a.url("/specialists"), as_=a.owner, json=body)
        assert (response.status_code, error_code(response)) == (400, "validation_failed"), body
    unknown_zone = api.post(
        a.url("/specialists"), as_=a.owner, json={**ANA, "scheduling_timezone": "Europe/Atlantis"}
    )
    assert (unknown_zone.status_code, error_code(unknown_zone)) == (422, "invalid_timezone")
    s = a.url(f"/specialists/{ana['id']}")
    for body in (
        {"display_name": None},
        {"scheduling_active": None},
        {"scheduling_timezone": 3},
        {"bio": "b" * 4001},
        {"organization_id": a.id},
    ):
        response = api.patch(s, as_=a.owner, json=body)
        assert (response.status_code, error_code(response)) == (400, "validation_failed"), body
    moved = api.patch(s, as_=a.owner, json={"scheduling_timezone": "Mars/Olympus"})
    assert (moved.status_code, error_code(moved)) == (422, "invalid_timezone")
    for body in ({}, {"specialty_ids": "x"}, {"specialty_ids": ["nope"]}):
        response = api.put(f"{s}/specialties", as_=a.owner, json=body)
        assert response.status_code == 400, body
    too_many = {"specialty_ids": [str(uuid.uuid4()) for _ in range(101)]}
    assert api.put(f"{s}/specialties", as_=a.owner, json=too_many).status_code == 400
    for params in ({"scheduling_active": "maybe"}, {"sort": "bio"}, {"specialty_id": "x"}):
        assert api.get(a.url("/specialists"), as_=a.owner, params=params).status_code == 400
    assert api.get(a.url(f"/specialists/{ana['id']}"), as_=a.owner).json() == ana

    physio = _specialty(api, a, "physio", "Physiotherapy")
    for body in (
        {"code": 5},
        {"code": "Bad Code"},
        {"name": None},
        {"name": "N" * 101},
        {"translations": "ro"},
        {"translations": {"ro": {"name": ""}}},
        {"translations": None},
        {"organization_id": a.id},
    ):
        response = api.patch(a.url(f"/specialties/{physio['id']}"), as_=a.owner, json=body)
        assert (response.status_code, error_code(response)) == (400, "validation_failed"), body
    for body in (
        {"name": "X"},  # missing code
        {"code": "Physio", "name": "X"},  # not the code format
        {"code": "x" * 64, "name": "X"},
        {"code": "ok_code", "name": "N" * 101},
        {"code": "ok_code", "name": 3},
        {"code": "ok_code", "name": "X", "translations": {"fr": {"name": "X"}}},
        {"code": "ok_code", "name": "X", "translations": {"ro": {"name": "  "}}},
        {"code": "ok_code", "name": "X", "translations": {"ro": {"title": "X"}}},
        {"code": "ok_code", "name": "X", "translations": {"ro": "Kinetoterapie"}},
        {"code": "ok_code", "name": "X", "translations": {"ro": {"name": "N" * 101}}},
    ):
        response = api.post(a.url("/specialties"), as_=a.owner, json=body)
        assert (response.status_code, error_code(response)) == (400, "validation_failed"), body
    dup = api.post(a.url("/specialties"), as_=a.owner, json={"code": "physio", "name": "Again"})
    assert (dup.status_code, error_code(dup)) == (409, "specialties_org_code_key")
    assert api.get(a.url("/specialties"), as_=a.owner).json()["items"][0]["name"] == (
        "Physiotherapy"
    )


# --- the signature -------------------------------------------------------------------------


def _upload(api: Api, org: Clinic, specialist: str, content: bytes, mime: str) -> str:
    response = api.post(
        org.url(f"/specialists/{specialist}/signature"), as_=org.admin, json={"content_type": mime}
    )
    assert response.status_code == 201, response.text
    form = response.json()["upload"]
    assert form["fields"]["key"].startswith(f"orgs/{org.id}/specialist_signature/")
    assert form["max_bytes"] == MiB
    assert post_fields(form["url"], form["fields"], content, mime) < 300
    return response.json()["file_id"]


def _confirm(api: Api, org: Clinic, specialist: str, file_id: str):
    return api.post(
        org.url(f"/specialists/{specialist}/signature/{file_id}/confirm"), as_=org.admin
    )


def _read(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (loopback S3)
        return response.read()


def _file(api: Api, file_id: str) -> tuple:
    return api.sql(
        "SELECT status, rejection_reason, deleted_at, object_key FROM storage.files WHERE id = %s",
        (file_id,),
    )[0]


def test_a_signature_is_uploaded_checked_read_replaced_and_removed(
    api: Api, store: ObjectStore
) -> None:
    a = clinic(api, "clinic-a")
    ana = _specialist(api, a, {**ANA, "human_id": a.principals["specialist"]})
    sig = f"/specialists/{ana['id']}/signature"
    content = png_bytes(40, 12)
    first = _upload(api, a, ana["id"], content, "image/png")

    kept = _confirm(api, a, ana["id"], first)

    assert kept.status_code == 200, kept.text
    assert (kept.json()["file_id"], kept.json()["content_type"]) == (first, "image/png")
    assert _read(kept.json()["url"]) == content
    assert api.get(a.url(f"/specialists/{ana['id']}"), as_=a.owner).json()["has_signature"]
    # Managers and the specialist themselves read it; other members do not.
    assert api.get(a.url(sig), as_=a.owner).json()["file_id"] == first
    assert api.get(a.url(sig), as_=a.emails["specialist"]).json()["file_id"] == first
    hidden = api.get(a.url(sig), as_=a.receptionist)
    assert (hidden.status_code, error_code(hidden)) == (404, "signature_not_set")

    second = _upload(api, a, ana["id"], JPEG, "image/jpeg")
    assert _confirm(api, a, ana["id"], second).status_code == 200
    assert api.get(a.url(sig), as_=a.owner).json()["file_id"] == second
    assert _file(api, first)[2] is not None  # the replaced file is retired
    assert api.value(
        "SELECT signature_file_id FROM people.specialists WHERE id = %s", (ana["id"],)
    ) == uuid.UUID(second)

    assert api.delete(a.url(sig), as_=a.admin).status_code == 204
    missing = api.get(a.url(sig), as_=a.owner)
    assert (missing.status_code, error_code(missing)) == (404, "signature_not_set")
    again = api.delete(a.url(sig), as_=a.admin)
    assert (again.status_code, error_code(again)) == (404, "signature_not_set")
    assert _file(api, second)[2] is not None
    assert [p["changed"] for _, p in _events(api, a, "specialist.updated")] == [["signature"]] * 3
    deleted = api.sql(
        "SELECT payload->>'reason' FROM events.outbox WHERE type = 'file.deleted'"
        " AND organization_id = %s ORDER BY position",
        (a.id,),
    )
    assert [r for (r,) in deleted] == ["replaced", "removed"]


def test_a_signature_of_the_wrong_type_or_size_is_refused_and_deleted(
    api: Api, store: ObjectStore
) -> None:
    a = clinic(api, "clinic-a")
    ana = _specialist(api, a)
    sig = a.url(f"/specialists/{ana['id']}/signature")
    # Types outside the purpose are refused before any form is made.
    for mime in ("image/webp", "image/gif", "application/pdf", 5):
        response = api.post(sig, as_=a.admin, json={"content_type": mime})
        assert response.status_code == 400, mime
    assert api.post(sig, as_=a.admin, json={}).status_code == 400

    oversize = png_bytes(700, 500, noise=True)
    assert len(oversize) > MiB
    big = _upload(api, a, ana["id"], oversize, "image/png")
    refused = _confirm(api, a, ana["id"], big)
    assert (refused.status_code, error_code(refused)) == (422, "upload_rejected")
    assert refused.json()["error"]["details"]["reason"] == "too_large"
    assert _file(api, big)[:2] == ("rejected", "too_large")
    assert not exists(store, _file(api, big)[3])

    script = _upload(api, a, ana["id"], b"<!doctype html><script>x</script>", "image/png")
    wrong = _confirm(api, a, ana["id"], script)
    assert (wrong.status_code, wrong.json()["error"]["details"]["reason"]) == (
        422,
        "type_not_allowed",
    )
    assert not exists(store, _file(api, script)[3])
    assert not api.get(a.url(f"/specialists/{ana['id']}"), as_=a.owner).json()["has_signature"]

    # A logo's pending upload is not a signature to confirm.
    logo = api.post(a.url("/logo"), as_=a.owner, json={"content_type": "image/png"})
    crossed = _confirm(api, a, ana["id"], logo.json()["file_id"])
    assert (crossed.status_code, error_code(crossed)) == (404, "file_not_found")
    assert _file(api, logo.json()["file_id"])[0] == "pending"


# --- specialists.max -----------------------------------------------------------------------


def test_specialists_max_holds_on_create_and_restore(api: Api) -> None:
    a = clinic(api, "clinic-a", roles=("owner", "admin"), tier=None)  # Free: 3
    made = [_specialist(api, a, {"display_name": f"S{i}"}) for i in range(3)]
    over = api.post(a.url("/specialists"), as_=a.admin, json={"display_name": "S3"})
    assert (over.status_code, error_code(over)) == (402, "limit_exceeded")
    assert over.json()["error"]["details"]["limit_code"] == "specialists.max"
    assert api.delete(a.url(f"/specialists/{made[0]['id']}"), as_=a.admin).status_code == 204
    _specialist(api, a, {"display_name": "S3"})
    back = api.post(a.url(f"/specialists/{made[0]['id']}/restore"), as_=a.admin)
    assert (back.status_code, error_code(back)) == (402, "limit_exceeded")


def _create(url: str, org: str, principal: str, name: str, barrier, results: list) -> None:
    with psycopg.connect(url) as conn:
        conn.execute(
            "SELECT set_config('app.current_principal_id', %s, true),"
            " set_config('app.current_org_id', %s, true)",
            (principal, org),
        )
        barrier.wait()
        try:
            conn.execute("SELECT people.create_specialist(%s)", (name,))
            conn.commit()
            results.append("ok")
        except psycopg.errors.RaiseException as exc:
            conn.rollback()
            results.append(exc.diag.message_primary)


def test_twenty_concurrent_creates_at_the_limit_leave_exactly_the_limit(api: Api) -> None:
    a = clinic(api, "clinic-a", roles=("admin",), tier=None)
    api.sql(
        "SELECT billing.grant_override(%s, NULL, 'specialists.max', NULL, 5, 'race test')",
        (a.id,),
    )
    barrier = threading.Barrier(20)
    results: list[str] = []
    threads = [
        threading.Thread(
            target=_create,
            args=(api.db.app_url, a.id, a.principals["admin"], f"S{i}", barrier, results),
        )
        for i in range(20)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(results) == ["limit_exceeded"] * 15 + ["ok"] * 5
    live = api.value(
        "SELECT count(*) FROM people.specialists WHERE organization_id = %s AND deleted_at IS NULL",
        (a.id,),
    )
    assert live == 5
