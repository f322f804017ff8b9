"""The consents ledger through the real app: a human's own consents across document
versions, withdrawals (and the ones refused), an organization's view, publishing, bad input."""

from __future__ import annotations

import uuid

import msgspec
import pytest

from app.domains.events.catalog import CATALOG
from tests.api_client import Api
from tests.api_world import Clinic, clinic, error_code

PATIENT = "pat@people.test"
ROOT = "root@platform.test"
SHA = "ab" * 32


def _world(api: Api) -> tuple[Clinic, Clinic]:
    a = clinic(api, "clinic-a")
    b = clinic(api, "clinic-b", roles=("owner",))
    # Until patients exist, the patient's relation to clinic A is a membership (invited: it
    # grants no rights); org-scope consent needs one (issue 14, finding 7).
    api.member(a.id, api.human(PATIENT), "specialist", status="invited")
    api.platform(api.human(ROOT))
    return a, b


def _document(purpose: str, n: int = 1, **extra) -> dict:
    return {
        "purpose": purpose,
        "title": f"{purpose} v{n}",
        "url": f"https://docs.test/{purpose}/{n}",
        "content_sha256": SHA,
        **extra,
    }


def _state(api: Api, purpose: str, org_id: str | None = None) -> dict:
    states = api.get("/v1/me/consents", as_=PATIENT).json()
    (found,) = [s for s in states if s["purpose"] == purpose and s["organization_id"] == org_id]
    return found


def test_grant_withdraw_and_the_current_state_across_versions(api: Api) -> None:
    a, _ = _world(api)
    platform = api.post("/v1/console/consent-documents", as_=ROOT, json=_document("platform_terms"))
    assert platform.status_code == 201, platform.text
    assert platform.json()["scope"] == "platform" and platform.json()["version"] == 1
    for purpose in ("org_terms", "marketing_email"):
        published = api.post(a.url("/consent-documents"), as_=a.admin, json=_document(purpose))
        assert published.status_code == 201, published.text
        assert published.json()["organization_id"] == a.id

    docs = api.get("/v1/consent-documents", as_=PATIENT, params={"organization_id": a.id}).json()
    assert [(d["purpose"], d["version"]) for d in docs] == [
        ("marketing_email", 1),
        ("org_terms", 1),
    ]

    granted = api.post("/v1/me/consents", as_=PATIENT, json={"purpose": "platform_terms"})
    assert granted.status_code == 201, granted.text
    body = granted.json()
    assert body["status"] == "granted" and body["legal_basis"] == "contract"
    assert body["withdrawable"] is False and body["document_version"] == 1
    terms = {"purpose": "org_terms", "organization_id": a.id}
    assert api.post("/v1/me/consents", as_=PATIENT, json=terms).json()["status"] == "granted"

    refused = api.post("/v1/me/consents/withdraw", as_=PATIENT, json=terms)
    assert refused.status_code == 422
    assert error_code(refused) == "consent_not_withdrawable"
    assert refused.json()["error"]["details"] == {"purpose": "org_terms", "legal_basis": "contract"}
    assert _state(api, "org_terms", a.id)["status"] == "granted"

    news = {"purpose": "marketing_email", "organization_id": a.id}
    assert api.post("/v1/me/consents", as_=PATIENT, json=news).json()["withdrawable"] is True
    withdrawn = api.post("/v1/me/consents/withdraw", as_=PATIENT, json=news)
    assert withdrawn.status_code == 200, withdrawn.text
    assert withdrawn.json()["status"] == "withdrawn"
    again = api.post("/v1/me/consents/withdraw", as_=PATIENT, json=news)
    assert again.status_code == 409 and error_code(again) == "consent_not_granted"

    # A new version that needs re-consent makes the grant stale until it is re-granted.
    v2 = _document("org_terms", 2)
    assert api.post(a.url("/consent-documents"), as_=a.owner, json=v2).json()["version"] == 2
    stale = _state(api, "org_terms", a.id)
    assert (stale["status"], stale["document_version"], stale["latest_document_version"]) == (
        "stale",
        1,
        2,
    )
    regranted = api.post("/v1/me/consents", as_=PATIENT, json=terms).json()
    assert (regranted["status"], regranted["document_version"]) == ("granted", 2)
    v3 = _document("org_terms", 3, requires_reconsent=False)
    api.post(a.url("/consent-documents"), as_=a.owner, json=v3)
    assert _state(api, "org_terms", a.id)["status"] == "granted"

    # The history is every row, newest first, walked page by page.
    seen, cursor = [], None
    while True:
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = api.get("/v1/me/consents/history", as_=PATIENT, params=params).json()
        seen += [(e["purpose"], e["action"], e["document_version"]) for e in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == [
        ("org_terms", "grant", 2),
        ("marketing_email", "withdraw", 1),
        ("marketing_email", "grant", 1),
        ("org_terms", "grant", 1),
        ("platform_terms", "grant", 1),
    ]

    # Every write published its event, and each payload decodes into its catalog struct.
    rows = api.sql(
        "SELECT type, version, payload::text FROM events.outbox WHERE type LIKE 'consent.%%'"
    )
    assert sorted({r[0] for r in rows}) == [
        "consent.document_published",
        "consent.granted",
        "consent.withdrawn",
    ]
    for event_type, version, payload in rows:
        msgspec.json.decode(payload, type=CATALOG[(event_type, version)])


def test_an_organization_sees_who_consented_and_nothing_of_others(api: Api) -> None:
    a, b = _world(api)
    api.post(a.url("/consent-documents"), as_=a.admin, json=_document("org_terms"))
    patients = [PATIENT, "second@people.test"]
    api.member(a.id, api.human(patients[1]), "specialist", status="invited")
    for email in patients:
        for purpose in ("org_terms", "analytics"):
            body = {"purpose": purpose, "organization_id": a.id}
            assert api.post("/v1/me/consents", as_=email, json=body).status_code == 201
    api.post(
        "/v1/me/consents/withdraw",
        as_=PATIENT,
        json={"purpose": "analytics", "organization_id": a.id},
    )

    listed = api.get(a.url("/consents"), as_=a.receptionist)
    assert listed.status_code == 200, listed.text
    assert len(listed.json()["items"]) == 4
    withdrawn = api.get(a.url("/consents"), as_=a.receptionist, params={"status": "withdrawn"})
    assert [(i["purpose"], i["status"]) for i in withdrawn.json()["items"]] == [
        ("analytics", "withdrawn")
    ]
    terms_only = api.get(a.url("/consents"), as_=a.owner, params={"purpose": "org_terms"}).json()
    assert {i["purpose"] for i in terms_only["items"]} == {"org_terms"}

    walked, cursor = [], None
    while True:
        params = {"limit": 1, **({"cursor": cursor} if cursor else {})}
        page = api.get(a.url("/consents"), as_=a.owner, params=params).json()
        walked += [(i["subject_principal_id"], i["purpose"]) for i in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(walked) == 4 == len(set(walked)) and walked == sorted(walked)

    denied = api.get(a.url("/consents"), as_=a.emails["billing"])
    assert denied.status_code == 403 and error_code(denied) == "permission_denied"
    foreign = api.get(a.url("/consents"), as_=b.owner)
    assert foreign.status_code == 404 and error_code(foreign) == "organization_not_found"
    assert api.get(b.url("/consents"), as_=b.owner).json()["items"] == []
    # A patient is not a member: the organization's view is not theirs.
    assert api.get(a.url("/consents"), as_=PATIENT).status_code == 404

    publish = api.post(a.url("/consent-documents"), as_=a.receptionist, json=_document("org_terms"))
    assert publish.status_code == 403
    platform = api.post(
        "/v1/console/consent-documents", as_=a.owner, json=_document("platform_terms")
    )
    assert platform.status_code == 403
    wrong_scope = api.post(
        a.url("/consent-documents"), as_=a.owner, json=_document("platform_terms")
    )
    assert wrong_scope.status_code == 422 and error_code(wrong_scope) == "consent_scope_mismatch"


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"purpose": "platform_terms", "colour": "red"}, 400, "validation_failed"),
        ({"purpose": 42}, 400, "validation_failed"),
        ({"purpose": "newsletter"}, 400, "validation_failed"),
        ({"purpose": "org_terms", "organization_id": "not-a-uuid"}, 400, "validation_failed"),
        ({"purpose": "org_terms", "organization_id": ["x"]}, 400, "validation_failed"),
        ({"purpose": "org_terms", "organization_id": str(uuid.uuid4())}, 404,
         "organization_not_found"),
        ({"purpose": "org_terms"}, 422, "consent_scope_mismatch"),
        ({"purpose": "org_privacy_notice", "organization_id": "{a}"}, 409,
         "consent_document_required"),
        ({"purpose": "marketing_sms", "organization_id": "{a}", "document_id": "{doc}"}, 404,
         "consent_document_not_found"),
        ({"purpose": "marketing_sms", "organization_id": "{b}", "document_id": "{doc}"}, 404,
         "organization_not_found"),
    ],
)  # fmt: skip
def test_bad_grants_are_refused(api: Api, body: dict, status: int, code: str) -> None:
    a, b = _world(api)
    doc = api.post(a.url("/consent-documents"), as_=a.admin, json=_document("org_terms")).json()
    filled = {
        k: v.format(a=a.id, b=b.id, doc=doc["id"]) if isinstance(v, str) else v
        for k, v in body.items()
    }
    response = api.post("/v1/me/consents", as_=PATIENT, json=filled)
    assert response.status_code == status, response.text
    assert error_code(response) == code
    assert api.value("SELECT count(*) FROM consent.consents") == 0


