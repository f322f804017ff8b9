"""Break-glass through the real app: platform staff open, list and close grants; without an
open grant they hold no patient permission in a clinic; under one every request into the
clinic is in its audit log with the grant's id; writes stay refused; expiry ends it."""

from __future__ import annotations

import uuid

import pytest

from tests.api_client import Api
from tests.api_world import clinic, error_code

ROOT = "root@platform.test"
HELP = "help@platform.test"
HELP2 = "help2@platform.test"
REASON = "ticket 4711: the clinic reports patients missing from its list"
ANA = {"first_name": "Ana", "last_name": "Pop", "phone": "+40 722 000 001"}


@pytest.fixture
def staff(api: Api) -> dict[str, str]:
    made = {}
    for email, role in ((ROOT, "superadmin"), (HELP, "support"), (HELP2, "support")):
        made[email] = api.human(email)
        api.platform(made[email], role)
    return made


def _open(api: Api, as_: str, org_id: str, **extra) -> dict:
    opened = api.post(
        "/v1/console/break-glass",
        as_=as_,
        json={"organization_id": org_id, "reason": REASON, **extra},
    )
    assert opened.status_code == 201, opened.text
    return opened.json()


def test_open_list_and_close(api: Api, staff: dict[str, str]) -> None:
    a = clinic(api, "clinic-a", roles=("owner",))
    b = clinic(api, "clinic-b", roles=("owner",))
    grant = _open(api, HELP, a.id, duration_minutes=90)
    assert grant["principal_id"] == grant["opened_by"] == staff[HELP]
    assert (grant["organization_id"], grant["reason"], grant["active"]) == (a.id, REASON, True)
    assert grant["closed_at"] is None
    minutes = api.value(
        "SELECT extract(epoch FROM expires_at - opened_at) / 60 FROM iam.break_glass_grants"
        " WHERE id = %s",
        (grant["id"],),
    )
    assert minutes == 90

    again = api.post(
        "/v1/console/break-glass", as_=HELP, json={"organization_id": a.id, "reason": REASON}
    )
    assert (again.status_code, error_code(again)) == (409, "break_glass_already_open")
    on_b = _open(api, HELP, b.id)
    # A superadmin opens one for a support colleague: both are recorded.
    for_help2 = _open(api, ROOT, a.id, principal_id=staff[HELP2])
    assert (for_help2["principal_id"], for_help2["opened_by"]) == (staff[HELP2], staff[ROOT])

    mine = api.get("/v1/console/break-glass", as_=HELP).json()["items"]
    assert [g["id"] for g in mine] == [on_b["id"], grant["id"]]
    every = api.get("/v1/console/break-glass", as_=ROOT).json()["items"]
    assert {g["id"] for g in every} == {grant["id"], on_b["id"], for_help2["id"]}
    only_a = api.get("/v1/console/break-glass", as_=ROOT, params={"organization_id": a.id})
    assert {g["id"] for g in only_a.json()["items"]} == {grant["id"], for_help2["id"]}
    paged = api.get("/v1/console/break-glass", as_=ROOT, params={"limit": 2}).json()
    assert len(paged["items"]) == 2 and paged["next_cursor"]

    closed = api.post(f"/v1/console/break-glass/{grant['id']}/close", as_=HELP)
    assert closed.status_code == 200, closed.text
    body = closed.json()
    assert (body["active"], body["closed_by"]) == (False, staff[HELP])
    twice = api.post(f"/v1/console/break-glass/{grant['id']}/close", as_=HELP)
    assert (twice.status_code, error_code(twice)) == (409, "break_glass_not_open")
    # A superadmin closes anyone's grant; support only their own.
    theirs = api.post(f"/v1/console/break-glass/{for_help2['id']}/close", as_=HELP)
    assert (theirs.status_code, error_code(theirs)) == (404, "break_glass_not_found")
    assert api.post(f"/v1/console/break-glass/{on_b['id']}/close", as_=ROOT).status_code == 200

    open_now = api.get("/v1/console/break-glass", as_=ROOT, params={"active": "true"}).json()
    assert [g["id"] for g in open_now["items"]] == [for_help2["id"]]
    events = api.sql(
        "SELECT type, organization_id::text, payload ->> 'grant_id' FROM events.outbox"
        " WHERE type LIKE 'break_glass.%%' ORDER BY position"
    )
    assert events == [
        ("break_glass.opened", a.id, grant["id"]),
        ("break_glass.opened", b.id, on_b["id"]),
        ("break_glass.opened", a.id, for_help2["id"]),
        ("break_glass.closed", a.id, grant["id"]),
        ("break_glass.closed", b.id, on_b["id"]),
    ]
    # The clinic's auditors see the grants on their clinic, and only those.
    on_clinic = api.get(a.url("/break-glass"), as_=a.owner)
    assert on_clinic.status_code == 200, on_clinic.text
    assert {g["id"] for g in on_clinic.json()["items"]} == {grant["id"], for_help2["id"]}
    assert api.get(a.url("/break-glass"), as_=b.owner).status_code == 404


