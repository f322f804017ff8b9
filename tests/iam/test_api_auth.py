"""Authentication through the real app: every way a token fails, blocked humans, provisioning
on first sight, request ids and the language of error messages."""

from __future__ import annotations

import time
import uuid

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.api_client import AUDIENCE, ISSUER, Api, mint, signing_key
from tests.api_world import clinic, error_code


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_no_token_is_401_with_the_envelope(api: Api) -> None:
    response = api.get("/v1/me")
    assert response.status_code == 401
    assert error_code(response) == "unauthenticated"
    assert response.json()["error"]["request_id"] == response.headers["x-request-id"]


@pytest.mark.parametrize(
    "header",
    [
        "Basic dXNlcjpwYXNz",
        "Bearer",
        "Bearer    ",
        "Bearer not-a-jwt",
        "Bearer a.b.c",
        "Token abc.def.ghi",
        "Bearer " + "x" * 9000,
    ],
)
def test_malformed_authorization_is_401(api: Api, header: str) -> None:
    response = api.get("/v1/me", headers={"Authorization": header})
    assert response.status_code == 401
    assert error_code(response) == "invalid_token"


def _claims(address: str, **changes) -> dict:
    now = int(time.time())
    claims = {
        "sub": f"test|{address}",
        "email": address,
        "iss": ISSUER,
        "aud": AUDIENCE,
        "iat": now,
        "nbf": now,
        "exp": now + 600,
    }
    claims.update(changes)
    return {k: v for k, v in claims.items() if v is not None}


@pytest.mark.parametrize(
    ("case", "code"),
    [
        ("expired", "token_expired"),
        ("wrong_issuer", "invalid_token"),
        ("wrong_audience", "invalid_token"),
        ("wrong_signature", "invalid_token"),
        ("nbf_in_future", "invalid_token"),
        ("no_exp", "invalid_token"),
        ("no_sub", "invalid_token"),
        ("alg_none", "invalid_token"),
        ("hs256", "invalid_token"),
        ("tampered", "invalid_token"),
    ],
)
def test_tokens_that_fail_verification_are_401(api: Api, case: str, code: str) -> None:
    email = "ana@clinic.test"
    api.human(email)
    now = int(time.time())
    key = signing_key()
    claims = _claims(email)
    if case == "expired":
        # Past the 30 s leeway.
        claims.update(exp=now - 120, iat=now - 900, nbf=now - 900)
    elif case == "wrong_issuer":
        claims["iss"] = "https://evil.example/"
    elif case == "wrong_audience":
        claims["aud"] = "someone-else"
    elif case == "wrong_signature":
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    elif case == "nbf_in_future":
        claims["nbf"] = now + 300
    elif case == "no_exp":
        del claims["exp"]
    elif case == "no_sub":
        del claims["sub"]
    if case == "alg_none":
        token = jwt.encode(claims, None, algorithm="none")
    elif case == "hs256":
        token = jwt.encode(claims, "a-shared-secret-of-enough-length-0123456789", algorithm="HS256")
    else:
        token = jwt.encode(claims, key, algorithm="RS256")
    if case == "tampered":
        header, payload, signature = token.split(".")
        forged = jwt.utils.base64url_encode(
            jwt.utils.base64url_decode(payload).replace(b"ana@", b"eve@")
        ).decode()
        token = f"{header}.{forged}.{signature}"
    response = api.get("/v1/me", headers=_bearer(token))
    assert response.status_code == 401, response.text
    assert error_code(response) == code


def test_a_token_inside_the_leeway_is_accepted(api: Api) -> None:
    email = "ana@clinic.test"
    api.human(email)
    now = int(time.time())
    token = mint(email, exp=now - 5, nbf=now + 5)
    assert api.get("/v1/me", headers=_bearer(token)).status_code == 200


def test_a_blocked_human_gets_403_everywhere(api: Api) -> None:
    a = clinic(api, "clinic-a", roles=("owner", "admin"))
    api.sql(
        "UPDATE iam.humans SET blocked_at = now() WHERE principal_id = %s", (a.principals["admin"],)
    )
    for path in ("/v1/me", a.url(), a.url("/members"), "/v1/permissions"):
        response = api.get(path, as_=a.admin)
        assert response.status_code == 403, path
        assert error_code(response) == "human_blocked"
    response = api.post(a.url("/roles"), as_=a.admin, json={"code": "x_role", "name": "X"})
    assert response.status_code == 403
    # The owner next door is untouched.
    assert api.get(a.url("/members"), as_=a.owner).status_code == 200


def test_first_sight_provisions_the_human_and_audits_it(api: Api) -> None:
    email = "new.person@clinic.test"
    token = mint(email, sub="idp|42", name="New Person", locale="ro")
    response = api.get("/v1/me", headers={**_bearer(token), "X-Request-Id": "first-sight-1"})
    assert response.status_code == 200, response.text
    me = response.json()
    assert me["email"] == email
    assert me["display_name"] == "New Person"
    assert me["locale"] == "ro"
    assert me["memberships"] == []
    rows = api.sql(
        "SELECT idp_subject, email::text FROM iam.humans WHERE principal_id = %s",
        (me["principal_id"],),
    )
    assert rows == [("idp|42", email)]
    audited = api.sql(
        "SELECT entity_type, action, action_context FROM audit.audit_log "
        "WHERE request_id = 'first-sight-1' ORDER BY entity_type"
    )
    assert ("iam.humans", "insert", "identity_provisioning") in audited
    # The second request finds the same human, and provisions nothing new.
    again = api.get("/v1/me", headers=_bearer(token)).json()
    assert again["principal_id"] == me["principal_id"]
    assert api.value("SELECT count(*) FROM iam.humans WHERE idp_subject = 'idp|42'") == 1