@pytest.mark.parametrize(
    "document",
    [
        _document("org_terms", title="x" * 201),
        _document("org_terms", title=""),
        _document("org_terms", url="http://docs.test/terms"),
        _document("org_terms", url="https://" + "x" * 2000),
        _document("org_terms", content_sha256="abc"),
        _document("org_terms", requires_reconsent="yes"),
        {**_document("org_terms"), "version": 7},
    ],
)
def test_bad_documents_are_refused(api: Api, document: dict) -> None:
    a, _ = _world(api)
    response = api.post(a.url("/consent-documents"), as_=a.admin, json=document)
    assert response.status_code == 400, response.text
    assert error_code(response) == "validation_failed"


def test_signed_out_callers_are_refused(api: Api) -> None:
    _world(api)
    assert api.get("/v1/me/consents").status_code == 401
    assert api.post("/v1/me/consents", json={"purpose": "platform_terms"}).status_code == 401


def test_org_consent_is_no_oracle_of_which_organizations_exist(api: Api) -> None:
    """Issue 14, finding 7: a stranger gets the same 404 for a real and a random org id."""
    a, _ = _world(api)
    stranger = "stranger@nowhere.test"
    api.human(stranger)
    answers = [
        api.post(
            "/v1/me/consents", as_=stranger, json={"purpose": "analytics", "organization_id": org}
        )
        for org in (a.id, "6f1c2b7e-0000-4000-8000-000000000000")
    ]
    assert [r.status_code for r in answers] == [404, 404], [r.text for r in answers]
    assert answers[0].json()["error"]["code"] == answers[1].json()["error"]["code"]
    listed = api.get(a.url("/consents"), as_=a.owner)
    assert listed.status_code == 200, listed.text
    assert listed.json()["items"] == []