def test_patients_are_read_only_under_a_grant_and_every_read_is_audited(
    api: Api, staff: dict[str, str]
) -> None:
    a = clinic(api, "clinic-a", roles=("owner", "receptionist"))
    made = api.post(a.url("/patients"), as_=a.receptionist, json=ANA)
    assert made.status_code == 201, made.text
    patient = made.json()["id"]

    # Without a grant, neither support nor a superadmin holds patients.read in the clinic.
    for who in (HELP, ROOT):
        refused = api.get(a.url("/patients"), as_=who)
        assert (refused.status_code, error_code(refused)) == (403, "permission_denied")
        assert api.get(a.url(f"/patients/{patient}"), as_=who).status_code == 403

    grant = _open(api, HELP, a.id)
    reads = []
    # Every request into the clinic is audited, whatever it reads; patients are read through
    # the sharing gate, as a member would (contact fields, nothing unshared).
    paths = ("/patients", f"/patients/{patient}", f"/patients/{patient}/caregivers", "/members")
    answers = {}
    for path in paths:
        read = api.get(a.url(path), as_=HELP, headers={"X-Request-Id": f"bg-read-{len(reads)}"})
        assert read.status_code == 200, read.text
        answers[path] = read.json()
        reads.append((read.headers["X-Request-Id"], f"GET {a.url(path)}"))
    assert [p["id"] for p in answers["/patients"]["items"]] == [patient]
    one = answers[f"/patients/{patient}"]
    assert (one["first_name"], one["profile_shared"], one["date_of_birth"]) == ("Ana", False, None)
    assert answers[f"/patients/{patient}/caregivers"] == []
    listed = api.get(a.url("/patients"), as_=HELP, params={"q": "Ana"})
    assert [p["id"] for p in listed.json()["items"]] == [patient]
    reads.append((listed.headers["X-Request-Id"], f"GET {a.url('/patients')}"))
    # Read-only: every write is refused, and nothing changed.
    for response in (
        api.patch(a.url(f"/patients/{patient}"), as_=HELP, json={"notes": "edited"}),
        api.post(a.url("/patients"), as_=HELP, json=ANA),
        api.delete(a.url(f"/patients/{patient}"), as_=HELP),
    ):
        assert (response.status_code, error_code(response)) == (403, "permission_denied")
    assert api.value("SELECT notes FROM people.patients WHERE id = %s", (patient,)) is None
    assert api.value("SELECT count(*) FROM people.patients") == 1
    # Another clinic: the grant opens nothing there.
    b = clinic(api, "clinic-b", roles=("owner",))
    assert api.get(b.url("/patients"), as_=HELP).status_code == 403
    # A member's reads write no break-glass row.
    assert api.get(a.url("/patients"), as_=a.receptionist).status_code == 200

    # The clinic's audit log shows each request: who, which grant, which route (never the
    # query string), which request.
    log = api.get(
        a.url("/audit-log"),
        as_=a.owner,
        params={"action": "break_glass.read", "sort": "created_at"},
    )
    assert log.status_code == 200, log.text
    rows = log.json()["items"]
    assert [(r["request_id"], r["new_values"]["route"]) for r in rows] == reads
    assert {(r["actor_id"], r["break_glass_id"], r["entity_id"]) for r in rows} == {
        (staff[HELP], grant["id"], grant["id"])
    }
    assert all(r["organization_id"] == a.id for r in rows)
    by_grant = api.get(
        "/v1/console/audit-log", as_=ROOT, params={"break_glass_id": grant["id"]}
    ).json()["items"]
    assert len(by_grant) == len(reads)

    # Closed: patients are out of reach again, and no more rows are written.
    assert api.post(f"/v1/console/break-glass/{grant['id']}/close", as_=HELP).status_code == 200
    assert api.get(a.url("/patients"), as_=HELP).status_code == 403
    count = api.value(
        "SELECT count(*) FROM audit.audit_log"
        " WHERE action = 'break_glass.read' AND break_glass_id = %s",
        (grant["id"],),
    )
    assert count == len(reads)


def test_a_superadmin_grant_reads_but_never_writes(api: Api, staff: dict[str, str]) -> None:
    a = clinic(api, "clinic-a", roles=("owner", "receptionist"))
    b = clinic(api, "clinic-b", roles=("owner",))
    assert api.post(a.url("/patients"), as_=a.receptionist, json=ANA).status_code == 201
    grant = _open(api, ROOT, a.id, duration_minutes=15)
    listed = api.get(a.url("/patients"), as_=ROOT)
    assert [p["first_name"] for p in listed.json()["items"]] == ["Ana"]
    created = api.post(a.url("/patients"), as_=ROOT, json=ANA)
    assert (created.status_code, error_code(created)) == (403, "permission_denied")
    # The grant adds reads and nothing else: a superadmin's own powers (renaming a clinic) are
    # what they were, inside and outside the clinic of the grant.
    assert api.patch(a.url(), as_=ROOT, json={"name": "Clinic A2"}).status_code == 200
    assert api.patch(b.url(), as_=ROOT, json={"name": "Clinic B2"}).status_code == 200
    assert api.get(b.url("/patients"), as_=ROOT).status_code == 403
    assert api.post(f"/v1/console/break-glass/{grant['id']}/close", as_=ROOT).status_code == 200
    assert api.get(a.url("/patients"), as_=ROOT).status_code == 403