def test_first_sight_needs_an_email_and_never_merges_identities(api: Api) -> None:
    no_email = jwt.encode(
        _claims("x@clinic.test", sub="idp|no-email", email=None), signing_key(), algorithm="RS256"
    )
    response = api.get("/v1/me", headers=_bearer(no_email))
    assert response.status_code == 401
    assert error_code(response) == "invalid_token"

    api.human("taken@clinic.test")
    other_subject = mint("taken@clinic.test", sub="idp|someone-else")
    response = api.get("/v1/me", headers=_bearer(other_subject))
    assert response.status_code == 403
    assert error_code(response) == "identity_conflict"
    assert api.value("SELECT count(*) FROM iam.humans WHERE email = 'taken@clinic.test'") == 1


def test_request_id_is_echoed_or_generated(api: Api) -> None:
    email = "ana@clinic.test"
    api.human(email)
    supplied = api.get("/v1/me", as_=email, headers={"X-Request-Id": "abc-123.x:y"})
    assert supplied.headers["x-request-id"] == "abc-123.x:y"
    generated = api.get("/v1/me", as_=email)
    assert len(generated.headers["x-request-id"]) == 32
    assert generated.headers["x-request-id"] != api.get("/v1/me", as_=email).headers["x-request-id"]
    # An id that could smuggle text into logs is replaced, not echoed.
    odd = api.get("/v1/me", as_=email, headers={"X-Request-Id": "a b<script>"})
    assert odd.headers["x-request-id"] != "a b<script>"
    assert len(odd.headers["x-request-id"]) == 32
    # Errors carry the same id in the body and the header.
    failed = api.get("/v1/me", headers={"X-Request-Id": "err-1"})
    assert failed.headers["x-request-id"] == "err-1"
    assert failed.json()["error"]["request_id"] == "err-1"
    assert api.get("/healthz", headers={"X-Request-Id": "hz-1"}).headers["x-request-id"] == "hz-1"


def test_accept_language_translates_messages_not_codes(api: Api) -> None:
    english = api.get("/v1/me")
    romanian = api.get("/v1/me", headers={"Accept-Language": "ro-RO,ro;q=0.9,en;q=0.5"})
    assert error_code(english) == error_code(romanian) == "unauthenticated"
    assert english.json()["error"]["message"] == "Sign in to continue."
    assert romanian.json()["error"]["message"] == "Autentificați-vă pentru a continua."
    # Preference order follows q-values; an unsupported language falls back to English.
    preferred = api.get("/v1/me", headers={"Accept-Language": "en;q=0.3, ro;q=0.8"})
    assert preferred.json()["error"]["message"].startswith("Autentificați")
    fallback = api.get("/v1/me", headers={"Accept-Language": "de-DE"})
    assert fallback.json()["error"]["message"] == "Sign in to continue."
    a = clinic(api, "clinic-a", roles=("receptionist",))
    denied = api.post(
        a.url("/invitations"),
        as_=a.receptionist,
        headers={"Accept-Language": "ro"},
        json={"email": "x@clinic.test", "role_id": str(uuid.uuid4())},
    )
    assert denied.status_code == 403
    assert error_code(denied) == "permission_denied"
    assert denied.json()["error"]["message"] == "Nu aveți permisiunea de a face acest lucru."


def test_a_subject_longer_than_the_column_is_refused_never_truncated(api: Api) -> None:
    """Issue 14, finding 4: two subjects sharing a 255-character prefix were one human."""
    prefix = "idp|" + "s" * 251  # exactly the column's 255 characters: a valid subject
    first = api.get("/v1/me", headers=_bearer(mint("first@clinic.test", sub=prefix)))
    assert first.status_code == 200
    for longer in (prefix + "-other", "x" * 10_000):
        response = api.get("/v1/me", headers=_bearer(mint("second@clinic.test", sub=longer)))
        assert response.status_code == 401, response.text
        assert error_code(response) == "invalid_token"
    assert api.value("SELECT count(*) FROM iam.humans WHERE email = 'second@clinic.test'") == 0


def test_provisioning_needs_a_verified_email(api: Api) -> None:
    unverified = mint("unverified@clinic.test", sub="idp|unverified", email_verified=False)
    response = api.get("/v1/me", headers=_bearer(unverified))
    assert response.status_code == 403
    assert error_code(response) == "email_not_verified"
    assert api.value("SELECT count(*) FROM iam.humans WHERE idp_subject = 'idp|unverified'") == 0

    verified = mint("verified@clinic.test", sub="idp|verified", email_verified=True)
    assert api.get("/v1/me", headers=_bearer(verified)).status_code == 200


@pytest.mark.parametrize(
    "email",
    [
        "a@b",
        "two words@clinic.test",
        "a@@clinic.test",
        "x@clinic.",
        "@clinic.test",
        "u" * 250 + "@c.test",
        42,
    ],
)
def test_a_malformed_email_at_provisioning_is_invalid_token(api: Api, email) -> None:
    token = jwt.encode(
        _claims("x@clinic.test", sub=f"idp|{uuid.uuid4()}", email=email),
        signing_key(),
        algorithm="RS256",
    )
    response = api.get("/v1/me", headers=_bearer(token))
    assert response.status_code == 401, response.text
    assert error_code(response) == "invalid_token"
    assert "humans_" not in response.text  # never a constraint name