def test_an_expired_grant_opens_nothing(api: Api, staff: dict[str, str]) -> None:
    a = clinic(api, "clinic-a", roles=("owner",))
    grant = _open(api, HELP, a.id, duration_minutes=5)
    assert api.get(a.url("/patients"), as_=HELP).status_code == 200
    api.sql(
        "UPDATE iam.break_glass_grants SET opened_at = now() - interval '10 minutes',"
        " expires_at = now() - interval '5 minutes' WHERE id = %s",
        (grant["id"],),
    )
    assert api.get(a.url("/patients"), as_=HELP).status_code == 403
    listed = api.get("/v1/console/break-glass", as_=HELP).json()["items"]
    assert [(g["id"], g["active"]) for g in listed] == [(grant["id"], False)]
    late = api.post(f"/v1/console/break-glass/{grant['id']}/close", as_=HELP)
    assert (late.status_code, error_code(late)) == (409, "break_glass_not_open")
    # Expired, a new grant may be opened.
    assert _open(api, HELP, a.id)["active"] is True


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"reason": REASON}, "validation_failed"),
        ({"organization_id": "ORG"}, "validation_failed"),
        ({"organization_id": "not-a-uuid", "reason": REASON}, "validation_failed"),
        ({"organization_id": "ORG", "reason": 42}, "validation_failed"),
        ({"organization_id": "ORG", "reason": "too short"}, "validation_failed"),
        ({"organization_id": "ORG", "reason": "x" * 1001}, "validation_failed"),
        ({"organization_id": "ORG", "reason": REASON, "duration_minutes": 0}, "validation_failed"),
        (
            {"organization_id": "ORG", "reason": REASON, "duration_minutes": 241},
            "validation_failed",
        ),
        (
            {"organization_id": "ORG", "reason": REASON, "duration_minutes": "1h"},
            "validation_failed",
        ),
        ({"organization_id": "ORG", "reason": REASON, "scope": "all"}, "validation_failed"),
        ({"organization_id": "ORG", "reason": " " * 9 + "abcdefghi"}, "break_glass_reason_invalid"),
    ],
)
def test_bad_input_is_400_and_opens_nothing(
    api: Api, staff: dict[str, str], body: dict, code: str
) -> None:
    a = clinic(api, "clinic-a", roles=("owner",))
    sent = {k: (a.id if v == "ORG" else v) for k, v in body.items()}
    response = api.post("/v1/console/break-glass", as_=HELP, json=sent)
    assert (response.status_code, error_code(response)) == (400, code), response.text
    assert api.value("SELECT count(*) FROM iam.break_glass_grants") == 0


def test_who_may_open_and_close(api: Api, staff: dict[str, str]) -> None:
    a = clinic(api, "clinic-a", roles=("owner", "admin"))
    # Clinic members, even owners, are not platform staff.
    for who in (a.owner, a.admin):
        for response in (
            api.post(
                "/v1/console/break-glass", as_=who, json={"organization_id": a.id, "reason": REASON}
            ),
            api.get("/v1/console/break-glass", as_=who),
            api.post(f"/v1/console/break-glass/{uuid.uuid4()}/close", as_=who),
        ):
            assert (response.status_code, error_code(response)) == (403, "permission_denied")
    # Support opens for themselves only; a superadmin only for platform staff.
    for_other = api.post(
        "/v1/console/break-glass",
        as_=HELP,
        json={"organization_id": a.id, "reason": REASON, "principal_id": staff[HELP2]},
    )
    assert (for_other.status_code, error_code(for_other)) == (403, "permission_denied")
    not_staff = api.post(
        "/v1/console/break-glass",
        as_=ROOT,
        json={"organization_id": a.id, "reason": REASON, "principal_id": a.principals["owner"]},
    )
    assert (not_staff.status_code, error_code(not_staff)) == (422, "break_glass_not_staff")
    unknown = api.post(
        "/v1/console/break-glass",
        as_=HELP,
        json={"organization_id": str(uuid.uuid4()), "reason": REASON},
    )
    assert (unknown.status_code, error_code(unknown)) == (404, "organization_not_found")
    missing = api.post(f"/v1/console/break-glass/{uuid.uuid4()}/close", as_=ROOT)
    assert (missing.status_code, error_code(missing)) == (404, "break_glass_not_found")
    assert api.value("SELECT count(*) FROM iam.break_glass_grants") == 0
    # The clinic's grant list is for its auditors (audit.read); there is none yet.
    listed = api.get(a.url("/break-glass"), as_=a.owner)
    assert (listed.status_code, listed.json()["items"]) == (200, [])
